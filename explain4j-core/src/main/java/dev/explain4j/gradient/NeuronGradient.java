package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of one hidden unit with respect to the input, ∂a_L[k]/∂x (Captum 0.7's {@code NeuronGradient}): k is a
 * flat index into layer L's output in the model's own layout. Shaped like the input. The unit is the target: the
 * {@link Target} given to {@link #attribute} is not used, and the result records k as every row's target and
 * a_L[k](x) as its target output. Immutable and thread-safe.
 */
public final class NeuronGradient extends GradientAttribution {
    private final Neuron neuron;

    private NeuronGradient(NetworkModel model, Neuron neuron) {
        super(model);
        this.neuron = neuron;
    }

    /**
     * @param layer  a layer name or its index (see {@link NetworkModel#layers()})
     * @param neuron a flat index into the layer's output
     */
    public static NeuronGradient of(NetworkModel model, String layer, int neuron) {
        return new NeuronGradient(model, Neuron.of(model, layer, neuron));
    }

    @Override
    public Attributions attribute(INDArray inputs, Target ignored) {
        GradientBatch batch = neuron.upToLayer().gradients(inputs, neuron.target(inputs));
        return Attributions.builder(name(), batch.inputGradient()).targets(batch.targets())
                .targetOutputs(batch.targetOutputs()).parameter("layer", neuron.layer())
                .parameter("neuron", neuron.index()).build();
    }

    @Override
    public String name() {
        return "neuron-gradient";
    }
}
