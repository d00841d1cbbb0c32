package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Replaces each feature (or each user-given group of features) by the baseline, one at a time, and attributes
 * f(x) − f(x with that group ablated) to every feature of the group (Captum's FeatureAblation).
 */
public final class FeatureAblation extends PerturbationAttribution {
    private final double baselineValue;
    private final INDArray baselineRow;
    private final int[] groups;

    private FeatureAblation(Builder b) {
        super(b.model, b.batchSize);
        this.baselineValue = b.baselineValue;
        this.baselineRow = b.baselineRow == null ? null : b.baselineRow.dup();
        this.groups = b.groups == null ? null : b.groups.clone();
    }

    public static Builder builder(ExplainableModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return "feature-ablation";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        int[] groupOf = denseGroups(groups, width);
        int g = groupCount(groupOf);
        byte[] plan = new byte[g * g];
        Arrays.fill(plan, (byte) 1);
        for (int i = 0; i < g; i++) {
            plan[i * g + i] = 0;
        }
        byte[][] masks = new byte[n][];
        Arrays.fill(masks, plan);
        Background baseline = baselineRow == null ? constantBaseline(baselineValue, inputs) : Background.of(baselineRow);
        CoalitionValues v = evaluateCoalitions(x, flatBackground(baseline), new double[]{1.0}, false, groupOf, masks, target);
        double[][] attr = new double[n][width];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < width; f++) {
                attr[r][f] = v.fx[r] - v.values[r][groupOf[f]];
            }
        }
        return result(attr, inputs, v)
                .parameter("baseline", baselineRow == null ? Double.toString(baselineValue) : "row")
                .parameter("groups", groups == null ? "features" : g + " groups")
                .build();
    }

    /** Settings for {@link FeatureAblation}. */
    public static final class Builder {
        private final ExplainableModel model;
        private double baselineValue;
        private INDArray baselineRow;
        private int[] groups;
        private int batchSize = BatchedEvaluator.DEFAULT_BATCH_SIZE;

        private Builder(ExplainableModel model) {
            this.model = model;
        }

        /** Ablated features take this value (default 0). */
        public Builder baseline(double value) {
            this.baselineValue = value;
            this.baselineRow = null;
            return this;
        }

        /** Ablated features take their value in this row [1, ...input shape]. */
        public Builder baseline(INDArray row) {
            this.baselineRow = row;
            return this;
        }

        /** Group id per flattened input feature; features of a group are ablated together. */
        public Builder groups(int... groups) {
            this.groups = groups.clone();
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = BatchedEvaluator.checkBatchSize(batchSize);
            return this;
        }

        public FeatureAblation build() {
            return new FeatureAblation(this);
        }
    }
}
