package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * LIME for tabular rows [d], following the {@code lime} package's LimeTabularExplainer.
 *
 * <p>With the quartile discretizer (the default), each feature's training quartiles define up to four bins; a
 * neighbour draws every feature's bin from the training bin frequencies and a value from a normal truncated to the
 * bin (the bin's training mean and standard deviation); the surrogate sees 1 where the neighbour's bin equals the
 * instance's. Without it, neighbours are N(mean, std²) of the training data per feature and the surrogate sees them
 * standardised. Neighbours are weighted by √exp(−dist²/width²), width 0.75·√d by default, distances taken in the
 * surrogate's space from the instance; the surrogate is a weighted ridge (α = 1) on the selected features.
 */
public final class Lime extends PerturbationAttribution {
    /** How the surrogate's features are chosen (lime's {@code feature_selection}). */
    public enum FeatureSelection {
        /** Forward selection for up to 6 features, highest weights above. */
        AUTO,
        FORWARD,
        HIGHEST_WEIGHTS,
        NONE
    }

    private final int samples;
    private final int numFeatures;
    private final FeatureSelection selection;
    private final boolean discretize;
    private final double kernelWidth;
    private final long seed;
    private final int d;
    // scaler (population std; 1 where the std is 0, as scikit-learn does)
    private final double[] mean;
    private final double[] scale;
    // quartile discretizer
    private final double[][] quartiles;
    private final double[][] binFrequencies;
    /** Per feature and bin: the bin's training mean and std, truncated to the bin's range. */
    private final TruncatedNormal[][] binValues;

    private Lime(Builder b) {
        super(b.model, b.batchSize);
        long[] shape = model.inputShape();
        if (shape.length != 1) {
            throw new IllegalArgumentException("tabular LIME needs rows of one dimension, the model takes " + Arrays.toString(shape)
                    + "; use LimeImage for images");
        }
        if (b.training == null || b.training.rank() < 1 || b.training.size(0) < 1) {
            throw new IllegalArgumentException("training data is empty: LIME needs training rows to sample neighbours from");
        }
        Inputs.checkShape(b.training, shape, "training data");
        double[][] train = Inputs.rowsAsDoubles(b.training);
        this.d = train[0].length;
        this.samples = b.samples;
        this.numFeatures = b.numFeatures;
        this.selection = b.selection;
        this.discretize = b.discretize;
        this.kernelWidth = b.kernelWidth > 0 ? b.kernelWidth : 0.75 * Math.sqrt(d);
        this.seed = b.seed;
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

    public static Builder builder(ExplainableModel model, INDArray trainingData) {
        return new Builder(model, trainingData);
    }

    @Override
    public String name() {
        return "lime";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        return explain(inputs, target).attributions();
    }

    /** The attributions with each row's surrogate: intercept, coefficients, weighted R², local prediction. */
    public LimeExplanation explain(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        int n = (int) x.size(0);
        double[][] xs = Inputs.rowsAsDoubles(x);
        double[][][] neighbours = new double[n][][];
        double[][][] surrogateData = new double[n][][];
        for (int r = 0; r < n; r++) {
            SplittableRandom rng = RowRandom.of(seed, xs[r]);
            neighbours[r] = new double[samples][];
            surrogateData[r] = new double[samples][];
            sample(xs[r], rng, neighbours[r], surrogateData[r]);
        }
        SampleValues v = evaluateSamples(x, neighbours, target);
        double[] intercepts = new double[n];
        double[][] coefficients = new double[n][];
        int[][] selected = new int[n][];
        double[] scores = new double[n];
        double[] local = new double[n];
        for (int r = 0; r < n; r++) {
            double[][] z = surrogateData[r];
            double[] w = new double[samples];
            for (int s = 0; s < samples; s++) {
                double squared = 0;
                for (int f = 0; f < d; f++) {
                    squared += (z[s][f] - z[0][f]) * (z[s][f] - z[0][f]);
                }
                w[s] = LocalSurrogate.kernel(Math.sqrt(squared), kernelWidth);
            }
            LocalSurrogate fit = LocalSurrogate.explain(z, v.values[r], w, numFeatures,
                    LocalSurrogate.Selection.valueOf(selection.name()));
            intercepts[r] = fit.intercept;
            coefficients[r] = fit.coefficients;
            selected[r] = fit.selected;
            scores[r] = fit.score;
            local[r] = fit.localPrediction;
        }
        Attributions attributions = Attributions.builder(name(), shaped(coefficients, inputs))
                .parameter("batchSize", batchSize)
                .parameter("samples", samples)
                .parameter("numFeatures", numFeatures)
                .parameter("featureSelection", selection.name().toLowerCase(Locale.ROOT))
                .parameter("discretizer", discretize ? "quartile" : "none")
                .parameter("kernelWidth", kernelWidth)
                .parameter("intercept", n == 1 ? Double.toString(intercepts[0]) : Arrays.toString(intercepts))
                .parameter("score", n == 1 ? Double.toString(scores[0]) : Arrays.toString(scores))
                .parameter("localPrediction", n == 1 ? Double.toString(local[0]) : Arrays.toString(local))
                .targets(v.targets)
                .targetOutputs(v.fx)
                .seed(seed)
                .build();
        return new LimeExplanation(attributions, intercepts, coefficients, selected, scores, local);
    }

    /** Fills the model's rows and the surrogate's rows of one instance's neighbourhood; row 0 is the instance. */
    private void sample(double[] x, SplittableRandom rng, double[][] modelRows, double[][] surrogateRows) {
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

    /** Settings for {@link Lime}. */
    public static final class Builder extends LimeSettings<Builder> {
        private final INDArray training;
        private FeatureSelection selection = FeatureSelection.AUTO;
        private boolean discretize = true;

        /** 5000 neighbours, 10 features, kernel width 0.75·√d (0 here: set from the data), as the lime package. */
        private Builder(ExplainableModel model, INDArray training) {
            super(model, 5000, 10, 0);
            this.training = training;
        }

        public Builder featureSelection(FeatureSelection selection) {
            this.selection = selection;
            return this;
        }

        /** Quartile discretization (default true). */
        public Builder discretize(boolean discretize) {
            this.discretize = discretize;
            return this;
        }

        public Lime build() {
            return new Lime(this);
        }
    }
}
