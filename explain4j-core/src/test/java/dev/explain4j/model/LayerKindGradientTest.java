package dev.explain4j.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping3D;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ∂f/∂x through the allowed layer kinds no other in-process test puts in a network (before, the Keras corpus was their
 * only finite-difference check): each in a small seeded network in double against central finite differences of
 * DL4J's own output (the relative error per kind is printed at the end).
 */
class LayerKindGradientTest {
    private static final double TOLERANCE = 1e-6;
    private static final Map<String, Double> ERRORS = new ConcurrentHashMap<>();
    private static final InputType IMAGE = InputType.convolutional(6, 6, 2, CNN2DFormat.NCHW);
    private static final long[] IMAGE_ROW = {2, 6, 6};
    private static final InputType VOLUME = InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 4, 4, 4, 2);
    private static final long[] VOLUME_ROW = {2, 4, 4, 4};

    private static MultiLayerNetwork network(InputType input, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(input).build());
        net.init();
        net.params().muli(1.5); // PReLU's α starts at 0 and Xavier leaves tanh nearly linear
        net.params().addi(0.05);
        return net;
    }

    private static Layer softmax() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build();
    }

    private static Layer conv(int kernel, int out) {
        return new ConvolutionLayer.Builder(kernel, kernel).nOut(out).activation(Activation.TANH).build();
    }

    private static Layer conv3d() {
        return new Convolution3D.Builder(2, 2, 2).nOut(3).activation(Activation.TANH).build();
    }

    static Stream<GradientCase> kinds() {
        return Stream.of(
                new GradientCase("Deconvolution2D", () -> network(IMAGE, conv(3, 3),
                        new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(2).activation(Activation.SOFTPLUS).build(), softmax()), IMAGE_ROW),
                new GradientCase("SeparableConvolution2D", () -> network(IMAGE, new SeparableConvolution2D.Builder(3, 3)
                        .depthMultiplier(2).nOut(3).activation(Activation.TANH).build(), softmax()), IMAGE_ROW),
                new GradientCase("Cropping2D", () -> network(IMAGE, conv(2, 3), new Cropping2D(1, 0, 0, 1), softmax()), IMAGE_ROW),
                new GradientCase("ZeroPaddingLayer", () -> network(IMAGE, new ZeroPaddingLayer(1, 1), conv(3, 2), softmax()), IMAGE_ROW),
                new GradientCase("Upsampling2D", () -> network(IMAGE, conv(3, 2), new Upsampling2D.Builder(2).build(), conv(3, 2), softmax()), IMAGE_ROW),
                new GradientCase("CnnLossLayer", () -> network(IMAGE, conv(3, 3),
                        new CnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build()), IMAGE_ROW),
                new GradientCase("Convolution3D", () -> network(VOLUME, conv3d(), softmax()), VOLUME_ROW),
                new GradientCase("Subsampling3DLayer", () -> network(VOLUME, conv3d(),
                        new Subsampling3DLayer.Builder(PoolingType.MAX, new int[]{2, 2, 2}).stride(1, 1, 1).build(), softmax()), VOLUME_ROW),
                new GradientCase("Cropping3D", () -> network(VOLUME, conv3d(), new Cropping3D(1, 0, 0, 1, 1, 0),
                        // DL4J types Cropping3D's output channels-last: a preprocessor to dense after it rejects it
                        new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), softmax()), VOLUME_ROW),
                new GradientCase("PReLULayer", () -> network(InputType.feedForward(5), new DenseLayer.Builder().nOut(4)
                        .activation(Activation.IDENTITY).build(), new PReLULayer.Builder().inputShape(4).build(), softmax()), 5),
                new GradientCase("DropoutLayer", () -> network(InputType.feedForward(5), new DenseLayer.Builder().nOut(4)
                        .activation(Activation.TANH).build(), new DropoutLayer(0.5), softmax()), 5),
                new GradientCase("LossLayer", () -> network(InputType.feedForward(5), new DenseLayer.Builder().nOut(3)
                        .activation(Activation.IDENTITY).build(), new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).build()), 5),
                new GradientCase("RnnLossLayer", () -> network(InputType.recurrent(3, 4, RNNFormat.NCW),
                        new LSTM.Builder().nOut(3).activation(Activation.TANH).build(),
                        new RnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build()), 3, 4),
                new GradientCase("RepeatVector", () -> network(InputType.feedForward(5), new DenseLayer.Builder().nOut(3)
                        .activation(Activation.TANH).build(), new RepeatVector.Builder(4).build(),
                        new LSTM.Builder().nOut(3).activation(Activation.TANH).build(),
                        new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), softmax()), 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void gradientMatchesFiniteDifferences(GradientCase c) {
        double error = c.relativeError();
        ERRORS.put(c.name(), error);
        assertThat(error).as(c.name()).isLessThan(TOLERANCE);
    }

    @AfterAll
    static void report() {
        System.out.println("relative error of ∂f/∂x against central finite differences (double), per layer kind:");
        new TreeMap<>(ERRORS).forEach((name, error) -> System.out.printf("  %-50s %.2e%n", name, error));
    }
}
