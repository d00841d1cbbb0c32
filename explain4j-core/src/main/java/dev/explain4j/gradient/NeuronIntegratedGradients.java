package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * Integrated Gradients of one hidden unit a_L[k] with respect to the input (Captum 0.7's
 * {@code NeuronIntegratedGradients}): (x − b) ⊙ ∫₀¹ ∂a_L[k]/∂x (b + α(x − b)) dα, k a flat index into layer L's output
 * in the model's own layout; 50 Gauss–Legendre steps by default, as Captum. It is {@link IntegratedGradients} on
 * {@link NetworkModel#upTo the network up to L} with the unit as the target, so the completeness delta it reports is
 * Σ − (a_L[k](x) − a_L[k](b)), and the target outputs are the unit's activations. The {@link Target} given to
 * {@link #attribute} is not used. Immutable and thread-safe.
 */
public final class NeuronIntegratedGradients extends ReferenceAttribution {
    private final Neuron neuron;
    private final IntegratedGradients path;

    private NeuronIntegratedGradients(NetworkModel model, Neuron neuron, IntegratedGradients path, Reference reference) {
        super(model, reference);
        this.neuron = neuron;
        this.path = path;
    }

    /**
     * @param layer  a layer name or its index (see {@link NetworkModel#layers()})
     * @param neuron a flat index into the layer's output
     */
    public static NeuronIntegratedGradients of(NetworkModel model, String layer, int neuron) {
        Neuron unit = Neuron.of(model, layer, neuron);
        return new NeuronIntegratedGradients(model, unit, IntegratedGradients.of(unit.upToLayer()), Reference.zeros());
    }

    public NeuronIntegratedGradients withSteps(int n) {
        return new NeuronIntegratedGradients(model, neuron, path.withSteps(n), reference);
    }

    public NeuronIntegratedGradients withRule(IntegrationRule rule) {
        return new NeuronIntegratedGradients(model, neuron, path.withRule(rule), reference);
    }

    /** Where the paths start, in the input space (zeros by default). */
    public NeuronIntegratedGradients withReference(Reference r) {
        return new NeuronIntegratedGradients(model, neuron, path, Objects.requireNonNull(r, "reference"));
    }

    @Override
    public Attributions attribute(INDArray inputs, Target ignored) {
        INDArray x = inputs.castTo(model.dataType());
        Attributions unit = path.withReference(Reference.rows(reference.resolve(x, model))).attribute(x, neuron.target(x));
        return figuresOf(name(), unit).reference(reference)
                .parameter("steps", unit.parameters().get("steps"))
                .parameter("integration", unit.parameters().get("integration"))
                .parameter("baseline", reference.describe()).parameter("layer", neuron.layer())
                .parameter("neuron", neuron.index()).build();
    }

    @Override
    public String name() {
        return "neuron-integrated-gradients";
    }
}
