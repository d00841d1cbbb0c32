package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Replaces each feature (or each user-given group of features) by the reference, one at a time, and attributes
 * f(x) − f(x with that group ablated) to every feature of the group (Captum's FeatureAblation).
 *
 * <p>The reference is one row ({@link Reference#zeros()} by default, a constant, a mean or a user row), or a background
 * distribution, whose weighted mean of f(x with the group from each background row) is the ablated output. A reference
 * that differs per input row (several user rows, a blur) is refused by {@link Reference#distribution}.
 */
public final class FeatureAblation extends PerturbationAttribution<FeatureAblation>
        implements FeatureGroups.Grouped<FeatureAblation> {
    private final FeatureGroups groups;

    private FeatureAblation(ExplainableModel model, int batchSize, Reference reference, FeatureGroups groups) {
        super(model, batchSize, reference);
        this.groups = groups;
    }

    /** Zeros as the reference, every feature ablated on its own. */
    public static FeatureAblation of(ExplainableModel model) {
        return new FeatureAblation(model, BatchedEvaluator.DEFAULT_BATCH_SIZE, Reference.zeros(), FeatureGroups.each());
    }

    /** Group id per flattened input feature; features of a group are ablated together. */
    public FeatureAblation withGroups(int... groups) {
        return withGroups(FeatureGroups.of(groups));
    }

    @Override
    public FeatureAblation withGroups(FeatureGroups groups) {
        return new FeatureAblation(model, batchSize, reference, java.util.Objects.requireNonNull(groups, "groups"));
    }

    @Override
    protected FeatureAblation copy(int batchSize, Reference reference) {
        return new FeatureAblation(model, batchSize, reference, groups);
    }

    @Override
    public String name() {
        return "feature-ablation";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        Reference.Distribution baseline = flatDistribution(reference, inputs);
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        int[] groupOf = groups.dense(width);
        int g = groupCount(groupOf);
        byte[] plan = new byte[g * g];
        Arrays.fill(plan, (byte) 1);
        for (int i = 0; i < g; i++) {
            plan[i * g + i] = 0;
        }
        byte[][] masks = new byte[n][];
        Arrays.fill(masks, plan);
        CoalitionValues v = evaluateCoalitions(model, x, baseline.rows(), baseline.weights(), false, groupOf, masks, target);
        double[][] attr = new double[n][width];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < width; f++) {
                attr[r][f] = v.fx[r] - v.values[r][groupOf[f]];
            }
        }
        return result(attr, inputs, v)
                .parameter("groups", groups.describe())
                .build();
    }
}
