package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Gradient × Input: x ⊙ ∂f_target/∂x (Shrikumar et al. 2016; Captum's {@code InputXGradient}). */
public final class GradientXInput extends GradientAttribution {

    public GradientXInput(NetworkModel model) {
        super(model);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        GradientBatch batch = model.gradients(inputs, target);
        INDArray x = inputs.castTo(batch.inputGradient().dataType());
        return result(batch.inputGradient().mul(x), batch).build();
    }

    @Override
    public String name() {
        return "gradient-x-input";
    }
}
