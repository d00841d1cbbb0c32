package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Slides a window with strides over each input row (an image [c, h, w] or [h, w, c], or a feature vector), sets the
 * window to the baseline, and attributes to each feature the mean drop f(x) − f(x occluded) over the windows that
 * cover it (Captum's definition). A feature no window covers gets 0.
 *
 * <p>The window and the strides have one entry per dimension of a row: for an image [3, 32, 32] a window
 * {3, 4, 4} with strides {3, 2, 2} occludes 4×4 patches across all channels.
 */
public final class Occlusion extends PerturbationAttribution {
    private final long[] window;
    private final long[] strides;
    private final double baselineValue;

    private Occlusion(Builder b) {
        super(b.model, b.batchSize);
        long[] shape = model.inputShape();
        if (b.window == null || b.window.length != shape.length) {
            throw new IllegalArgumentException("occlusion window " + Arrays.toString(b.window) + " must have one size per input dimension "
                    + Arrays.toString(shape));
        }
        this.window = b.window.clone();
        this.strides = b.strides == null ? window.clone() : b.strides.clone();
        if (strides.length != shape.length) {
            throw new IllegalArgumentException("occlusion strides " + Arrays.toString(strides) + " must have one entry per input dimension "
                    + Arrays.toString(shape));
        }
        for (int i = 0; i < shape.length; i++) {
            if (window[i] < 1 || (shape[i] > 0 && window[i] > shape[i]) || strides[i] < 1) {
                throw new IllegalArgumentException("occlusion window " + Arrays.toString(window) + " with strides " + Arrays.toString(strides)
                        + " does not fit input shape " + Arrays.toString(shape));
            }
        }
        this.baselineValue = b.baselineValue;
    }

    public static Builder builder(ExplainableModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return "occlusion";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        long[] shape = Arrays.copyOfRange(inputs.shape(), 1, inputs.rank());
        int width = (int) x.size(1);
        List<int[]> windows = windowIndices(shape);
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
        INDArray baseline = flatBackground(constantBaseline(baselineValue, inputs));
        CoalitionValues v = evaluateCoalitions(x, baseline, new double[]{1.0}, false, denseGroups(null, width), masks, target);
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
        return result(attr, inputs, v)
                .parameter("window", Arrays.toString(window))
                .parameter("strides", Arrays.toString(strides))
                .parameter("baseline", baselineValue)
                .build();
    }

    /** Flat (row-major) feature indices covered by each window position. */
    private List<int[]> windowIndices(long[] shape) {
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

    /** Settings for {@link Occlusion}; the window is required. */
    public static final class Builder {
        private final ExplainableModel model;
        private long[] window;
        private long[] strides;
        private double baselineValue;
        private int batchSize = BatchedEvaluator.DEFAULT_BATCH_SIZE;

        private Builder(ExplainableModel model) {
            this.model = model;
        }

        /** Window size per input dimension. */
        public Builder window(long... window) {
            this.window = window.clone();
            return this;
        }

        /** Step per input dimension; defaults to the window (no overlap). */
        public Builder strides(long... strides) {
            this.strides = strides.clone();
            return this;
        }

        /** The value the occluded window takes (default 0). */
        public Builder baseline(double value) {
            this.baselineValue = value;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = BatchedEvaluator.checkBatchSize(batchSize);
            return this;
        }

        public Occlusion build() {
            return new Occlusion(this);
        }
    }
}
