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

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LIME for tabular rows [d], following the {@code lime} package's LimeTabularExplainer.
 *
 * <p>The training data LIME takes its statistics from is the method's reference: an equally weighted
 * {@link Reference#distribution(INDArray)} of training rows, required by {@link #of}. With the quartile discretizer
 * (the default), each feature's training quartiles define up to four bins; a neighbour draws every feature's bin from
 * the training bin frequencies and a value from a normal truncated to the bin (the bin's training mean and standard
 * deviation); the surrogate sees 1 where the neighbour's bin equals the instance's. Without it, neighbours are
 * N(mean, std²) of the training data per feature and the surrogate sees them standardised. Neighbours are weighted by
 * √exp(−dist²/width²), width 0.75·√d by default, distances taken in the surrogate's space from the instance; the
 * surrogate is a weighted ridge (α = 1) on the selected features. Its coefficients (in the surrogate's space) are the
 * attributions; each row's intercept, weighted R² and value at the instance are in {@link Attributions#intercepts()},
 * {@link Attributions#fitScores()} and {@link Attributions#localPredictions()}.
 */
public final class Lime extends PerturbationAttribution<Lime> {
    /** How the surrogate's features are chosen (lime's {@code feature_selection}). */
    public enum FeatureSelection {
        /** Forward selection for up to 6 features, highest weights above. */
        AUTO,
        FORWARD,
        HIGHEST_WEIGHTS,
        NONE
    }

    private final int samples;
    private final int maxFeatures;
    private final FeatureSelection selection;
    private final boolean discretize;
    /** 0: 0.75·√d. */
    private final double kernelWidth;
    private final long seed;

    private Lime(ExplainableModel model, int batchSize, Reference training, int samples, int maxFeatures,
                 FeatureSelection selection, boolean discretize, double kernelWidth, long seed) {
        super(model, batchSize, training);
        long[] shape = model.inputShape();
        if (shape.length != 1) {
            throw new IllegalArgumentException("tabular LIME needs rows of one dimension, the model takes " + Arrays.toString(shape)
                    + "; use LimeImage for images");
        }
        if (!training.isDistribution()) {
            throw new IllegalArgumentException("LIME samples its neighbours from training data: give the training rows as"
                    + " Reference.distribution(rows), not the " + training.describe() + " reference");
        }
        this.samples = samples;
        this.maxFeatures = maxFeatures;
        this.selection = selection;
        this.discretize = discretize;
        this.kernelWidth = kernelWidth;
        this.seed = seed;
    }

    /**
     * 5000 neighbours, 10 features, automatic feature selection, the quartile discretizer, kernel width 0.75·√d and
     * seed 0, as the lime package.
     *
     * @param training the training rows as {@link Reference#distribution(INDArray)}; {@link #withReference} replaces them
     */
    public static Lime of(ExplainableModel model, Reference training) {
        if (training == null) {
            throw new IllegalArgumentException("training data is empty: LIME needs training rows to sample neighbours from");
        }
        return new Lime(model, BatchedEvaluator.DEFAULT_BATCH_SIZE, training, 5000, 10, FeatureSelection.AUTO, true, 0, 0);
    }

    /** Neighbours per row, the instance included (default 5000). */
    public Lime withSamples(int samples) {
        Limits.check("samples", samples, 2, Limits.MAX_SAMPLES);
        return new Lime(model, batchSize, reference, samples, maxFeatures, selection, discretize, kernelWidth, seed);
    }

    /** Features the surrogate may use (default 10). */
    public Lime withMaxFeatures(int k) {
        return new Lime(model, batchSize, reference, samples, LocalSurrogate.checkMaxFeatures(k), selection, discretize,
                kernelWidth, seed);
    }

    public Lime withFeatureSelection(FeatureSelection selection) {
        if (selection == null) {
            throw new IllegalArgumentException("feature selection must not be null");
        }
        return new Lime(model, batchSize, reference, samples, maxFeatures, selection, discretize, kernelWidth, seed);
    }

    /** Quartile discretization (default true). */
    public Lime withDiscretization(boolean discretize) {
        return new Lime(model, batchSize, reference, samples, maxFeatures, selection, discretize, kernelWidth, seed);
    }

    /** Width of the exponential kernel over distances (default 0.75·√d). */
    public Lime withKernelWidth(double width) {
        return new Lime(model, batchSize, reference, samples, maxFeatures, selection, discretize,
                LocalSurrogate.checkKernelWidth(width), seed);
    }

    public Lime withSeed(long seed) {
        return new Lime(model, batchSize, reference, samples, maxFeatures, selection, discretize, kernelWidth, seed);
    }

    @Override
    protected Lime copy(int batchSize, Reference reference) {
        return new Lime(model, batchSize, reference, samples, maxFeatures, selection, discretize, kernelWidth, seed);
    }

    @Override
    public String name() {
        return "lime";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        // the statistics are taken in double, exact for training rows of any type
        Reference.Distribution training = reference.distribution(inputs.castTo(DataType.DOUBLE), model);
        if (!training.uniform()) {
            throw new IllegalArgumentException("LIME weighs its training rows equally; got a weighted distribution of "
                    + training.size() + " rows");
        }
        Statistics stats = new Statistics(Inputs.rowsAsDoubles(training.rows()));
        int d = stats.mean.length;
        double width = kernelWidth > 0 ? kernelWidth : 0.75 * Math.sqrt(d);
        int n = (int) x.size(0);
        double[][] xs = Inputs.rowsAsDoubles(x);
        double[] intercepts = new double[n];
        double[][] coefficients = new double[n][];
        double[] scores = new double[n];
        double[] local = new double[n];
        // a row's surrogate rows, from its sampling until its fit: only the rows one model batch spans are held
        Map<Integer, double[][]> surrogateData = new HashMap<>();
        SampleValues v = evaluateSamples(x, samples, target, new Neighbourhoods() {
            @Override
            public double[][] samples(int r) {
                double[][] neighbours = new double[samples][];
                double[][] z = new double[samples][];
                sample(stats, xs[r], RowRandom.of(seed, xs[r]), neighbours, z);
                surrogateData.put(r, z);
                return neighbours;
            }

            @Override
            public void evaluated(int r, double[] values) {
                double[][] z = surrogateData.remove(r);
                double[] w = new double[samples];
                for (int s = 0; s < samples; s++) {
                    double squared = 0;
                    for (int f = 0; f < d; f++) {
                        squared += (z[s][f] - z[0][f]) * (z[s][f] - z[0][f]);
                    }
                    w[s] = LocalSurrogate.kernel(Math.sqrt(squared), width);
                }
                LocalSurrogate fit = LocalSurrogate.explain(z, values, w, maxFeatures,
                        LocalSurrogate.Selection.valueOf(selection.name()));
                intercepts[r] = fit.intercept;
                coefficients[r] = fit.coefficients;
                scores[r] = fit.score;
                local[r] = fit.localPrediction;
            }
        });
        return Attributions.builder(name(), shaped(coefficients, inputs))
                .parameter("batch-size", batchSize)
                .parameter("reference", reference.describe())
                .parameter("samples", samples)
                .parameter("max-features", maxFeatures)
                .parameter("feature-selection", selection.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .parameter("discretizer", discretize ? "quartile" : "none")
                .parameter("kernel-width", width)
                .parameter("training-rows", training.size())
                .reference(reference)
                .targets(v.targets)
                .targetOutputs(v.fx)
                .intercepts(intercepts)
                .fitScores(scores)
                .localPredictions(local)
                .seed(seed)
                .build();
    }

    /**
     * The training data's per-feature statistics: the scaler (population std; 1 where the std is 0, as scikit-learn
     * does) and the quartile discretizer with, per feature and bin, the bin's training frequency and its mean and std
     * as a normal truncated to the bin's range.
     */
    private static final class Statistics {
        final double[] mean;
        final double[] scale;
        final double[][] quartiles;
        final double[][] binFrequencies;
        final TruncatedNormal[][] binValues;

        Statistics(double[][] train) {
            int d = train[0].length;
            int rows = train.length;
            mean = new double[d];
            scale = new double[d];
            quartiles = new double[d][];
            binFrequencies = new double[d][];
            binValues = new TruncatedNormal[d][];
            for (int f = 0; f < d; f++) {
                double[] column = new double[rows];
                for (int r = 0; r < rows; r++) {
                    column[r] = train[r][f];
                }
                double m = Arrays.stream(column).sum() / rows;
                double var = 0;
                for (double v : column) {
                    var += (v - m) * (v - m);
                }
                double std = Math.sqrt(var / rows);
                mean[f] = m;
                scale[f] = std == 0 ? 1 : std;

                double[] sorted = column.clone();
                Arrays.sort(sorted);
                quartiles[f] = Arrays.stream(new double[]{percentile(sorted, 25), percentile(sorted, 50), percentile(sorted, 75)})
                        .distinct().sorted().toArray();
                int bins = quartiles[f].length + 1;
                double[] binMeans = new double[bins];
                binFrequencies[f] = new double[bins];
                double[] sums = new double[bins];
                int[] counts = new int[bins];
                for (double v : column) {
                    int bin = bin(quartiles[f], v);
                    sums[bin] += v;
                    counts[bin]++;
                }
                for (int k = 0; k < bins; k++) {
                    binMeans[k] = counts[k] == 0 ? 0 : sums[k] / counts[k];
                    binFrequencies[f][k] = counts[k] / (double) rows;
                }
                double[] squares = new double[bins];
                for (double v : column) {
                    int bin = bin(quartiles[f], v);
                    squares[bin] += (v - binMeans[bin]) * (v - binMeans[bin]);
                }
                binValues[f] = new TruncatedNormal[bins];
                for (int k = 0; k < bins; k++) {
                    double binStd = (counts[k] == 0 ? 0 : Math.sqrt(squares[k] / counts[k])) + 1e-11;
                    double lo = k == 0 ? sorted[0] : quartiles[f][k - 1];
                    double hi = k == bins - 1 ? sorted[rows - 1] : quartiles[f][k];
                    binValues[f][k] = new TruncatedNormal(binMeans[k], binStd, lo, hi);
                }
            }
        }
    }

    /** Fills the model's rows and the surrogate's rows of one instance's neighbourhood; row 0 is the instance. */
    private void sample(Statistics stats, double[] x, SplittableRandom rng, double[][] modelRows, double[][] surrogateRows) {
        int d = x.length;
        double[] mean = stats.mean;
        double[] scale = stats.scale;
        double[][] quartiles = stats.quartiles;
        double[][] binFrequencies = stats.binFrequencies;
        TruncatedNormal[][] binValues = stats.binValues;
        modelRows[0] = x.clone();
        surrogateRows[0] = new double[d];
        if (!discretize) {
            for (int f = 0; f < d; f++) {
                surrogateRows[0][f] = (x[f] - mean[f]) / scale[f];
            }
            for (int s = 1; s < samples; s++) {
                modelRows[s] = new double[d];
                surrogateRows[s] = new double[d];
                for (int f = 0; f < d; f++) {
                    double z = gaussian(rng);
                    modelRows[s][f] = z * scale[f] + mean[f];
                    surrogateRows[s][f] = (modelRows[s][f] - mean[f]) / scale[f];
                }
            }
            return;
        }
        Arrays.fill(surrogateRows[0], 1.0);
        for (int s = 1; s < samples; s++) {
            modelRows[s] = new double[d];
            surrogateRows[s] = new double[d];
        }
        for (int f = 0; f < d; f++) {
            int own = bin(quartiles[f], x[f]);
            double[] cumulative = new double[binFrequencies[f].length];
            double acc = 0;
            for (int k = 0; k < cumulative.length; k++) {
                acc += binFrequencies[f][k];
                cumulative[k] = acc;
            }
            for (int s = 1; s < samples; s++) {
                double u = rng.nextDouble() * acc;
                int bin = 0;
                while (bin < cumulative.length - 1 && u >= cumulative[bin]) {
                    bin++;
                }
                surrogateRows[s][f] = bin == own ? 1 : 0;
                modelRows[s][f] = binValues[f][bin].sample(rng);
            }
        }
    }

    private static double gaussian(SplittableRandom rng) {
        // Box–Muller on the explicit generator: no hidden global state
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** numpy's searchsorted(side='left'): the number of quartiles strictly below v. */
    private static int bin(double[] quartiles, double v) {
        int k = 0;
        while (k < quartiles.length && quartiles[k] < v) {
            k++;
        }
        return k;
    }

    /** numpy's default (linear) percentile of sorted values. */
    private static double percentile(double[] sorted, double q) {
        double position = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
