package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.BackwardRules;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Guided backpropagation (Springenberg et al. 2015), as Captum 0.7's {@code GuidedBackprop}: the gradient of the target
 * with every ReLU passing only positive gradients where its input was positive, max(g · 1[z &gt; 0], 0)
 * ({@link BackwardRules#guidedBackprop()}). As in Captum only ReLU is modified, every other step keeps its gradient, and
 * the result is the modified gradient itself (not multiplied by the input).
 */
public final class GuidedBackprop extends GradientAttribution {

    private GuidedBackprop(NetworkModel model) {
        super(model);
    }

    public static GuidedBackprop of(NetworkModel model) {
        return new GuidedBackprop(model);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        GradientBatch batch = model.gradients(inputs, null, target, BackwardRules.guidedBackprop());
        return result(batch.inputGradient(), batch).build();
    }

    @Override
    public String name() {
        return "guided-backprop";
    }
}
