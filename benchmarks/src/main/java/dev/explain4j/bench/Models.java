package dev.explain4j.bench;

import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The benchmarked networks, float32, seeded, untrained (speed does not depend on the weights' values): the MLP
 * 784-512-256-10, a LeNet-style CNN on 28×28 (conv 5×5×20, max-pool 2, conv 5×5×50, max-pool 2, dense 500, softmax
 * 10), the 10-feature tabular MLP of the perturbation cases, and the shipped digits CNN (8×8 inputs).
 */
final class Models {
    private Models() {
    }

    static MultiLayerNetwork mlp() {
        return init(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784))
                .build());
    }

    static MultiLayerNetwork cnn() {
        return init(new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
    }

    static MultiLayerNetwork tabular() {
        return init(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(10))
                .build());
    }

    /** The shipped digits CNN; {@code -Dexplain4j.models=DIR} if the benchmarks do not run from benchmarks/. */
    static MultiLayerNetwork digits() {
        Path file = Path.of(System.getProperty("explain4j.models", "../models"), "digits-cnn.zip");
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    static MultiLayerNetwork byName(String name) {
        return switch (name) {
            case "mlp" -> mlp();
            case "cnn" -> cnn();
            case "digits" -> digits();
            case "tabular" -> tabular();
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }

    /** The explain4j view of the network, with the row shape the benchmarks feed. */
    static NetworkModel explained(String name, MultiLayerNetwork network) {
        NetworkModel model = NetworkModel.of(network);
        return name.equals("cnn") ? model.withInputShape(1, 28, 28) : model;
    }

    /** Shape of one input row. */
    static long[] rowShape(String name) {
        return switch (name) {
            case "mlp" -> new long[]{784};
            case "cnn" -> new long[]{1, 28, 28};
            case "digits" -> new long[]{64};
            case "tabular" -> new long[]{10};
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }

    /** Seeded uniform rows in [0, scale), float32. */
    static INDArray rows(String name, int n, long seed) {
        long[] row = rowShape(name);
        long[] shape = new long[row.length + 1];
        shape[0] = n;
        System.arraycopy(row, 0, shape, 1, row.length);
        double scale = name.equals("digits") ? 16 : 1;
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).muli(scale);
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
