package dev.explain4j.testing;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** f(x) = W x + c as a one-layer DL4J network with known weights: closed forms hold exactly. */
public final class LinearNetworks {
    private LinearNetworks() {
    }

    /** @param weights [inputs, outputs] */
    public static MultiLayerNetwork linear(double[][] weights, double[] bias) {
        int in = weights.length;
        int out = weights[0].length;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(in).nOut(out).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.getLayer(0).setParam("W", org.nd4j.linalg.factory.Nd4j.createFromArray(weights));
        net.getLayer(0).setParam("b", org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][]{bias}));
        return net;
    }

    /** A fixed 5 → 2 linear map. */
    public static MultiLayerNetwork fiveToTwo() {
        return linear(new double[][]{{0.5, -1}, {-2, 0.25}, {1.5, 3}, {0, -0.75}, {-0.3, 1.2}}, new double[]{0.1, -0.4});
    }

    /** Column {@code output} of the weight matrix of {@link #fiveToTwo()}, as a row to broadcast. */
    public static INDArray weightsOf(MultiLayerNetwork net, int output) {
        return net.getLayer(0).getParam("W").getColumn(output).dup().reshape(1, -1);
    }
}
