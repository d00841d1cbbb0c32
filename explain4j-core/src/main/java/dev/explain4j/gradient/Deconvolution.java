package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.BackwardRules;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Deconvolution (Zeiler and Fergus 2014), as Captum 0.7's {@code Deconvolution}: the gradient of the target with every
 * ReLU passing max(g, 0) of the gradient it receives, whatever its input was ({@link BackwardRules#deconvolution()}).
 * Captum's definition: the network's own transposed steps with the ReLU rule only, not the paper's separately trained
 * deconvnet; the result is not multiplied by the input.
 */
public final class Deconvolution extends GradientAttribution {

    private Deconvolution(NetworkModel model) {
        super(model);
    }

    public static Deconvolution of(NetworkModel model) {
        return new Deconvolution(model);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        GradientBatch batch = model.gradients(inputs, null, target, BackwardRules.deconvolution());
        return result(batch.inputGradient(), batch).build();
    }

    @Override
    public String name() {
        return "deconvolution";
    }
}
