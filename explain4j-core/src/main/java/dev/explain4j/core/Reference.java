package dev.explain4j.core;

import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.Inputs;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.clustering.MultiKMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a method compares the input against: what "absent" means for a feature. One type for every family:
 * path methods (Integrated Gradients) integrate from it, perturbation methods put its values where a feature is
 * removed, Shapley methods, expected gradients and LIME draw from it as a distribution, and metrics evaluate
 * against the one an {@link Attributions} records.
 *
 * <ul>
 *   <li>{@link #zeros()}, {@link #constant(double)}: one value everywhere;</li>
 *   <li>{@link #mean(INDArray)}: the per-feature mean of a background set;</li>
 *   <li>{@link #rows(INDArray)}: user rows, one for every input row or exactly one per input row;</li>
 *   <li>{@link #blurred(double)}: a Gaussian-blurred copy of each image;</li>
 *   <li>{@link #distribution(INDArray)}, {@link #distribution(INDArray, double[])}, {@link #kmeans}: a weighted
 *       background distribution.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public abstract class Reference {

    private Reference() {
    }

    /**
     * One reference row per row of {@code x}, same shape and type as x. A distribution resolves to its weighted
     * mean row (the point deletion curves and infidelity perturb towards).
     *
     * @param model the model explained; a blurred reference asks it for the image layout of x
     */
    public abstract INDArray resolve(INDArray x, ExplainableModel model);

    /**
     * The reference as weighted rows [m, ...x's row shape], for methods that average over a background: a single
     * reference row is a distribution of one.
     *
     * @throws IllegalArgumentException for a reference that differs per input row (several user rows, a blur)
     */
    public abstract Distribution distribution(INDArray x, ExplainableModel model);

    /** How the command line and the result's parameters spell it: zero, constant:V, mean, row, rows, blur:σ, distribution. */
    public abstract String describe();

    /** True for a background distribution, whose rows are averaged over rather than being the one reference. */
    public boolean isDistribution() {
        return false;
    }

    /**
     * This reference for a batch holding rows [first, end) of the original batch, each repeated {@code times} times
     * in a row (how path methods and noise tunnels stack their points). Only per-row references change.
     */
    public Reference forRows(int first, int end, int times) {
        return this;
    }

    /**
     * Weighted reference rows.
     *
     * @param rows    [m ≥ 1, ...input shape]
     * @param weights m non-negative weights summing to 1
     */
    public record Distribution(INDArray rows, double[] weights) {
        public int size() {
            return weights.length;
        }

        /** True when every row weighs the same (sampling may then draw indices uniformly). */
        public boolean uniform() {
            return Arrays.stream(weights).allMatch(w -> w == weights[0]);
        }
    }

    /** All zeros (Captum's default). */
    public static Reference zeros() {
        return constant(0);
    }

    /** One value for every feature. */
    public static Reference constant(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a constant reference must be finite, got " + value);
        }
        return new Reference() {
            @Override
            public INDArray resolve(INDArray x, ExplainableModel model) {
                return Nd4j.valueArrayOf(x.shape(), value, x.dataType());
            }

            @Override
            public Distribution distribution(INDArray x, ExplainableModel model) {
                return one(Nd4j.valueArrayOf(firstRowShape(x), value, x.dataType()));
            }

            @Override
            public String describe() {
                return value == 0 ? "zero" : "constant:" + value;
            }
        };
    }

    /** The per-feature mean of a background set [rows ≥ 1, ...input shape]. */
    public static Reference mean(INDArray background) {
        checkNotEmpty(background, "the background set");
        Inputs.checkFinite(background, "background");
        INDArray mean = background.mean(true, 0);
        return new Reference() {
            @Override
            public INDArray resolve(INDArray x, ExplainableModel model) {
                checkWidth(mean, x, "mean of the background");
                return mean.castTo(x.dataType()).broadcast(x.shape()).dup();
            }

            @Override
            public Distribution distribution(INDArray x, ExplainableModel model) {
                checkWidth(mean, x, "mean of the background");
                return one(mean.castTo(x.dataType()).reshape(firstRowShape(x)));
            }

            @Override
            public String describe() {
                return "mean";
            }
        };
    }

    /** User rows [m, ...input shape]: one row used for every input row, or exactly one row per input row. */
    public static Reference rows(INDArray rows) {
        checkNotEmpty(rows, "the reference");
        Inputs.checkFinite(rows, "baseline");
        return new Rows(rows.dup(), 1);
    }

    /**
     * A Gaussian-blurred copy of each image (Sturmfels et al. 2020, "Visualizing the impact of feature attribution
     * baselines"): separable kernel of the given σ in pixels, truncated at 3σ and renormalised at the borders.
     */
    public static Reference blurred(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("blur sigma must be positive, got " + sigma);
        }
        return new Reference() {
            @Override
            public INDArray resolve(INDArray x, ExplainableModel model) {
                ImageGeometry image = model.imageGeometry(x).orElseThrow(() -> new IllegalArgumentException(
                        "a blurred reference needs image inputs; got shape " + Arrays.toString(x.shape())));
                INDArray nchw = image.toNchw(x);
                long n = nchw.size(0);
                long c = nchw.size(1);
                int h = image.height();
                int w = image.width();
                INDArray alongWidth = nchw.dup('c').reshape(n * c * h, w).mmul(gaussianMatrix(w, sigma, x).transpose())
                        .reshape(n, c, h, w);
                INDArray alongHeight = alongWidth.permute(0, 1, 3, 2).dup('c').reshape(n * c * w, h)
                        .mmul(gaussianMatrix(h, sigma, x).transpose()).reshape(n, c, w, h).permute(0, 1, 3, 2);
                return image.fromNchw(alongHeight.dup('c')).reshape(x.shape());
            }

            @Override
            public Distribution distribution(INDArray x, ExplainableModel model) {
                throw new IllegalArgumentException("a blurred reference differs per image; this method needs one"
                        + " reference row or a background distribution");
            }

            @Override
            public String describe() {
                return "blur:" + sigma;
            }
        };
    }

    /** Equally weighted background rows [m ≥ 1, ...input shape]. */
    public static Reference distribution(INDArray rows) {
        checkNotEmpty(rows, "the background set");
        double[] w = new double[Math.toIntExact(rows.size(0))];
        Arrays.fill(w, 1.0 / w.length);
        return new Background(rows.dup(), w);
    }

    /** Background rows with weights: non-negative, with a positive sum, normalised to sum to 1. */
    public static Reference distribution(INDArray rows, double[] weights) {
        checkNotEmpty(rows, "the background set");
        if (weights.length != rows.size(0)) {
            throw new IllegalArgumentException("background has " + rows.size(0) + " rows but " + weights.length + " weights");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("background weights must be finite and ≥ 0, got " + w);
            }
            sum += w;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("background weights sum to 0");
        }
        double[] normalised = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            normalised[i] = weights[i] / sum;
        }
        return new Background(rows.dup(), normalised);
    }

    /**
     * Summarises {@code data} by {@code k} weighted rows, as SHAP's {@code shap.kmeans} does: k-means++ (best of 10
     * seeded restarts, Commons Math), each centre's value in each column replaced by the nearest value of that
     * column in the data, weight = cluster size. With k ≥ rows the data is returned as it is.
     */
    public static Reference kmeans(INDArray data, int k, long seed) {
        checkNotEmpty(data, "the background set");
        if (k < 1) {
            throw new IllegalArgumentException("k-means needs k ≥ 1 clusters, got " + k);
        }
        int n = Math.toIntExact(data.size(0));
        if (k >= n) {
            return distribution(data);
        }
        double[][] x = Inputs.rowsAsDoubles(data);
        List<DoublePoint> points = new ArrayList<>(n);
        for (double[] row : x) {
            points.add(new DoublePoint(row));
        }
        KMeansPlusPlusClusterer<DoublePoint> one = new KMeansPlusPlusClusterer<>(k, 300, new EuclideanDistance(),
                new Well19937c(seed));
        List<CentroidCluster<DoublePoint>> clusters = new MultiKMeansPlusPlusClusterer<>(one, 10).cluster(points);
        int d = x[0].length;
        double[][] sortedColumns = new double[d][n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                sortedColumns[j][i] = x[i][j];
            }
            Arrays.sort(sortedColumns[j]);
        }
        double[][] centres = new double[clusters.size()][];
        double[] weights = new double[clusters.size()];
        for (int c = 0; c < clusters.size(); c++) {
            double[] centre = clusters.get(c).getCenter().getPoint().clone();
            for (int j = 0; j < d; j++) {
                centre[j] = nearest(sortedColumns[j], centre[j]);
            }
            centres[c] = centre;
            weights[c] = clusters.get(c).getPoints().size();
        }
        long[] outShape = data.shape().clone();
        outShape[0] = centres.length;
        return distribution(Nd4j.create(centres).castTo(data.dataType()).reshape('c', outShape), weights);
    }

    private static double nearest(double[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i >= 0) {
            return sorted[i];
        }
        int hi = -i - 1;
        if (hi == 0) {
            return sorted[0];
        }
        if (hi == sorted.length) {
            return sorted[sorted.length - 1];
        }
        return value - sorted[hi - 1] <= sorted[hi] - value ? sorted[hi - 1] : sorted[hi];
    }

    /** Row i holds the normalised Gaussian weights of output pixel i over the input pixels. */
    private static INDArray gaussianMatrix(int size, double sigma, INDArray like) {
        double[][] kernel = new double[size][size];
        int radius = (int) Math.ceil(3 * sigma);
        for (int i = 0; i < size; i++) {
            double total = 0;
            for (int j = Math.max(0, i - radius); j <= Math.min(size - 1, i + radius); j++) {
                kernel[i][j] = Math.exp(-(i - j) * (i - j) / (2 * sigma * sigma));
                total += kernel[i][j];
            }
            for (int j = 0; j < size; j++) {
                kernel[i][j] /= total;
            }
        }
        return Nd4j.createFromArray(kernel).castTo(like.dataType());
    }

    private static long[] firstRowShape(INDArray x) {
        long[] shape = x.shape().clone();
        shape[0] = 1;
        return shape;
    }

    private static Distribution one(INDArray row) {
        return new Distribution(row, new double[]{1.0});
    }

    private static void checkNotEmpty(INDArray rows, String what) {
        if (rows == null || rows.rank() < 1 || rows.size(0) < 1 || rows.length() == 0) {
            throw new IllegalArgumentException(what + " is empty: it needs at least one row");
        }
    }

    private static void checkWidth(INDArray reference, INDArray x, String what) {
        long[] expected = Arrays.copyOfRange(x.shape(), 1, x.rank());
        long[] got = Arrays.copyOfRange(reference.shape(), 1, reference.rank());
        if (!Arrays.equals(expected, got)) {
            throw new IllegalArgumentException("the " + what + " has row shape " + Arrays.toString(got)
                    + ", expected " + Arrays.toString(expected) + " like the input");
        }
    }

    /** User-given rows, each possibly standing for {@code repeat} consecutive input rows. */
    private static final class Rows extends Reference {
        private final INDArray rows;
        private final int repeat;

        Rows(INDArray rows, int repeat) {
            this.rows = rows;
            this.repeat = repeat;
        }

        @Override
        public INDArray resolve(INDArray x, ExplainableModel model) {
            checkWidth(rows, x, "baseline");
            INDArray b = rows.castTo(x.dataType());
            if (rows.size(0) == 1) {
                return b.broadcast(x.shape()).dup();
            }
            if (rows.size(0) * repeat != x.size(0)) {
                throw new IllegalArgumentException("got " + rows.size(0) + " baseline rows for " + x.size(0) / repeat
                        + " input rows; expected 1 or one per input row");
            }
            return repeat == 1 ? b : b.repeat(0, repeat).reshape(x.shape());
        }

        @Override
        public Distribution distribution(INDArray x, ExplainableModel model) {
            checkWidth(rows, x, "baseline");
            if (rows.size(0) != 1) {
                throw new IllegalArgumentException("expected one baseline row for this method, got " + rows.size(0)
                        + " (one reference per input row applies to gradient methods; give a background distribution)");
            }
            return one(rows.dup().castTo(x.dataType()));
        }

        @Override
        public Reference forRows(int first, int end, int times) {
            return rows.size(0) == 1 ? this
                    : new Rows(rows.get(NDArrayIndex.interval(first / repeat, (end + repeat - 1) / repeat)), repeat * times);
        }

        @Override
        public String describe() {
            return rows.size(0) == 1 ? "row" : "rows";
        }
    }

    /** Weighted background rows; resolves to their weighted mean. */
    private static final class Background extends Reference {
        private final INDArray rows;
        private final double[] weights;

        Background(INDArray rows, double[] weights) {
            this.rows = rows;
            this.weights = weights;
        }

        @Override
        public INDArray resolve(INDArray x, ExplainableModel model) {
            checkWidth(rows, x, "background");
            INDArray w = Nd4j.createFromArray(weights).castTo(x.dataType()).reshape(1, weights.length);
            INDArray mean = w.mmul(rows.castTo(x.dataType()).reshape('c', rows.size(0), -1)).reshape(firstRowShape(x));
            return mean.broadcast(x.shape()).dup();
        }

        @Override
        public Distribution distribution(INDArray x, ExplainableModel model) {
            checkWidth(rows, x, "background");
            return new Distribution(rows.dup().castTo(x.dataType()), weights.clone());
        }

        @Override
        public boolean isDistribution() {
            return true;
        }

        @Override
        public String describe() {
            return "distribution";
        }
    }
}
