package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LIME for token sequences, following the {@code lime} package's LimeTextExplainer: the features of a row are its
 * words (the distinct token ids present, lime's bag of words: removing a word removes every occurrence), or with
 * {@link #withBagOfWords withBagOfWords(false)} its positions, or with {@link #withGroups} groups of positions. Each neighbour removes a uniformly drawn number (1 to
 * all) of distinct words, a removed position taking the reference token; neighbours are weighted by
 * √exp(−d²/25²) with d the cosine distance ×100 of their present/removed vector to all-present, and a weighted ridge
 * (α = 1) on those vectors gives one coefficient per word, which every position of the word gets. Each row's
 * surrogate (intercept, weighted R², value at the row) is in {@link Attributions#intercepts()},
 * {@link Attributions#fitScores()} and {@link Attributions#localPredictions()}.
 *
 * <p>Rows are token ids [rows, T]; the reference is one row of token ids ({@link Reference#zeros()}: token 0, or a
 * constant reference token). On a model that masks padding the registry runs it over the real tokens only
 * ({@link TokenPerturbation}), so padding is never a word.
 */
public final class LimeText extends PerturbationAttribution<LimeText> implements FeatureGroups.Grouped<LimeText> {
    /** lime's distances are cosine distances ×100, its kernel width 25 on that scale. */
    private static final double DISTANCE_SCALE = 100;

    private final int samples;
    private final int maxFeatures;
    private final double kernelWidth;
    /** The features; null: the row's words (its distinct ids). */
    private final FeatureGroups groups;
    private final long seed;

    private LimeText(ExplainableModel model, int batchSize, Reference reference, int samples, int maxFeatures,
                     double kernelWidth, FeatureGroups groups, long seed) {
        super(model, batchSize, reference);
        this.samples = samples;
        this.maxFeatures = maxFeatures;
        this.kernelWidth = kernelWidth;
        this.groups = groups;
        this.seed = seed;
    }

    /** lime's defaults: 5000 neighbours, kernel width 25, a bag of words; every word in the surrogate; token 0; seed 0. */
    public static LimeText of(ExplainableModel model) {
        return new LimeText(model, BatchedEvaluator.DEFAULT_BATCH_SIZE, Reference.zeros(), 5000, 100_000, 25, null, 0);
    }

    /** Neighbours per row, the row itself included (default 5000). */
    public LimeText withSamples(int samples) {
        Limits.check("samples", samples, 2, Limits.MAX_SAMPLES);
        return new LimeText(model, batchSize, reference, samples, maxFeatures, kernelWidth, groups, seed);
    }

    /** Words the surrogate may use (default all), picked by lime's rules. */
    public LimeText withMaxFeatures(int k) {
        return new LimeText(model, batchSize, reference, samples, LocalSurrogate.checkMaxFeatures(k), kernelWidth,
                groups, seed);
    }

    /** Width of the kernel over cosine distances ×100 (default 25, lime's). */
    public LimeText withKernelWidth(double width) {
        return new LimeText(model, batchSize, reference, samples, maxFeatures, LocalSurrogate.checkKernelWidth(width),
                groups, seed);
    }

    /** Whether a feature is a word, all its occurrences together (default, lime's bow=True), or a position. */
    public LimeText withBagOfWords(boolean words) {
        return new LimeText(model, batchSize, reference, samples, maxFeatures, kernelWidth,
                words ? null : FeatureGroups.each(), seed);
    }

    /** Positions with the same group id are one feature (the sub-word tokens of a word), instead of the bag of words. */
    @Override
    public LimeText withGroups(FeatureGroups groups) {
        return new LimeText(model, batchSize, reference, samples, maxFeatures, kernelWidth,
                java.util.Objects.requireNonNull(groups, "groups"), seed);
    }

    public LimeText withSeed(long seed) {
        return new LimeText(model, batchSize, reference, samples, maxFeatures, kernelWidth, groups, seed);
    }

    @Override
    protected LimeText copy(int batchSize, Reference reference) {
        return new LimeText(model, batchSize, reference, samples, maxFeatures, kernelWidth, groups, seed);
    }

    @Override
    public String name() {
        return "lime-text";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        if (inputs != null && inputs.rank() != 2) {
            throw new IllegalArgumentException("LimeText explains token ids [rows, T]; got rows shaped "
                    + Arrays.toString(Arrays.copyOfRange(inputs.shape(), 1, inputs.rank())));
        }
        INDArray x = flatInputs(inputs);
        Reference.Distribution d = flatDistribution(reference, inputs);
        if (d.size() != 1) {
            throw new IllegalArgumentException("LimeText removes words by one reference row of token ids (a constant"
                    + " reference token or a user row), got a distribution of " + d.size() + " rows");
        }
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        double[][] xs = Inputs.rowsAsDoubles(x);
        double[][] attr = new double[n][width];
        int[] targets = new int[n];
        double[] fx = new double[n];
        double[] fnull = new double[n];
        double[] intercepts = new double[n];
        double[] scores = new double[n];
        double[] local = new double[n];
        for (int r = 0; r < n; r++) {
            int[] wordOf = groups == null ? words(xs[r]) : groups.dense(width);
            int words = groupCount(wordOf);
            checkCoalitionEntries("samples", samples, 1, samples, words);
            byte[] masks = neighbours(RowRandom.of(seed, xs[r]), words);
            INDArray row = x.get(NDArrayIndex.interval(r, r + 1), NDArrayIndex.all());
            CoalitionValues v = evaluateCoalitions(model, row, d.rows(), d.weights(), false, wordOf,
                    new byte[][]{masks}, target.rows(r, r + 1));
            double[][] z = new double[samples][words];
            double[] weights = new double[samples];
            for (int k = 0; k < samples; k++) {
                int present = 0;
                for (int w = 0; w < words; w++) {
                    z[k][w] = masks[k * words + w];
                    present += masks[k * words + w];
                }
                // cosine distance of a 0/1 vector with `present` ones to all ones; 1 for the empty one (sklearn's)
                double cosine = present == 0 ? 1.0 : 1.0 - Math.sqrt(present / (double) words);
                weights[k] = LocalSurrogate.kernel(cosine * DISTANCE_SCALE, kernelWidth);
            }
            LocalSurrogate fit = LocalSurrogate.explain(z, v.values[0], weights, maxFeatures, LocalSurrogate.Selection.AUTO);
            for (int t = 0; t < width; t++) {
                attr[r][t] = fit.coefficients[wordOf[t]];
            }
            targets[r] = v.targets[0];
            fx[r] = v.fx[0];
            fnull[r] = v.fnull[0];
            intercepts[r] = fit.intercept;
            scores[r] = fit.score;
            local[r] = fit.localPrediction;
        }
        return Attributions.builder(name(), shaped(attr, inputs))
                .parameter("batch-size", batchSize)
                .parameter("samples", samples)
                .parameter("features", groups == null ? "words" : groups.describe())
                .parameter("reference", reference.describe())
                .parameter("kernel-width", kernelWidth)
                .reference(reference)
                .targets(targets)
                .targetOutputs(fx)
                .referenceOutputs(fnull)
                .intercepts(intercepts)
                .fitScores(scores)
                .localPredictions(local)
                .seed(seed)
                .build();
    }

    /** The word (index of the distinct id, in order of first occurrence) at each position. */
    private static int[] words(double[] ids) {
        Map<Double, Integer> index = new LinkedHashMap<>();
        int[] wordOf = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
            wordOf[t] = index.computeIfAbsent(ids[t], id -> index.size());
        }
        return wordOf;
    }

    /**
     * lime's neighbourhood: the row itself, then neighbours that each remove a uniformly drawn number of distinct
     * words (1 to all of them), the words drawn without replacement; masks flattened as evaluateCoalitions takes them.
     */
    private byte[] neighbours(SplittableRandom random, int words) {
        byte[] masks = new byte[samples * words];
        Arrays.fill(masks, (byte) 1);
        int[] order = new int[words];
        for (int k = 1; k < samples; k++) {
            int removed = 1 + random.nextInt(words);
            for (int w = 0; w < words; w++) {
                order[w] = w;
            }
            for (int i = 0; i < removed; i++) {
                int j = i + random.nextInt(words - i);
                int chosen = order[j];
                order[j] = order[i];
                order[i] = chosen;
                masks[k * words + chosen] = 0;
            }
        }
        return masks;
    }
}
