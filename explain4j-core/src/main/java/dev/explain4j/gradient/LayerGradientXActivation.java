package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * a_L ⊙ ∂f_target/∂a_L for the activations a_L of one layer (Captum's {@code LayerGradientXActivation}); shaped like
 * the layer's output. With the input pseudo-layer {@code input} it is Gradient × Input.
 */
public final class LayerGradientXActivation extends GradientAttribution {
    private final String layer;

    private LayerGradientXActivation(NetworkModel model, String layer) {
        super(model);
        this.layer = model.layer(layer).name();
    }

    /** @param layer a layer name, its index, or {@code input} (see {@link NetworkModel#layers()}) */
    public static LayerGradientXActivation of(NetworkModel model, String layer) {
        return new LayerGradientXActivation(model, layer);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        GradientBatch batch = model.layerGradients(inputs, target, layer);
        return result(batch.layerActivation().mul(batch.layerGradient()), batch).parameter("layer", layer).build();
    }

    @Override
    public String name() {
        return "layer-gradient-x-activation";
    }
}
