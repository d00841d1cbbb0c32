package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.SplittableRandom;

/**
 * Shapley values estimated from random feature orderings (Captum's ShapleyValueSampling), with antithetic pairs:
 * each random permutation is followed by its reverse, and the pair's mean marginal contributions form one sample.
 * φ is the mean over pairs, its standard error the pairs' standard deviation / √pairs. Every ordering telescopes
 * to f(x) − v(∅), so efficiency holds exactly whatever the sample.
 */
public final class ShapleySampling extends PerturbationAttribution {
    private final Background background;
    private final int[] groups;
    private final int pairs;
    private final long seed;

    /** The attributions and, with the same shape, the standard error of each value. */
    public record Result(Attributions attributions, INDArray standardErrors) {
    }

    private ShapleySampling(Builder b) {
        super(b.model, b.batchSize);
        this.background = b.requiredBackground("ShapleySampling");
        this.groups = b.groupsCopy();
        this.pairs = b.pairs;
        this.seed = b.seed;
    }

    public static Builder builder(ExplainableModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return "shapley-sampling";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        return attributeWithErrors(inputs, target).attributions();
    }

    public Result attributeWithErrors(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        INDArray bg = flatBackground(background);
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        int[] groupOf = denseGroups(groups, width);
        int d = groupCount(groupOf);
        int orderings = 2 * pairs;
        int perOrdering = d - 1;  // prefixes of size 1..d−1; the empty and the full one are known
        // rows go through in blocks whose masks (one byte per ordering, prefix and group) fit the cap; row r's
        // orderings come from its own stream (RowRandom: the seed and its values) whatever the blocks
        long perRow = (long) orderings * perOrdering * d;
        checkCoalitionEntries("pairs", pairs, 1, (long) orderings * perOrdering, d);
        int rowsPerBlock = (int) Math.min(n, Limits.MAX_COALITION_ENTRIES / Math.max(1, perRow));
        double[][] xs = Inputs.rowsAsDoubles(x);
        double[][] attr = new double[n][width];
        double[][] errors = new double[n][width];
        double[] delta = new double[n];
        int[] targets = new int[n];
        double[] fx = new double[n];
        double[] fnull = new double[n];
        for (int first = 0; first < n; first += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - first);
            int[][][] perms = new int[rows][][];
            byte[][] masks = new byte[rows][];
            for (int i = 0; i < rows; i++) {
                perms[i] = orderings(d, RowRandom.of(seed, xs[first + i]));
                masks[i] = prefixMasks(perms[i], d);
            }
            INDArray block = rows == n ? x : x.get(NDArrayIndex.interval(first, first + rows)).dup('c');
            CoalitionValues v = evaluateCoalitions(block, bg, background.weights(), false, groupOf, masks,
                    target.rows(first, first + rows));
            System.arraycopy(v.targets, 0, targets, first, rows);
            System.arraycopy(v.fx, 0, fx, first, rows);
            System.arraycopy(v.fnull, 0, fnull, first, rows);
            for (int i = 0; i < rows; i++) {
                int r = first + i;
                double[] mean = new double[d];
                double[] sumSquares = new double[d];
                for (int p = 0; p < pairs; p++) {
                    double[] sample = new double[d];
                    for (int o = 2 * p; o <= 2 * p + 1; o++) {
                        int[] perm = perms[i][o];
                        double previous = v.fnull[i];
                        for (int k = 1; k <= d; k++) {
                            double current = k == d ? v.fx[i] : v.values[i][o * perOrdering + k - 1];
                            sample[perm[k - 1]] += 0.5 * (current - previous);
                            previous = current;
                        }
                    }
                    // Welford's running mean and sum of squared deviations
                    for (int f = 0; f < d; f++) {
                        double before = mean[f];
                        mean[f] += (sample[f] - before) / (p + 1);
                        sumSquares[f] += (sample[f] - before) * (sample[f] - mean[f]);
                    }
                }
                double[] se = new double[d];
                for (int f = 0; f < d; f++) {
                    se[f] = pairs > 1 ? Math.sqrt(sumSquares[f] / (pairs - 1) / pairs) : Double.NaN;
                }
                ExactShapley.spread(mean, groupOf, attr[r]);
                ExactShapley.spread(se, groupOf, errors[r]);
                delta[r] = ExactShapley.sum(mean) - (v.fx[i] - v.fnull[i]);
            }
        }
        Attributions attributions = Attributions.builder(name(), shaped(attr, inputs))
                .parameter("batchSize", batchSize)
                .targets(targets).targetOutputs(fx).referenceOutputs(fnull)
                .parameter("pairs", pairs)
                .parameter("background", background.size() + " rows")
                .completenessDelta(delta)
                .seed(seed)
                .build();
        return new Result(attributions, shaped(errors, inputs));
    }

    /** {@code pairs} random orderings of the d groups, each followed by its reverse (the antithetic pair). */
    private int[][] orderings(int d, SplittableRandom rng) {
        int[][] perms = new int[2 * pairs][];
        for (int p = 0; p < pairs; p++) {
            int[] perm = new int[d];
            for (int i = 0; i < d; i++) {
                perm[i] = i;
            }
            for (int i = d - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            int[] reverse = new int[d];
            for (int i = 0; i < d; i++) {
                reverse[i] = perm[d - 1 - i];
            }
            perms[2 * p] = perm;
            perms[2 * p + 1] = reverse;
        }
        return perms;
    }

    /** The masks of every ordering's prefixes of size 1..d−1, ordering-major. */
    private static byte[] prefixMasks(int[][] perms, int d) {
        int perOrdering = d - 1;
        byte[] masks = new byte[perms.length * perOrdering * d]; // ≤ Limits.MAX_COALITION_ENTRIES, checked
        for (int o = 0; o < perms.length; o++) {
            for (int k = 1; k < d; k++) {
                int offset = (o * perOrdering + k - 1) * d;
                for (int i = 0; i < k; i++) {
                    masks[offset + perms[o][i]] = 1;
                }
            }
        }
        return masks;
    }

    /** Settings for {@link ShapleySampling}; the background is required. */
    public static final class Builder extends ShapleySettings<Builder> {
        private int pairs = 25;
        private long seed;

        private Builder(ExplainableModel model) {
            super(model);
        }

        /** Antithetic pairs of orderings (default 25, i.e. 50 orderings); at least 2 for a standard error. */
        public Builder pairs(int pairs) {
            Limits.check("pairs", pairs, 1, Limits.MAX_SAMPLES);
            this.pairs = pairs;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public ShapleySampling build() {
            return new ShapleySampling(this);
        }
    }
}
