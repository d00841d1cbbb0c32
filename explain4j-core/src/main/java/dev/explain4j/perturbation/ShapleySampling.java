package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Shapley values estimated from random feature orderings (Captum's ShapleyValueSampling), with antithetic pairs:
 * each random permutation is followed by its reverse, and the pair's mean marginal contributions form one sample.
 * φ is the mean over the samples, its standard error ({@link Attributions#standardErrors()}) the samples' standard
 * deviation / √samples. Every ordering telescopes to f(x) − v(∅), so efficiency holds exactly whatever the draw.
 * Absent features take the reference's values ({@link Reference#distribution}: zeros by default, or a background
 * set whose weighted mean effect is explained).
 */
public final class ShapleySampling extends PerturbationAttribution<ShapleySampling>
        implements FeatureGroups.Grouped<ShapleySampling> {
    private final FeatureGroups groups;
    private final int samples;
    private final long seed;

    private ShapleySampling(ExplainableModel model, int batchSize, Reference reference, FeatureGroups groups, int samples, long seed) {
        super(model, batchSize, reference);
        this.groups = groups;
        this.samples = samples;
        this.seed = seed;
    }

    /** Zeros as the reference, 25 antithetic pairs of orderings, seed 0. */
    public static ShapleySampling of(ExplainableModel model) {
        return new ShapleySampling(model, BatchedEvaluator.DEFAULT_BATCH_SIZE, Reference.zeros(), FeatureGroups.each(), 25, 0);
    }

    /** Group id per flattened input feature; a group enters and leaves coalitions as one player. */
    public ShapleySampling withGroups(int... groups) {
        return withGroups(FeatureGroups.of(groups));
    }

    @Override
    public ShapleySampling withGroups(FeatureGroups groups) {
        return new ShapleySampling(model, batchSize, reference, java.util.Objects.requireNonNull(groups, "groups"), samples, seed);
    }

    /** Antithetic pairs of orderings, each one sample (default 25, i.e. 50 orderings); at least 2 for a standard error. */
    public ShapleySampling withSamples(int pairs) {
        Limits.check("samples", pairs, 1, Limits.MAX_SAMPLES);
        return new ShapleySampling(model, batchSize, reference, groups, pairs, seed);
    }

    public ShapleySampling withSeed(long seed) {
        return new ShapleySampling(model, batchSize, reference, groups, samples, seed);
    }

    @Override
    protected ShapleySampling copy(int batchSize, Reference reference) {
        return new ShapleySampling(model, batchSize, reference, groups, samples, seed);
    }

    @Override
    public String name() {
        return "shapley-sampling";
    }

    /** A row's orderings and the masks of their prefixes. */
    private record Orderings(int[][] perms, byte[] masks) implements RowPlan {
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        Reference.Distribution bg = flatDistribution(reference, inputs);
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        int[] groupOf = groups.dense(width);
        int d = groupCount(groupOf);
        int orderings = 2 * samples;
        int perOrdering = d - 1;  // prefixes of size 1..d−1; the empty and the full one are known
        checkCoalitionEntries("samples", samples, 1, (long) orderings * perOrdering, d);
        double[][] xs = Inputs.rowsAsDoubles(x);
        double[][] attr = new double[n][width];
        double[][] errors = new double[n][width];
        double[] delta = new double[n];
        double[] fx = new double[n];
        double[] fnull = new double[n];
        int[] targets = evaluateInBlocks(x, bg, groupOf, (long) orderings * perOrdering * d, target, r -> {
            int[][] perms = orderings(d, RowRandom.of(seed, xs[r]));
            return new Orderings(perms, prefixMasks(perms, d));
        }, (r, plan, v, i) -> {
            fx[r] = v.fx[i];
            fnull[r] = v.fnull[i];
            double[] mean = new double[d];
            double[] sumSquares = new double[d];
            for (int p = 0; p < samples; p++) {
                double[] sample = new double[d];
                for (int o = 2 * p; o <= 2 * p + 1; o++) {
                    int[] perm = plan.perms()[o];
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
                se[f] = samples > 1 ? Math.sqrt(sumSquares[f] / (samples - 1) / samples) : Double.NaN;
            }
            ExactShapley.spread(mean, groupOf, attr[r]);
            ExactShapley.spread(se, groupOf, errors[r]);
            delta[r] = ExactShapley.sum(mean) - (v.fx[i] - v.fnull[i]);
        });
        return Attributions.builder(name(), shaped(attr, inputs))
                .parameter("batch-size", batchSize)
                .parameter("reference", reference.describe())
                .parameter("samples", samples)
                .parameter("background-rows", bg.size())
                .parameter("groups", groups.describe())
                .reference(reference)
                .targets(targets).targetOutputs(fx).referenceOutputs(fnull)
                .completenessDelta(delta)
                .standardErrors(shaped(errors, inputs))
                .seed(seed)
                .build();
    }

    /** {@code samples} random orderings of the d groups, each followed by its reverse (the antithetic pair). */
    private int[][] orderings(int d, SplittableRandom rng) {
        int[][] perms = new int[2 * samples][];
        for (int p = 0; p < samples; p++) {
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
}
