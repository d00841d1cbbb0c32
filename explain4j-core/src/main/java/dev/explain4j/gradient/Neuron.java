package dev.explain4j.gradient;

import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The target of the neuron methods: unit {@code index} of layer {@code layer}'s output, a flat row-major index into
 * that output in the model's own layout (channel, row, column of an NCHW map; row, column, channel of an NHWC one),
 * differentiated on {@link NetworkModel#upTo the network up to that layer}.
 */
record Neuron(NetworkModel upToLayer, String layer, int index) {

    static Neuron of(NetworkModel model, String layer, int index) {
        String name = model.layer(layer).name();
        GradientAttribution.refuseMasks(model, "neuron methods", name);
        if (index < 0) {
            throw new IllegalArgumentException("neuron " + index + " of layer '" + name + "': a neuron is a flat index ≥ 0"
                    + " into the layer's output");
        }
        return new Neuron(model.upTo(name), name, index);
    }

    /** The unit as the target of every row, once checked to exist in the layer's output for rows like {@code x}. */
    Target target(INDArray x) {
        INDArray first = x.get(NDArrayIndex.interval(0, 1));
        long units = upToLayer.predict(first).size(1);
        if (index >= units) {
            throw new IllegalArgumentException("neuron " + index + " is out of range: layer '" + layer + "' has " + units
                    + " units for inputs of shape " + Arrays.toString(Arrays.copyOfRange(x.shape(), 1, x.rank()))
                    + " (flat indices 0.." + (units - 1) + " into its output, row-major in the model's own layout)");
        }
        return Target.index(index);
    }
}
