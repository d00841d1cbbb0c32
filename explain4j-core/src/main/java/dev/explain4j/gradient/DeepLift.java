package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.BackwardRules;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * DeepLIFT with the rescale rule (Shrikumar et al. 2017), as Captum 0.7's {@code DeepLift} computes it:
 * attributions (x − x₀) ⊙ m, where the multipliers m come from one backward walk in which every element-wise
 * activation multiplies by Δa/Δz instead of its derivative, max pooling uses Captum's rule, and linear layers keep
 * their gradient (the rules: {@link BackwardRules#deepLift()}). Where |Δz| &lt; 1e-10 a rule falls back to the plain
 * gradient, Captum's threshold. By construction Σ attributions = f(x) − f(x₀) on networks of linear layers, element-wise
 * activations and max pooling; each result carries that completeness delta per row (≈ 0 up to rounding).
 *
 * <p>Like Captum, the rows and their references run as one stacked batch [x; x₀] through one forward and one backward
 * pass per chunk of the memory budget, both halves seeded with the target. Where Captum differs from the paper, this
 * follows Captum: the reference x₀ defaults to zeros, multipliers are multiplied by (x − x₀) unless
 * {@link #withMultiplyByInputs withMultiplyByInputs(false)}, only the rescale rule is offered (not RevealCancel), and
 * max pooling takes Captum's cross-maximum rule instead of the paper's gradient of the max. Softmax has no rule (Captum's
 * normalises over the whole batch, mixing rows): explain the logits of a softmax network.
 *
 * <p>The reference is resolved as for {@link IntegratedGradients}: one row per input row, a distribution by its
 * weighted mean ({@link DeepLiftShap} averages over a distribution instead).
 */
public final class DeepLift extends ReferenceAttribution {
    private final boolean multiplyByInputs;

    private DeepLift(NetworkModel model, Reference reference, boolean multiplyByInputs) {
        super(model, reference);
        this.multiplyByInputs = multiplyByInputs;
    }

    /** From a zero reference, multipliers times (x − x₀). */
    public static DeepLift of(NetworkModel model) {
        return new DeepLift(model, Reference.zeros(), true);
    }

    public DeepLift withReference(Reference r) {
        return new DeepLift(model, r, multiplyByInputs);
    }

    /** Captum's {@code multiply_by_inputs}: false returns the multipliers m themselves (no completeness delta then). */
    public DeepLift withMultiplyByInputs(boolean on) {
        return new DeepLift(model, reference, on);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        INDArray b = reference.resolve(x, model);
        Pairs pairs = Pairs.of(model, x, b, target);
        INDArray values = multiplyByInputs ? pairs.contributions() : pairs.multipliers();
        Attributions.Builder result = result(values, pairs.batch())
                .referenceOutputs(pairs.referenceOutputs())
                .parameter("baseline", reference.describe()).parameter("multiply-by-inputs", multiplyByInputs);
        if (multiplyByInputs) {
            result.completenessDelta(pairs.delta(values));
        }
        return result.build();
    }

    @Override
    public String name() {
        return "deeplift";
    }

    /** DeepLIFT of rows x against reference rows b, one reference per row: what DeepLift and DeepLiftShap share. */
    record Pairs(INDArray x, INDArray b, GradientBatch batch) {
        static Pairs of(NetworkModel model, INDArray x, INDArray b, Target target) {
            return new Pairs(x, b, model.gradients(x, b, target, BackwardRules.deepLift()));
        }

        INDArray multipliers() {
            return batch.inputGradient();
        }

        /** m ⊙ (x − b). */
        INDArray contributions() {
            return batch.inputGradient().mul(x.sub(b));
        }

        /** f_target(b) per row: the references' outputs follow the rows'. */
        double[] referenceOutputs() {
            int[] targets = batch.targets();
            double[] fb = new double[targets.length];
            for (int r = 0; r < fb.length; r++) {
                fb[r] = batch.outputs().getDouble(targets.length + r, targets[r]);
            }
            return fb;
        }

        /** Σ attributions − (f(x) − f(b)) per row. */
        double[] delta(INDArray attributions) {
            double[] sums = rowSums(attributions);
            double[] fx = batch.targetOutputs();
            double[] fb = referenceOutputs();
            for (int r = 0; r < sums.length; r++) {
                sums[r] -= fx[r] - fb[r];
            }
            return sums;
        }
    }
}
