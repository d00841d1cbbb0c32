package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * LIME for images [c, h, w] or [h, w, c], following the {@code lime} package's LimeImageExplainer: the image is cut
 * into superpixels (a regular grid, or a segmentation the caller supplies), each neighbour hides a random half of
 * them (by the superpixel's per-channel mean, or by a constant), neighbours are weighted by √exp(−d²/0.25²) with d
 * the cosine distance of their on/off vector to all-on, and a weighted ridge (α = 1) on the on/off vectors gives one
 * coefficient per superpixel; every pixel (all channels) gets its superpixel's coefficient.
 */
public final class LimeImage extends PerturbationAttribution {
    /** How hidden superpixels are filled. */
    public enum Hide { MEAN, CONSTANT }

    private final boolean channelsFirst;
    private final int cellHeight;
    private final int cellWidth;
    private final int[][] segments;
    private final Hide hide;
    private final double hideValue;
    private final int samples;
    private final int numFeatures;
    private final double kernelWidth;
    private final long seed;

    private LimeImage(Builder b) {
        super(b.model, b.batchSize);
        long[] shape = model.inputShape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("LimeImage needs image rows [c, h, w] or [h, w, c], the model takes "
                    + Arrays.toString(shape));
        }
        this.channelsFirst = b.channelsFirst;
        this.cellHeight = b.cellHeight;
        this.cellWidth = b.cellWidth;
        this.segments = b.segments == null ? null : Arrays.stream(b.segments).map(int[]::clone).toArray(int[][]::new);
        this.hide = b.hide;
        this.hideValue = b.hideValue;
        this.samples = b.samples;
        this.numFeatures = b.numFeatures;
        this.kernelWidth = b.kernelWidth;
        this.seed = b.seed;
    }

    public static Builder builder(ExplainableModel model) {
        return new Builder(model);
    }

    @Override
    public String name() {
        return "lime";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        return explain(inputs, target).attributions();
    }

    public LimeExplanation explain(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        long[] shape = Arrays.copyOfRange(inputs.shape(), 1, 4);
        int channels = (int) (channelsFirst ? shape[0] : shape[2]);
        int h = (int) (channelsFirst ? shape[1] : shape[0]);
        int w = (int) (channelsFirst ? shape[2] : shape[1]);
        int[][] seg = segments != null ? segments : grid(h, w);
        if (seg.length != h || seg[0].length != w) {
            throw new IllegalArgumentException("segmentation is " + seg.length + "×" + seg[0].length + ", the images are " + h + "×" + w);
        }
        int[] pixelGroup = new int[width];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int f = channelsFirst ? (c * h + i) * w + j : (i * w + j) * channels + c;
                    pixelGroup[f] = seg[i][j];
                }
            }
        }
        int[] groupOf = denseGroups(pixelGroup, width);
        int s = groupCount(groupOf);

        // the image with every superpixel hidden, one per row
        double[][] xs = Inputs.rowsAsDoubles(x);
        double[][] hidden = new double[n][width];
        for (int r = 0; r < n; r++) {
            if (hide == Hide.CONSTANT) {
                Arrays.fill(hidden[r], hideValue);
                continue;
            }
            double[][] sums = new double[s][channels];
            int[][] counts = new int[s][channels];
            for (int f = 0; f < width; f++) {
                int c = channelsFirst ? f / (h * w) : f % channels;
                sums[groupOf[f]][c] += xs[r][f];
                counts[groupOf[f]][c]++;
            }
            for (int f = 0; f < width; f++) {
                int c = channelsFirst ? f / (h * w) : f % channels;
                hidden[r][f] = sums[groupOf[f]][c] / counts[groupOf[f]][c];
            }
        }
        checkCoalitionEntries("samples", samples, n, samples, s);
        byte[][] masks = new byte[n][samples * s];
        for (int r = 0; r < n; r++) {
            SplittableRandom rng = RowRandom.of(seed, xs[r]);
            Arrays.fill(masks[r], 0, s, (byte) 1);
            for (int k = s; k < samples * s; k++) {
                masks[r][k] = (byte) rng.nextInt(2);
            }
        }
        INDArray baselines = Nd4j.create(hidden).castTo(model.dataType());
        CoalitionValues v = evaluateCoalitions(x, baselines, null, true, groupOf, masks, target);

        double[] intercepts = new double[n];
        double[][] coefficients = new double[n][];
        int[][] selected = new int[n][];
        double[] scores = new double[n];
        double[] local = new double[n];
        double[][] attr = new double[n][width];
        for (int r = 0; r < n; r++) {
            double[][] z = new double[samples][s];
            double[] weights = new double[samples];
            for (int k = 0; k < samples; k++) {
                int on = 0;
                for (int g = 0; g < s; g++) {
                    z[k][g] = masks[r][k * s + g];
                    on += masks[r][k * s + g];
                }
                double cosine = on == 0 ? 1.0 : 1.0 - Math.sqrt(on / (double) s);
                weights[k] = LocalSurrogate.kernel(cosine, kernelWidth);
            }
            LocalSurrogate fit = LocalSurrogate.explain(z, v.values[r], weights, numFeatures, LocalSurrogate.Selection.AUTO);
            intercepts[r] = fit.intercept;
            coefficients[r] = fit.coefficients;
            selected[r] = fit.selected;
            scores[r] = fit.score;
            local[r] = fit.localPrediction;
            for (int f = 0; f < width; f++) {
                attr[r][f] = fit.coefficients[groupOf[f]];
            }
        }
        Attributions attributions = Attributions.builder(name(), shaped(attr, inputs))
                .parameter("batchSize", batchSize)
                .parameter("samples", samples)
                .parameter("superpixels", segments == null ? "grid " + cellHeight + "x" + cellWidth : "given (" + s + ")")
                .parameter("hide", hide == Hide.MEAN ? "mean" : Double.toString(hideValue))
                .parameter("kernelWidth", kernelWidth)
                .targets(v.targets)
                .targetOutputs(v.fx)
                .seed(seed)
                .build();
        return new LimeExplanation(attributions, intercepts, coefficients, selected, scores, local);
    }

    private int[][] grid(int h, int w) {
        int columns = (w + cellWidth - 1) / cellWidth;
        int[][] seg = new int[h][w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                seg[i][j] = (i / cellHeight) * columns + j / cellWidth;
            }
        }
        return seg;
    }

    /** Settings for {@link LimeImage}. */
    public static final class Builder extends LimeSettings<Builder> {
        private boolean channelsFirst = true;
        private int cellHeight = 4;
        private int cellWidth = 4;
        private int[][] segments;
        private Hide hide = Hide.MEAN;
        private double hideValue;

        /** 1000 neighbours, every superpixel, kernel width 0.25, as the lime package's image explainer. */
        private Builder(ExplainableModel model) {
            super(model, 1000, 100_000, 0.25);
        }

        /** [c, h, w] (true, default) or [h, w, c]. */
        public Builder channelsFirst(boolean channelsFirst) {
            this.channelsFirst = channelsFirst;
            return this;
        }

        /** Superpixels as a regular grid of cells (default 4×4 pixels). */
        public Builder grid(int cellHeight, int cellWidth) {
            if (cellHeight < 1 || cellWidth < 1) {
                throw new IllegalArgumentException("grid cells must be at least 1×1, got " + cellHeight + "×" + cellWidth);
            }
            this.cellHeight = cellHeight;
            this.cellWidth = cellWidth;
            this.segments = null;
            return this;
        }

        /** Superpixels given as a label per pixel [h][w] (e.g. from a SLIC segmentation). */
        public Builder segments(int[][] labels) {
            this.segments = labels;
            return this;
        }

        /** Hidden superpixels take their per-channel mean (default). */
        public Builder hideByMean() {
            this.hide = Hide.MEAN;
            return this;
        }

        /** Hidden superpixels take this value (0 for black). */
        public Builder hideBy(double value) {
            this.hide = Hide.CONSTANT;
            this.hideValue = value;
            return this;
        }

        public LimeImage build() {
            return new LimeImage(this);
        }
    }
}
