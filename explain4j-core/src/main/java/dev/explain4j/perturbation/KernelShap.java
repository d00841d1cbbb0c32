package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * KernelSHAP as SHAP's {@code KernelExplainer} computes it, for one target output per row.
 *
 * <ul>
 *   <li>Only the features (or groups) that differ from some background row vary; the others get 0.</li>
 *   <li>Coalition sizes are visited from the outside in (1 and M−1, then 2 and M−2, ...); a size whose share of
 *       the Shapley kernel weight affords all its coalitions is enumerated in full, with its complements; the rest of
 *       the budget is sampled by size (in proportion to the remaining kernel weight) and uniformly within a size, in
 *       complementary pairs; a coalition drawn twice adds weight instead of a row, and the sampled weights are
 *       scaled to the kernel weight left after the enumerated sizes.</li>
 *   <li>The link (identity or logit) is applied to the background-averaged outputs, and the weighted least squares is
 *       solved with one φ eliminated by the constraint Σφ = link(f(x)) − link(E f(background)), so efficiency holds
 *       exactly at any budget.</li>
 *   <li>The default budget is 2M + 2048 coalitions, capped at 2^M − 2, where every coalition is enumerated and the
 *       values are the exact Shapley values.</li>
 * </ul>
 * Absent features take the reference's values ({@link Reference#distribution}): zeros by default (Captum's
 * KernelShap), or a background set, as SHAP needs one; a background larger than {@link #withBackgroundLimit} rows is
 * summarised by {@link Reference#kmeans} and the summary is the reference the result records.
 * Unlike SHAP there is no L1 feature selection by default; {@link #withMaxFeatures(int)} offers a top-k one.
 */
public final class KernelShap extends PerturbationAttribution<KernelShap>
        implements FeatureGroups.Grouped<KernelShap> {
    /** How model outputs are mapped before the additive explanation is fitted. */
    public enum Link {
        IDENTITY {
            @Override
            public double apply(double p) {
                return p;
            }
        },
        LOGIT {
            @Override
            public double apply(double p) {
                return Math.log(p / (1 - p));
            }
        };

        public abstract double apply(double p);
    }

    /** Backgrounds larger than this are summarised by k-means unless the user sets another limit. */
    public static final int DEFAULT_BACKGROUND_LIMIT = 100;

    private final FeatureGroups groups;
    private final int samples;
    private final Link link;
    private final long seed;
    private final int maxFeatures;
    private final int backgroundLimit;

    private KernelShap(ExplainableModel model, int batchSize, Reference reference, FeatureGroups groups, int samples, Link link,
                       long seed, int maxFeatures, int backgroundLimit) {
        super(model, batchSize, reference);
        this.groups = groups;
        this.samples = samples;
        this.link = link;
        this.seed = seed;
        this.maxFeatures = maxFeatures;
        this.backgroundLimit = backgroundLimit;
    }

    /** Zeros as the reference, the automatic budget, the identity link, every feature, seed 0. */
    public static KernelShap of(ExplainableModel model) {
        return new KernelShap(model, BatchedEvaluator.DEFAULT_BATCH_SIZE, Reference.zeros(), FeatureGroups.each(), 0, Link.IDENTITY, 0, 0,
                DEFAULT_BACKGROUND_LIMIT);
    }

    /** Group id per flattened input feature; a group enters and leaves coalitions as one player. */
    public KernelShap withGroups(int... groups) {
        return withGroups(FeatureGroups.of(groups));
    }

    @Override
    public KernelShap withGroups(FeatureGroups groups) {
        return new KernelShap(model, batchSize, reference, java.util.Objects.requireNonNull(groups, "groups"), samples, link, seed, maxFeatures, backgroundLimit);
    }

    /** Coalitions to evaluate per row; 0 (default) means 2M + 2048, always capped at 2^M − 2. */
    public KernelShap withSamples(int samples) {
        Limits.check("samples (0 = automatic)", samples, 0, Limits.MAX_SAMPLES);
        return new KernelShap(model, batchSize, reference, groups, samples, link, seed, maxFeatures, backgroundLimit);
    }

    public KernelShap withLink(Link link) {
        if (link == null) {
            throw new IllegalArgumentException("link must not be null");
        }
        return new KernelShap(model, batchSize, reference, groups, samples, link, seed, maxFeatures, backgroundLimit);
    }

    public KernelShap withSeed(long seed) {
        return new KernelShap(model, batchSize, reference, groups, samples, link, seed, maxFeatures, backgroundLimit);
    }

    /**
     * Keep only the k largest |φ| (from a first fit on all players) and refit on them; others get 0.
     * Off (0) by default. SHAP's {@code num_features(k)} picks the k by LARS instead.
     */
    public KernelShap withMaxFeatures(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("max features must be ≥ 0 (0 = all), got " + k);
        }
        return new KernelShap(model, batchSize, reference, groups, samples, link, seed, k, backgroundLimit);
    }

    /** Background rows above which the background is summarised by k-means to this many rows (default 100). */
    public KernelShap withBackgroundLimit(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("background limit must be ≥ 1, got " + rows);
        }
        return new KernelShap(model, batchSize, reference, groups, samples, link, seed, maxFeatures, rows);
    }

    @Override
    protected KernelShap copy(int batchSize, Reference reference) {
        return new KernelShap(model, batchSize, reference, groups, samples, link, seed, maxFeatures, backgroundLimit);
    }

    @Override
    public String name() {
        return "kernel-shap";
    }

    /** A row's varying players, its coalitions over all groups and their kernel weights. */
    private record RowCoalitions(int[] varying, byte[] masks, double[] weights) implements RowPlan {
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        // the k-means summary clusters the rows in double (exact for any input type), as the reference was given
        Reference.Distribution given = reference.distribution(inputs.castTo(DataType.DOUBLE), model);
        Reference used = given.size() > backgroundLimit ? Reference.kmeans(given.rows(), backgroundLimit, seed) : reference;
        Reference.Distribution bg = flatDistribution(used, inputs);
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        int[] groupOf = groups.dense(width);
        int g = groupCount(groupOf);
        double[][] xs = Inputs.rowsAsDoubles(x);
        double[][] bs = Inputs.rowsAsDoubles(bg.rows());

        long coalitions = samples > 0 ? samples : 2L * g + 2048;
        if (g < 62) {
            coalitions = Math.min(coalitions, (1L << g) - 2);
        }
        // one row's regression holds its masks as 8-byte doubles, so a row may take an eighth of the entries
        checkCoalitionEntries("samples", samples > 0 ? samples : coalitions, Double.BYTES, coalitions, g);
        double[][] attr = new double[n][width];
        double[] delta = new double[n];
        double[] fxLink = new double[n];
        double[] fnullLink = new double[n];
        int[] targets = evaluateInBlocks(x, bg, groupOf, coalitions * g, target, r -> {
            int[] varying = varyingGroups(xs[r], bs, groupOf, g);
            Plan plan = plan(varying.length, RowRandom.of(seed, xs[r]));
            return new RowCoalitions(varying, expand(plan.masks, varying, g), plan.weights);
        }, (r, plan, v, i) -> {
            fxLink[r] = link.apply(v.fx[i]);
            fnullLink[r] = link.apply(v.fnull[i]);
            double total = fxLink[r] - fnullLink[r];
            int[] varying = plan.varying();
            int m = varying.length;
            double[] phiVarying;
            if (m == 0) {
                phiVarying = new double[0];
            } else if (m == 1) {
                phiVarying = new double[]{total};
            } else {
                List<byte[]> rowMasks = unexpand(plan.masks(), varying, g);
                double[] y = new double[rowMasks.size()];
                for (int c = 0; c < y.length; c++) {
                    y[c] = link.apply(v.values[i][c]) - fnullLink[r];
                }
                int[] all = new int[m];
                for (int k = 0; k < m; k++) {
                    all[k] = k;
                }
                phiVarying = solve(rowMasks, plan.weights(), y, total, all, m);
                if (maxFeatures > 0 && maxFeatures < m) {
                    phiVarying = solve(rowMasks, plan.weights(), y, total, topK(phiVarying, maxFeatures), m);
                }
            }
            double[] phi = new double[g];
            for (int k = 0; k < m; k++) {
                phi[varying[k]] = phiVarying[k];
            }
            ExactShapley.spread(phi, groupOf, attr[r]);
            delta[r] = ExactShapley.sum(phi) - total;
        });
        return Attributions.builder(name(), shaped(attr, inputs))
                .parameter("batch-size", batchSize)
                .parameter("reference", used.describe())
                .parameter("samples", samples > 0 ? Integer.toString(samples) : "auto (2M+2048, at most 2^M-2)")
                .parameter("link", link.name().toLowerCase(Locale.ROOT))
                .parameter("groups", groups.describe())
                .parameter("background-rows", bg.size())
                .parameter("max-features", maxFeatures > 0 ? Integer.toString(maxFeatures) : "all")
                .reference(used)
                .targets(targets)
                .targetOutputs(fxLink)
                .referenceOutputs(fnullLink)
                .completenessDelta(delta)
                .seed(seed)
                .build();
    }

    /** Groups where x differs from at least one background row (numpy's isclose tolerances, as SHAP uses). */
    static int[] varyingGroups(double[] x, double[][] bg, int[] groupOf, int groups) {
        boolean[] varies = new boolean[groups];
        for (int f = 0; f < x.length; f++) {
            if (varies[groupOf[f]]) {
                continue;
            }
            for (double[] b : bg) {
                if (Math.abs(x[f] - b[f]) > 1e-8 + 1e-5 * Math.abs(b[f])) {
                    varies[groupOf[f]] = true;
                    break;
                }
            }
        }
        int[] out = new int[groups];
        int m = 0;
        for (int i = 0; i < groups; i++) {
            if (varies[i]) {
                out[m++] = i;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** Coalitions over the M varying players and their kernel weights. */
    private static final class Plan {
        final List<byte[]> masks = new ArrayList<>();
        double[] weights = new double[0];
        private final List<Double> weightList = new ArrayList<>();

        void add(byte[] mask, double weight) {
            masks.add(mask);
            weightList.add(weight);
        }
    }

    private Plan plan(int m, SplittableRandom rng) {
        Plan plan = new Plan();
        if (m < 2) {
            return plan;
        }
        long maxSamples = m <= 30 ? (1L << m) - 2 : 1L << 30;
        long budget = samples > 0 ? samples : 2L * m + 2048;
        budget = Math.min(budget, maxSamples);

        int subsetSizes = (m - 1 + 1) / 2;          // ceil((M−1)/2)
        int pairedSizes = (m - 1) / 2;              // floor((M−1)/2)
        double[] weightBySize = new double[subsetSizes];
        double sum = 0;
        for (int s = 1; s <= subsetSizes; s++) {
            weightBySize[s - 1] = (m - 1.0) / (s * (double) (m - s)) * (s <= pairedSizes ? 2 : 1);
            sum += weightBySize[s - 1];
        }
        for (int s = 0; s < subsetSizes; s++) {
            weightBySize[s] /= sum;
        }

        int fullSizes = 0;
        double left = budget;
        double[] remaining = weightBySize.clone();
        for (int s = 1; s <= subsetSizes; s++) {
            double subsets = ExactShapley.binomial(m, s) * (s <= pairedSizes ? 2 : 1);
            if (left * remaining[s - 1] / subsets < 1.0 - 1e-8) {
                break;
            }
            fullSizes++;
            left -= subsets;
            if (remaining[s - 1] < 1.0) {
                double scale = 1 - remaining[s - 1];
                for (int i = 0; i < remaining.length; i++) {
                    remaining[i] /= scale;
                }
            }
            double w = weightBySize[s - 1] / ExactShapley.binomial(m, s) / (s <= pairedSizes ? 2 : 1);
            int[] combo = new int[s];
            for (int i = 0; i < s; i++) {
                combo[i] = i;
            }
            while (true) {
                byte[] mask = new byte[m];
                for (int i : combo) {
                    mask[i] = 1;
                }
                plan.add(mask, w);
                if (s <= pairedSizes) {
                    plan.add(complement(mask), w);
                }
                if (!nextCombination(combo, m)) {
                    break;
                }
            }
        }

        int fixed = plan.masks.size();
        long samplesLeft = budget - fixed;
        if (fullSizes != subsetSizes && samplesLeft > 0) {
            double[] p = new double[subsetSizes - fullSizes];
            double total = 0;
            for (int i = 0; i < p.length; i++) {
                int s = fullSizes + i + 1;
                p[i] = weightBySize[s - 1] / (s <= pairedSizes ? 2 : 1);
                total += p[i];
            }
            double[] cumulative = new double[p.length];
            double acc = 0;
            for (int i = 0; i < p.length; i++) {
                acc += p[i] / total;
                cumulative[i] = acc;
            }
            Map<BitSet, Integer> used = new HashMap<>();
            long draws = 4 * samplesLeft;
            int[] order = new int[m];
            for (long draw = 0; draw < draws && samplesLeft > 0; draw++) {
                int index = Arrays.binarySearch(cumulative, rng.nextDouble());
                index = Math.min(index < 0 ? -index - 1 : index, p.length - 1);
                int s = index + fullSizes + 1;
                for (int i = 0; i < m; i++) {
                    order[i] = i;
                }
                byte[] mask = new byte[m];
                BitSet key = new BitSet(m);
                for (int i = 0; i < s; i++) {
                    int j = i + rng.nextInt(m - i);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                    mask[order[i]] = 1;
                    key.set(order[i]);
                }
                Integer seen = used.get(key);
                if (seen == null) {
                    used.put(key, plan.masks.size());
                    samplesLeft--;
                    plan.add(mask, 1.0);
                } else {
                    plan.weightList.set(seen, plan.weightList.get(seen) + 1.0);
                }
                if (samplesLeft > 0 && s <= pairedSizes) {
                    if (seen == null) {
                        samplesLeft--;
                        plan.add(complement(mask), 1.0);
                    } else {
                        plan.weightList.set(seen + 1, plan.weightList.get(seen + 1) + 1.0);
                    }
                }
            }
            double weightLeft = 0;
            for (int s = fullSizes; s < subsetSizes; s++) {
                weightLeft += weightBySize[s];
            }
            double sampled = 0;
            for (int i = fixed; i < plan.weightList.size(); i++) {
                sampled += plan.weightList.get(i);
            }
            for (int i = fixed; i < plan.weightList.size(); i++) {
                plan.weightList.set(i, plan.weightList.get(i) * weightLeft / sampled);
            }
        }
        plan.weights = plan.weightList.stream().mapToDouble(Double::doubleValue).toArray();
        return plan;
    }

    private static byte[] complement(byte[] mask) {
        byte[] c = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            c[i] = (byte) (1 - mask[i]);
        }
        return c;
    }

    private static boolean nextCombination(int[] combo, int n) {
        int k = combo.length;
        int i = k - 1;
        while (i >= 0 && combo[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        combo[i]++;
        for (int j = i + 1; j < k; j++) {
            combo[j] = combo[j - 1] + 1;
        }
        return true;
    }

    /** Masks over the varying players → masks over all groups (non-varying groups keep x, which equals the background). */
    private static byte[] expand(List<byte[]> masks, int[] varying, int groups) {
        byte[] out = new byte[masks.size() * groups];
        Arrays.fill(out, (byte) 1);
        for (int c = 0; c < masks.size(); c++) {
            byte[] mask = masks.get(c);
            for (int i = 0; i < varying.length; i++) {
                out[c * groups + varying[i]] = mask[i];
            }
        }
        return out;
    }

    private static List<byte[]> unexpand(byte[] flat, int[] varying, int groups) {
        int count = flat.length / groups;
        List<byte[]> out = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            byte[] mask = new byte[varying.length];
            for (int i = 0; i < varying.length; i++) {
                mask[i] = flat[c * groups + varying[i]];
            }
            out.add(mask);
        }
        return out;
    }

    private static int[] topK(double[] phi, int k) {
        Integer[] order = new Integer[phi.length];
        for (int i = 0; i < phi.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(phi[b]), Math.abs(phi[a])));
        int[] keep = new int[k];
        for (int i = 0; i < k; i++) {
            keep[i] = order[i];
        }
        Arrays.sort(keep);
        return keep;
    }

    /**
     * Weighted least squares of y on the masks restricted to {@code players}, with the last player eliminated by
     * Σφ = total; players outside get 0.
     */
    private static double[] solve(List<byte[]> masks, double[] weights, double[] y, double total, int[] players, int m) {
        double[] phi = new double[m];
        int last = players[players.length - 1];
        if (players.length == 1) {
            phi[last] = total;
            return phi;
        }
        int rows = masks.size();
        int cols = players.length - 1;
        double[] e = new double[rows * cols]; // ≤ Limits.MAX_COALITION_ENTRIES, checked before planning
        double[] adjusted = new double[rows];
        double[] w = new double[rows];
        for (int c = 0; c < rows; c++) {
            byte[] mask = masks.get(c);
            for (int i = 0; i < cols; i++) {
                e[c * cols + i] = mask[players[i]] - mask[last];
            }
            adjusted[c] = y[c] - mask[last] * total;
            w[c] = weights[c];
        }
        INDArray design = Nd4j.create(e, new long[]{rows, cols}, DataType.DOUBLE);
        INDArray weighted = design.mulColumnVector(Nd4j.create(w, new long[]{rows, 1}, DataType.DOUBLE));
        INDArray normal = weighted.transpose().mmul(design);
        INDArray rhs = weighted.transpose().mmul(Nd4j.create(adjusted, new long[]{rows, 1}, DataType.DOUBLE));
        double[] solution = NormalEquations.solve(Inputs.rowsAsDoubles(normal), rhs.toDoubleVector());
        double rest = total;
        for (int i = 0; i < cols; i++) {
            phi[players[i]] = solution[i];
            rest -= solution[i];
        }
        phi[last] = rest;
        return phi;
    }
}
