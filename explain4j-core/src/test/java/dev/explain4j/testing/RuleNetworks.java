package dev.explain4j.testing;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small seeded double-precision networks for the modified-backward methods (DeepLIFT, LRP, guided backprop). */
public final class RuleNetworks {
    private RuleNetworks() {
    }

    private static NeuralNetConfiguration.ListBuilder list(boolean bias) {
        return new NeuralNetConfiguration.Builder().seed(17).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .biasInit(bias ? 0.1 : 0).list();
    }

    private static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder builder) {
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        return net;
    }

    /** 5 → 7 (hidden) → 6 (second) → 3 identity outputs, with biases unless {@code bias} is false. */
    public static MultiLayerNetwork mlp(Activation hidden, Activation second, boolean bias) {
        return init(list(bias)
                .layer(new DenseLayer.Builder().nIn(5).nOut(7).activation(hidden).hasBias(bias).build())
                .layer(new DenseLayer.Builder().nIn(7).nOut(6).activation(second).hasBias(bias).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(3).activation(Activation.IDENTITY)
                        .hasBias(bias).build()));
    }

    /** 4 → 5 with {@code hidden} → 2 identity outputs: one non-linear layer, for closed forms. */
    public static MultiLayerNetwork oneHidden(Activation hidden) {
        return init(list(true)
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(hidden).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(2).activation(Activation.IDENTITY).build()));
    }

    /**
     * conv 3×3 (activation) → 2×2 max pooling (or average) → conv 2×2 ReLU → separate ActivationLayer (the first activation again) → dense
     * ReLU → 3 identity outputs, on 2 × 7 × 7 images in the given layout.
     */
    public static MultiLayerNetwork cnn(CNN2DFormat format, Activation first, PoolingType pooling, boolean bias) {
        return init(list(bias)
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(first).hasBias(bias).dataFormat(format).build())
                .layer(new SubsamplingLayer.Builder(pooling).kernelSize(2, 2).stride(2, 2).dataFormat(format).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).activation(Activation.RELU).hasBias(bias).dataFormat(format).build())
                .layer(new ActivationLayer.Builder().activation(first).build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.RELU).hasBias(bias).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY).hasBias(bias).build())
                .setInputType(InputType.convolutional(7, 7, 2, format)));
    }
}
