package dev.explain4j.model;

import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Supplier;

/**
 * A network with a layer kind under test and the shape of its input rows: the engine's ∂f/∂x on 3 seeded Gaussian
 * rows against central finite differences of DL4J's own inference output (flattened per row), in double precision.
 */
record GradientCase(String name, Supplier<MultiLayerNetwork> network, long... rowShape) {
    /** Largest relative error (floor 1e-3) of the engine's gradient of each row's predicted output. */
    double relativeError() {
        MultiLayerNetwork net = network.get();
        long[] shape = new long[rowShape.length + 1];
        shape[0] = 3;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        INDArray x = Networks.randomInput(11, shape);
        // the row shape is given: NetworkModel infers [C, any, any] for a 3-D convolution's [C, D, H, W]
        GradientBatch batch = NetworkModel.of(net).withInputShape(rowShape).gradients(x, Target.predicted());
        INDArray expected = FiniteDifferences.gradient(b -> NetworkPass.flat(net.output(b, false)), x, batch.targets());
        return FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, 1e-3);
    }

    @Override
    public String toString() {
        return name;
    }
}
