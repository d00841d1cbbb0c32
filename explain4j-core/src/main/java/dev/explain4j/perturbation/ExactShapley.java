package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact Shapley values over all 2^d coalitions of the d features (or feature groups), with value function
 * v(S) = Σ_j w_j f(x_S, b_j rest) over the reference's rows b_j ({@link Reference#distribution}: a background set, or
 * one row of zeros (the default), a constant, a mean or a user row as a background of one).
 * φ_i = Σ_{S ∌ i} |S|!(d−|S|−1)!/d! · (v(S ∪ {i}) − v(S)); Σφ = f(x) − v(∅) holds to rounding.
 */
public final class ExactShapley extends PerturbationAttribution<ExactShapley>
        implements FeatureGroups.Grouped<ExactShapley> {
    /** 2^20 coalitions, i.e. 20 features, unless the user allows more. */
    public static final long DEFAULT_COALITION_LIMIT = 1L << 20;

    private final FeatureGroups groups;
    private final long coalitionLimit;

    private ExactShapley(ExplainableModel model, int batchSize, Reference reference, FeatureGroups groups, long coalitionLimit) {
        super(model, batchSize, reference);
        this.groups = groups;
        this.coalitionLimit = coalitionLimit;
    }

    /** Zeros as the reference, every feature its own player, at most 2^20 coalitions. */
    public static ExactShapley of(ExplainableModel model) {
        return new ExactShapley(model, BatchedEvaluator.DEFAULT_BATCH_SIZE, Reference.zeros(), FeatureGroups.each(), DEFAULT_COALITION_LIMIT);
    }

    /** Group id per flattened input feature; a group enters and leaves coalitions as one player. */
    public ExactShapley withGroups(int... groups) {
        return withGroups(FeatureGroups.of(groups));
    }

    @Override
    public ExactShapley withGroups(FeatureGroups groups) {
        return new ExactShapley(model, batchSize, reference, java.util.Objects.requireNonNull(groups, "groups"), coalitionLimit);
    }

    /** Most coalitions allowed (default 2^20). */
    public ExactShapley withCoalitionLimit(long limit) {
        if (limit < 4) {
            throw new IllegalArgumentException("coalition limit must be at least 4, got " + limit);
        }
        return new ExactShapley(model, batchSize, reference, groups, limit);
    }

    @Override
    protected ExactShapley copy(int batchSize, Reference reference) {
        return new ExactShapley(model, batchSize, reference, groups, coalitionLimit);
    }

    @Override
    public String name() {
        return "exact-shapley";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        Reference.Distribution bg = flatDistribution(reference, inputs);
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        int[] groupOf = groups.dense(width);
        int d = groupCount(groupOf);
        if (d > 62 || (1L << d) > coalitionLimit) {
            throw new IllegalArgumentException("too many coalitions: exact Shapley values over " + d + " features need 2^" + d
                    + " coalitions, above the limit of " + coalitionLimit + "; group features, raise the coalition limit, or use "
                    + "KernelShap or ShapleySampling");
        }
        int all = 1 << d;
        // every coalition but the empty and the full one, whose values are f(background) and f(x)
        byte[] plan = new byte[(all - 2) * d];
        for (int s = 1; s < all - 1; s++) {
            for (int i = 0; i < d; i++) {
                plan[(s - 1) * d + i] = (byte) ((s >>> i) & 1);
            }
        }
        byte[][] masks = new byte[n][];
        java.util.Arrays.fill(masks, plan);
        CoalitionValues v = evaluateCoalitions(model, x, bg.rows(), bg.weights(), false, groupOf, masks, target);
        double[] weightBySize = new double[d];
        for (int s = 0; s < d; s++) {
            // s!(d−s−1)!/d! = 1 / (d · C(d−1, s))
            weightBySize[s] = 1.0 / (d * binomial(d - 1, s));
        }
        double[][] attr = new double[n][width];
        double[] delta = new double[n];
        for (int r = 0; r < n; r++) {
            double[] value = new double[all];
            value[0] = v.fnull[r];
            value[all - 1] = v.fx[r];
            System.arraycopy(v.values[r], 0, value, 1, all - 2);
            double[] phi = new double[d];
            for (int s = 0; s < all; s++) {
                int size = Integer.bitCount(s);
                for (int i = 0; i < d; i++) {
                    if ((s & (1 << i)) == 0) {
                        phi[i] += weightBySize[size] * (value[s | (1 << i)] - value[s]);
                    }
                }
            }
            spread(phi, groupOf, attr[r]);
            delta[r] = sum(phi) - (v.fx[r] - v.fnull[r]);
        }
        return result(attr, inputs, v)
                .parameter("background-rows", bg.size())
                .parameter("groups", groups.describe())
                .parameter("features", d)
                .completenessDelta(delta)
                .build();
    }

    static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return Math.rint(c);
    }

    static double sum(double[] values) {
        double s = 0;
        for (double value : values) {
            s += value;
        }
        return s;
    }

    /**
     * Every feature of a group gets the group's value (Captum's convention for feature masks), so with groups the
     * efficiency identity holds over groups, not over features.
     */
    static void spread(double[] phi, int[] groupOf, double[] out) {
        for (int f = 0; f < groupOf.length; f++) {
            out[f] = phi[groupOf[f]];
        }
    }
}
