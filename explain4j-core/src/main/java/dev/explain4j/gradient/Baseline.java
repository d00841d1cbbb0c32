package dev.explain4j.gradient;

import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The reference input of path methods: what "absent" means for a feature. Resolved against a batch into one
 * baseline row per input row.
 */
public abstract class Baseline {

    private Baseline() {
    }

    /** One baseline per row of {@code x}, same shape and type as x. */
    abstract INDArray resolve(INDArray x, NetworkModel model);

    /** How the command line and the result's parameters spell it. */
    public abstract String describe();

    /** This baseline for a batch of the rows [first, end) of the original batch, each {@code times} times in a row. */
    Baseline forRows(int first, int end, int times) {
        return this;
    }

    /** All zeros (Captum's default). */
    public static Baseline zeros() {
        return constant(0);
    }

    public static Baseline constant(double value) {
        return new Baseline() {
            @Override
            INDArray resolve(INDArray x, NetworkModel model) {
                return Nd4j.valueArrayOf(x.shape(), value, x.dataType());
            }

            @Override
            public String describe() {
                return value == 0 ? "zero" : "constant:" + value;
            }
        };
    }

    /** The per-feature mean of a background set [rows ≥ 1, ...input shape]. */
    public static Baseline mean(INDArray background) {
        if (background.size(0) < 1) {
            throw new IllegalArgumentException("the background set is empty");
        }
        Inputs.checkFinite(background, "background");
        INDArray mean = background.mean(true, 0);
        return new Baseline() {
            @Override
            INDArray resolve(INDArray x, NetworkModel model) {
                checkWidth(mean, x, "mean of the background");
                return mean.castTo(x.dataType()).broadcast(x.shape()).dup();
            }

            @Override
            public String describe() {
                return "mean";
            }
        };
    }

    /** User rows: one row used for every input row, or exactly one row per input row. */
    public static Baseline rows(INDArray rows) {
        Inputs.checkFinite(rows, "baseline");
        return new RowsBaseline(rows.dup(), 1);
    }

    /**
     * A Gaussian-blurred copy of each image (Sturmfels et al. 2020, "Visualizing the impact of feature attribution
     * baselines"): separable kernel of the given σ in pixels, truncated at 3σ and renormalised at the borders.
     */
    public static Baseline blurred(double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("blur sigma must be positive, got " + sigma);
        }
        return new Baseline() {
            @Override
            INDArray resolve(INDArray x, NetworkModel model) {
                ImageGeometry image = model.imageGeometry(x).orElseThrow(() -> new IllegalArgumentException(
                        "a blurred baseline needs image inputs; got shape " + Arrays.toString(x.shape())));
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
            public String describe() {
                return "blur:" + sigma;
            }
        };
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

    private static void checkWidth(INDArray baseline, INDArray x, String what) {
        long[] expected = Arrays.copyOfRange(x.shape(), 1, x.rank());
        long[] got = Arrays.copyOfRange(baseline.shape(), 1, baseline.rank());
        if (!Arrays.equals(expected, got)) {
            throw new IllegalArgumentException("the " + what + " has row shape " + Arrays.toString(got)
                    + ", expected " + Arrays.toString(expected) + " like the input");
        }
    }

    /** User-given rows, each possibly standing for {@code repeat} consecutive input rows. */
    private static final class RowsBaseline extends Baseline {
        private final INDArray rows;
        private final int repeat;

        RowsBaseline(INDArray rows, int repeat) {
            this.rows = rows;
            this.repeat = repeat;
        }

        @Override
        INDArray resolve(INDArray x, NetworkModel model) {
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
        Baseline forRows(int first, int end, int times) {
            return rows.size(0) == 1 ? this
                    : new RowsBaseline(rows.get(NDArrayIndex.interval(first / repeat, (end + repeat - 1) / repeat)), repeat * times);
        }

        @Override
        public String describe() {
            return rows.size(0) == 1 ? "row" : "rows";
        }
    }
}
