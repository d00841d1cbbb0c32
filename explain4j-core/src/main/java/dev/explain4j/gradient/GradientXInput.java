package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Optional;

/**
 * Gradient × Input: x ⊙ ∂f_target/∂x (Shrikumar et al. 2016; Captum's {@code InputXGradient}). Its values are
 * (x − 0) ⊙ ∂f/∂x, the first-order change from the zero input: the result records {@link Reference#zeros()} as its
 * reference, so metrics perturb along x − 0 as they do for Integrated Gradients.
 */
public final class GradientXInput extends GradientAttribution {

    private GradientXInput(NetworkModel model) {
        super(model);
    }

    public static GradientXInput of(NetworkModel model) {
        return new GradientXInput(model);
    }

    @Override
    protected Optional<Reference> reference() {
        return Optional.of(Reference.zeros());
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
