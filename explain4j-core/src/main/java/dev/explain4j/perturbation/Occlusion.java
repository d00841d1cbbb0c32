package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Slides a window with strides over each input row (an image, or a feature vector), sets the window to the
 * reference, and attributes to each feature the mean drop f(x) − f(x occluded) over the windows that cover it
 * (Captum's definition). A feature no window covers gets 0.
 *
 * <p>The window and the strides have one entry per dimension of a row. On image inputs (the model's
 * {@link ExplainableModel#imageGeometry}: NCHW, NHWC or flat rows) the method sees every image as [c, h, w] and
 * returns values in the model's own layout; there a window or strides of two entries H, W span all channels, so
 * {@code withWindow(4, 4)} occludes 4×4 patches of every channel at once. By default the window is 2 along every
 * dimension (H, W on images), the strides 1, the reference {@link Reference#zeros()}.
 *
 * <p>The reference is one row (a constant, a mean or a user row, in the model's layout) or a background
 * distribution, whose weighted mean of f(x occluded by each background row) is the occluded output; a reference that
 * differs per input row (several user rows, a blur) is refused by {@link Reference#distribution}.
 */
public final class Occlusion extends PerturbationAttribution<Occlusion> {
    private static final long DEFAULT_WINDOW = 2;

    /** As the user gave them; null for the defaults. */
    private final long[] window;
    private final long[] strides;

    private Occlusion(ExplainableModel model, int batchSize, Reference reference, long[] window, long[] strides) {
        super(model, batchSize, reference);
        this.window = window;
        this.strides = strides;
    }

    /** A 2-wide window (2×2 over all channels on images) at stride 1, zeros as the reference. */
    public static Occlusion of(ExplainableModel model) {
        return new Occlusion(model, BatchedEvaluator.DEFAULT_BATCH_SIZE, Reference.zeros(), null, null);
    }

    /** Window size per row dimension, or H, W over all channels on image inputs. */
    public Occlusion withWindow(long... window) {
        return new Occlusion(model, batchSize, reference, positive("window", window), strides);
    }

    /** Step per row dimension, or H, W on image inputs (default 1). */
    public Occlusion withStrides(long... strides) {
        return new Occlusion(model, batchSize, reference, window, positive("strides", strides));
    }

    @Override
    protected Occlusion copy(int batchSize, Reference reference) {
        return new Occlusion(model, batchSize, reference, window, strides);
    }

    private static long[] positive(String what, long[] sizes) {
        if (sizes == null || sizes.length == 0 || Arrays.stream(sizes).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("occlusion " + what + " " + Arrays.toString(sizes)
                    + " needs at least one entry, each at least 1");
        }
        return sizes.clone();
    }

    @Override
    public String name() {
        return "occlusion";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        Reference.Distribution baseline = flatDistribution(reference, inputs);
        Optional<ImageGeometry> image = model.imageGeometry(inputs);
        if (image.isEmpty()) {
            return occlude(model, x, Arrays.copyOfRange(inputs.shape(), 1, inputs.rank()), baseline, inputs, false, target);
        }
        ImageGeometry g = image.get();
        INDArray nchw = channelsFirstRows(g, x, inputs);
        INDArray references = channelsFirstRows(g, baseline.rows(), inputs);
        Reference.Distribution channelsFirstBaseline = new Reference.Distribution(
                references.reshape('c', references.size(0), -1), baseline.weights());
        return occlude(channelsFirst(model, g), nchw.reshape('c', nchw.size(0), -1),
                new long[]{g.channels(), g.height(), g.width()}, channelsFirstBaseline, nchw, true, target)
                .mapLayout(values -> g.fromNchw(values).reshape(inputs.shape()));
    }

    /**
     * @param on    the model, or its channels-first view
     * @param x     the rows [n, D] in the layout {@code shape} describes, in the model's type
     * @param shape one row's shape as the windows slide over it
     * @param like  an array of the rows' shape, for the values
     */
    private Attributions occlude(ExplainableModel on, INDArray x, long[] shape, Reference.Distribution baseline,
                                 INDArray like, boolean image, Target target) {
        long[] win = sizes("window", window, shape, image, DEFAULT_WINDOW);
        long[] step = sizes("strides", strides, shape, image, 1);
        for (int i = 0; i < shape.length; i++) {
            if (win[i] > shape[i]) {
                throw new IllegalArgumentException("occlusion window " + Arrays.toString(win) + " with strides "
                        + Arrays.toString(step) + " does not fit input rows " + Arrays.toString(shape));
            }
        }
        int width = (int) x.size(1);
        List<int[]> windows = windowIndices(shape, win, step);
        int[] cover = new int[width];
        int units = windows.size();
        byte[] plan = new byte[units * width];
        Arrays.fill(plan, (byte) 1);
        for (int w = 0; w < units; w++) {
            for (int f : windows.get(w)) {
                plan[w * width + f] = 0;
                cover[f]++;
            }
        }
        int n = (int) x.size(0);
        byte[][] masks = new byte[n][];
        Arrays.fill(masks, plan);
        CoalitionValues v = evaluateCoalitions(on, x, baseline.rows(), baseline.weights(), false, FeatureGroups.each().dense(width),
                masks, target);
        double[][] attr = new double[n][width];
        for (int r = 0; r < n; r++) {
            for (int w = 0; w < units; w++) {
                double drop = v.fx[r] - v.values[r][w];
                for (int f : windows.get(w)) {
                    attr[r][f] += drop;
                }
            }
            for (int f = 0; f < width; f++) {
                attr[r][f] = cover[f] == 0 ? 0.0 : attr[r][f] / cover[f];
            }
        }
        return result(attr, like, v)
                .parameter("window", Arrays.toString(win))
                .parameter("strides", Arrays.toString(step))
                .build();
    }

    /**
     * Window or strides for rows of {@code shape}: one entry per dimension as given, or on images [c, h, w] two entries
     * H, W that span the c channels (the channel entry is then c, one position); by default {@code fallback} along
     * every dimension (along H, W on images), at most the dimension's size.
     */
    private static long[] sizes(String what, long[] given, long[] shape, boolean image, long fallback) {
        if (given == null) {
            long[] sizes = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                sizes[i] = image && i == 0 ? shape[0] : Math.min(fallback, shape[i]);
            }
            return sizes;
        }
        if (image && given.length == 2) {
            return new long[]{shape[0], given[0], given[1]};
        }
        if (given.length != shape.length) {
            throw new IllegalArgumentException("occlusion " + what + " " + Arrays.toString(given) + " must have one entry per"
                    + " dimension of the input rows " + Arrays.toString(shape) + (image ? ", or two (H, W) on images" : ""));
        }
        return given.clone();
    }

    /** Flat (row-major) feature indices covered by each window position. */
    private static List<int[]> windowIndices(long[] shape, long[] window, long[] strides) {
        int rank = shape.length;
        long[] positions = new long[rank];
        for (int i = 0; i < rank; i++) {
            positions[i] = (shape[i] - window[i]) / strides[i] + 1;
        }
        long[] stride = new long[rank];
        long acc = 1;
        for (int i = rank - 1; i >= 0; i--) {
            stride[i] = acc;
            acc *= shape[i];
        }
        int windowSize = 1;
        for (long w : window) {
            windowSize *= (int) w;
        }
        List<int[]> out = new ArrayList<>();
        long[] pos = new long[rank];
        while (true) {
            int[] idx = new int[windowSize];
            long[] off = new long[rank];
            for (int k = 0; k < windowSize; k++) {
                long flat = 0;
                for (int i = 0; i < rank; i++) {
                    flat += (pos[i] * strides[i] + off[i]) * stride[i];
                }
                idx[k] = (int) flat;
                for (int i = rank - 1; i >= 0; i--) {
                    if (++off[i] < window[i]) {
                        break;
                    }
                    off[i] = 0;
                }
            }
            out.add(idx);
            int i = rank - 1;
            while (i >= 0 && ++pos[i] >= positions[i]) {
                pos[i] = 0;
                i--;
            }
            if (i < 0) {
                return out;
            }
        }
    }
}
