package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Saliency: |∂f_target/∂x| (Simonyan et al. 2013, Captum's {@code Saliency} with {@code abs=True}); or, as
 * {@link #signed}, the plain gradient ∂f_target/∂x (method name {@code gradient}).
 */
public final class Saliency extends GradientAttribution {
    private final boolean absolute;

    private Saliency(NetworkModel model, boolean absolute) {
        super(model);
        this.absolute = absolute;
    }

    /** |∂f/∂x|. */
    public static Saliency of(NetworkModel model) {
        return new Saliency(model, true);
    }

    /** ∂f/∂x with its sign. */
    public static Saliency signed(NetworkModel model) {
        return new Saliency(model, false);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        GradientBatch batch = model.gradients(inputs, target);
        INDArray gradient = batch.inputGradient();
        return result(absolute ? Transforms.abs(gradient, true) : gradient, batch).parameter("abs", absolute).build();
    }

    @Override
    public String name() {
        return absolute ? "saliency" : "gradient";
    }
}
