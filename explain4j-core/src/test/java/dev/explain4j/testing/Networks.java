package dev.explain4j.testing;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

/**
 * Small real DL4J networks, double precision, seeded, one per layer kind the engine must handle. Parameters are
 * randomised (and batch-norm running statistics set away from 0/1) so no test passes by accident of an identity.
 */
public final class Networks {
    private Networks() {
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.DOUBLE).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER);
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomiseBatchNormStatistics(net.params(), net);
        return net;
    }

    /** Running mean/variance away from the initial 0/1 so the inference-time affine map is not the identity. */
    private static void randomiseBatchNormStatistics(INDArray params, MultiLayerNetwork net) {
        Random random = new Random(7);
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                layer.paramTable().forEach((key, value) -> {
                    for (long i = 0; i < value.length(); i++) {
                        double r = random.nextDouble();
                        value.putScalar(i, key.equals("mean") ? r - 0.5 : key.equals("log10stdev") ? 0.3 * r - 0.15
                                : key.equals("var") ? 0.5 + r : 0.5 + r);
                    }
                });
            }
        }
    }

    /** 5 → 8 tanh → 6 sigmoid → 3 softmax. */
    public static MultiLayerNetwork mlp() {
        return init(base().list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(8).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(6).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
    }

    /** As {@link #mlp()} with dropout on every layer and batch normalization in the middle. */
    public static MultiLayerNetwork mlpWithDropoutAndBatchNorm() {
        return init(base().list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(8).activation(Activation.TANH).dropOut(0.5).build())
                .layer(new BatchNormalization.Builder().nOut(8).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(6).activation(Activation.SIGMOID).dropOut(0.7).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
    }

    /** The MLP with its first two layers frozen, as DL4J's transfer learning leaves them. */
    public static MultiLayerNetwork frozenMlp() {
        return new TransferLearning.Builder(mlp()).setFeatureExtractor(1).build();
    }

    /** conv 3×3 (tanh) → max pool → batch norm → dense → softmax, on 2 × 6 × 6 images in the given layout. */
    public static MultiLayerNetwork cnn(CNN2DFormat format) {
        return init(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).dataFormat(format).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(format).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.SOFTPLUS).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 2, format))
                .build());
    }

    /**
     * Convolutions of the kinds the engine's convolution step distinguishes, on 2 × 9 × 9 images: padded and dilated
     * without bias (9 → 7), an even kernel at stride 2 in Same mode (7 → 4, whose transposed convolution would give 8)
     * and a plain one (4 → 3) after a 3 × 3 average pooling in Same mode, then dense → softmax.
     */
    public static MultiLayerNetwork convolutions(CNN2DFormat format) {
        return init(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).dilation(2, 2).hasBias(false).nOut(3)
                        .activation(Activation.TANH).dataFormat(format).build())
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).convolutionMode(ConvolutionMode.Same).nOut(4)
                        .activation(Activation.SOFTPLUS).dataFormat(format).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).dataFormat(format).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.SIGMOID).dataFormat(format).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(9, 9, 2, format))
                .build());
    }

    /**
     * A residual CNN graph on 2 × 8 × 8 images, channels last as Keras builds them: conv → (conv, and the skip) added
     * → max pool → dense → softmax.
     */
    public static ComputationGraph convolutionGraph() {
        ComputationGraphConfiguration conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.TANH).dataFormat(CNN2DFormat.NHWC).build(), "in")
                .addLayer("inner", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.SOFTPLUS).dataFormat(CNN2DFormat.NHWC).build(), "conv")
                .addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv", "inner")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(CNN2DFormat.NHWC).build(), "residual")
                .addLayer("hidden", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "pool")
                .addLayer("probs", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("probs")
                .setInputTypes(InputType.convolutional(8, 8, 2, CNN2DFormat.NHWC))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** LSTM → SimpleRnn → global average pooling over time → softmax; input [rows, 3 features, time]. */
    public static MultiLayerNetwork recurrent() {
        return init(base().list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new SimpleRnn.Builder().nIn(4).nOut(4).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
    }

    /** Embedding of 10 tokens into 4 dimensions → dense → softmax; input [rows, 1] of token indices. */
    public static MultiLayerNetwork embedding() {
        return init(base().list()
                .layer(new EmbeddingLayer.Builder().nIn(10).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
    }

    /**
     * Input → two dense branches → merged and added → dense → two outputs ("probs" softmax, "score" identity
     * regression with 2 units).
     */
    public static ComputationGraph graph() {
        ComputationGraphConfiguration conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.TANH).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.SIGMOID).build(), "in")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addVertex("merge", new MergeVertex(), "sum", "a")
                .addLayer("hidden", new DenseLayer.Builder().nIn(12).nOut(6).activation(Activation.TANH).build(), "merge")
                .addLayer("probs", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .addLayer("score", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(2)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("probs", "score")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Seeded Gaussian rows of the given shape, in double. */
    public static INDArray randomInput(long seed, long... shape) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, random.nextGaussian());
        }
        return x;
    }
}
