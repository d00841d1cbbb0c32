package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;
import java.util.Objects;

/**
 * Layer Integrated Gradients as Captum 0.7 defines it ({@code LayerIntegratedGradients}, attributing to the layer's
 * output): the path runs in the output space of layer L, from a_L(b) at the reference to a_L(x) at the input, and the
 * network after L is differentiated along it: (a_L(x) − a_L(b)) ⊙ ∫₀¹ ∂f/∂a_L(a_L(b) + α(a_L(x) − a_L(b))) dα.
 * Shaped like the layer's output, in the model's own layout; the completeness delta Σ − (f(x) − f(b)) is reported
 * per row. Captum's default of 50 Gauss–Legendre steps is kept.
 *
 * <p>This is {@link IntegratedGradients} itself on {@link NetworkModel#after the network after L}, between the
 * layer's {@link NetworkModel#activations activations} at b and at x: the same path code as every IG, the way
 * {@link TokenAttribution} attributes at an embedding's output. On a ComputationGraph L must be a vertex every path
 * from the input to the output runs through: Captum feeds the real input to the paths around the layer while only the
 * layer's output moves along the path, which a view of the graph after L cannot do, so such a vertex is refused.
 * With the {@code input} pseudo-layer it equals Integrated Gradients. Immutable and thread-safe.
 */
public final class LayerIntegratedGradients extends ReferenceAttribution {
    private final String layer;
    private final NetworkModel after;
    private final IntegratedGradients path;

    private LayerIntegratedGradients(NetworkModel model, String layer, NetworkModel after, IntegratedGradients path,
                                     Reference reference) {
        super(model, reference);
        this.layer = layer;
        this.after = after;
        this.path = path;
    }

    /**
     * 50 Gauss–Legendre steps from a zero reference.
     *
     * @param layer a layer name, its index, or {@code input} (see {@link NetworkModel#layers()})
     * @throws IllegalArgumentException for the output layer, a graph vertex with a path around it, or a model that
     *                                  masks its sequences
     */
    public static LayerIntegratedGradients of(NetworkModel model, String layer) {
        String name = model.layer(layer).name();
        refuseMasks(model, "layer-integrated-gradients", name);
        NetworkModel after = model.after(name);
        return new LayerIntegratedGradients(model, name, after, IntegratedGradients.of(after), Reference.zeros());
    }

    public LayerIntegratedGradients withSteps(int n) {
        return new LayerIntegratedGradients(model, layer, after, path.withSteps(n), reference);
    }

    public LayerIntegratedGradients withRule(IntegrationRule rule) {
        return new LayerIntegratedGradients(model, layer, after, path.withRule(rule), reference);
    }

    /** The reference in the network's input space (zeros by default); its layer activations start the path. */
    public LayerIntegratedGradients withReference(Reference r) {
        return new LayerIntegratedGradients(model, layer, after, path, Objects.requireNonNull(r, "reference"));
    }

    /** Points per forward+backward pass; 0 for the default from the model's memory budget. */
    public LayerIntegratedGradients withBatchSize(int points) {
        return new LayerIntegratedGradients(model, layer, after, path.withBatchSize(points), reference);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        INDArray start = model.activations(reference.resolve(x, model), layer);
        Attributions inLayer = path.withReference(Reference.rows(start)).attribute(model.activations(x, layer), target);
        return figuresOf(name(), inLayer).reference(reference)
                .parameter("output-space", model.outputSpace().name().toLowerCase(Locale.ROOT))
                .parameter("steps", inLayer.parameters().get("steps"))
                .parameter("integration", inLayer.parameters().get("integration"))
                .parameter("baseline", reference.describe()).parameter("layer", layer).build();
    }

    @Override
    public String name() {
        return "layer-integrated-gradients";
    }
}
