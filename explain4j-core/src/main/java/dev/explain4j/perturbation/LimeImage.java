package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * LIME for images, following the {@code lime} package's LimeImageExplainer: the image is cut into superpixels (a
 * regular grid, or a segmentation the caller supplies), each neighbour hides a random half of them, neighbours are
 * weighted by √exp(−d²/0.25²) with d the cosine distance of their on/off vector to all-on, and a weighted ridge
 * (α = 1) on the on/off vectors gives one coefficient per superpixel; every pixel (all channels) gets its
 * superpixel's coefficient. Each row's surrogate (intercept, weighted R², value at the image) is in
 * {@link Attributions#intercepts()}, {@link Attributions#fitScores()} and {@link Attributions#localPredictions()}.
 *
 * <p>Images are the model's {@link ExplainableModel#imageGeometry} (NCHW, NHWC or flat rows), seen as [c, h, w] and
 * returned in the model's layout; a model without one takes rows [c, h, w]. A hidden superpixel takes its own
 * per-channel mean (lime's default), or with {@link #withReference} the values of one reference row (a constant, a
 * mean or a user row, in the model's layout).
 */
public final class LimeImage extends PerturbationAttribution<LimeImage> {
    private final int cellHeight;
    private final int cellWidth;
    private final int[][] segments;
    private final int samples;
    private final int maxFeatures;
    private final double kernelWidth;
    private final long seed;

    private LimeImage(ExplainableModel model, int batchSize, Reference reference, int cellHeight, int cellWidth,
                      int[][] segments, int samples, int maxFeatures, double kernelWidth, long seed) {
        super(model, batchSize, reference);
        this.cellHeight = cellHeight;
        this.cellWidth = cellWidth;
        this.segments = segments;
        this.samples = samples;
        this.maxFeatures = maxFeatures;
        this.kernelWidth = kernelWidth;
        this.seed = seed;
    }

    /** 1000 neighbours, every superpixel, kernel width 0.25 (the lime package's), a grid of 4×4-pixel cells, seed 0. */
    public static LimeImage of(ExplainableModel model) {
        return new LimeImage(model, BatchedEvaluator.DEFAULT_BATCH_SIZE, null, 4, 4, null, 1000, 100_000, 0.25, 0);
    }

    /** Superpixels as a regular grid of cells (default 4×4 pixels). */
    public LimeImage withGrid(int cellHeight, int cellWidth) {
        if (cellHeight < 1 || cellWidth < 1) {
            throw new IllegalArgumentException("grid cells must be at least 1×1, got " + cellHeight + "×" + cellWidth);
        }
        return new LimeImage(model, batchSize, reference, cellHeight, cellWidth, null, samples, maxFeatures, kernelWidth, seed);
    }

    /** Superpixels given as a label per pixel [h][w] (e.g. from a SLIC segmentation). */
    public LimeImage withSegments(int[][] labels) {
        int[][] copy = Arrays.stream(labels).map(int[]::clone).toArray(int[][]::new);
        return new LimeImage(model, batchSize, reference, cellHeight, cellWidth, copy, samples, maxFeatures, kernelWidth, seed);
    }

    /** Neighbours per row, the image itself included (default 1000). */
    public LimeImage withSamples(int samples) {
        Limits.check("samples", samples, 2, Limits.MAX_SAMPLES);
        return new LimeImage(model, batchSize, reference, cellHeight, cellWidth, segments, samples, maxFeatures, kernelWidth, seed);
    }

    /** Superpixels the surrogate may use (default all). */
    public LimeImage withMaxFeatures(int k) {
        return new LimeImage(model, batchSize, reference, cellHeight, cellWidth, segments, samples,
                LocalSurrogate.checkMaxFeatures(k), kernelWidth, seed);
    }

    /** Width of the exponential kernel over cosine distances (default 0.25). */
    public LimeImage withKernelWidth(double width) {
        return new LimeImage(model, batchSize, reference, cellHeight, cellWidth, segments, samples, maxFeatures,
                LocalSurrogate.checkKernelWidth(width), seed);
    }

    public LimeImage withSeed(long seed) {
        return new LimeImage(model, batchSize, reference, cellHeight, cellWidth, segments, samples, maxFeatures, kernelWidth, seed);
    }

    @Override
    protected LimeImage copy(int batchSize, Reference reference) {
        return new LimeImage(model, batchSize, reference, cellHeight, cellWidth, segments, samples, maxFeatures, kernelWidth, seed);
    }

    @Override
    public String name() {
        return "lime-image";
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = flatInputs(inputs);
        INDArray hiddenBy = null;
        if (reference != null) {
            Reference.Distribution d = flatDistribution(reference, inputs);
            if (d.size() != 1) {
                throw new IllegalArgumentException("LimeImage hides superpixels by one reference row (a constant, a mean or"
                        + " a user row), got a distribution of " + d.size() + " rows");
            }
            hiddenBy = d.rows();
        }
        Optional<ImageGeometry> image = model.imageGeometry(inputs);
        if (image.isEmpty()) {
            if (inputs.rank() != 4) {
                throw new IllegalArgumentException("LimeImage needs image rows [c, h, w] or a model that knows its image"
                        + " layout; got rows " + Arrays.toString(Arrays.copyOfRange(inputs.shape(), 1, inputs.rank())));
            }
            return explain(model, x, inputs, hiddenBy, target);
        }
        ImageGeometry g = image.get();
        INDArray nchw = channelsFirstRows(g, x, inputs);
        INDArray hidden = hiddenBy == null ? null : channelsFirstRows(g, hiddenBy, inputs).reshape('c', 1, -1);
        return explain(channelsFirst(model, g), nchw.reshape('c', nchw.size(0), -1), nchw, hidden, target)
                .mapLayout(values -> g.fromNchw(values).reshape(inputs.shape()));
    }

    /**
     * @param on       the model, or its channels-first view
     * @param x        rows [n, c·h·w], channels first, in the model's type
     * @param like     an array of the rows' shape [n, c, h, w], for the values
     * @param hiddenBy the reference row [1, c·h·w] hidden superpixels take, or null for their means
     */
    private Attributions explain(ExplainableModel on, INDArray x, INDArray like, INDArray hiddenBy, Target target) {
        int n = (int) x.size(0);
        int width = (int) x.size(1);
        int channels = (int) like.size(1);
        int h = (int) like.size(2);
        int w = (int) like.size(3);
        int[][] seg = segments != null ? segments : grid(h, w);
        if (seg.length != h || seg[0].length != w) {
            throw new IllegalArgumentException("segmentation is " + seg.length + "×" + seg[0].length + ", the images are " + h + "×" + w);
        }
        int[] pixelGroup = new int[width];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    pixelGroup[(c * h + i) * w + j] = seg[i][j];
                }
            }
        }
        int[] groupOf = FeatureGroups.of(pixelGroup).dense(width);
        int s = groupCount(groupOf);

        // the image with every superpixel hidden, one per row
        double[][] xs = Inputs.rowsAsDoubles(x);
        double[][] hidden = new double[n][];
        double[] hiddenRow = hiddenBy == null ? null : hiddenBy.castTo(DataType.DOUBLE).toDoubleVector();
        for (int r = 0; r < n; r++) {
            if (hiddenRow != null) {
                hidden[r] = hiddenRow;
                continue;
            }
            hidden[r] = new double[width];
            double[][] sums = new double[s][channels];
            int[][] counts = new int[s][channels];
            for (int f = 0; f < width; f++) {
                int c = f / (h * w);
                sums[groupOf[f]][c] += xs[r][f];
                counts[groupOf[f]][c]++;
            }
            for (int f = 0; f < width; f++) {
                int c = f / (h * w);
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
        INDArray baselines = Nd4j.create(hidden).castTo(on.dataType());
        CoalitionValues v = evaluateCoalitions(on, x, baselines, null, true, groupOf, masks, target);

        double[] intercepts = new double[n];
        double[] scores = new double[n];
        double[] local = new double[n];
        double[][] attr = new double[n][width];
        for (int r = 0; r < n; r++) {
            double[][] z = new double[samples][s];
            double[] weights = new double[samples];
            for (int k = 0; k < samples; k++) {
                int shown = 0;
                for (int g = 0; g < s; g++) {
                    z[k][g] = masks[r][k * s + g];
                    shown += masks[r][k * s + g];
                }
                double cosine = shown == 0 ? 1.0 : 1.0 - Math.sqrt(shown / (double) s);
                weights[k] = LocalSurrogate.kernel(cosine, kernelWidth);
            }
            LocalSurrogate fit = LocalSurrogate.explain(z, v.values[r], weights, maxFeatures, LocalSurrogate.Selection.AUTO);
            intercepts[r] = fit.intercept;
            scores[r] = fit.score;
            local[r] = fit.localPrediction;
            for (int f = 0; f < width; f++) {
                attr[r][f] = fit.coefficients[groupOf[f]];
            }
        }
        Attributions.Builder result = Attributions.builder(name(), shaped(attr, like))
                .parameter("batch-size", batchSize)
                .parameter("samples", samples)
                .parameter("superpixels", segments == null ? "grid " + cellHeight + "x" + cellWidth : "given (" + s + ")")
                .parameter("hide", reference == null ? "mean" : reference.describe())
                .parameter("kernel-width", kernelWidth)
                .targets(v.targets)
                .targetOutputs(v.fx)
                .intercepts(intercepts)
                .fitScores(scores)
                .localPredictions(local)
                .seed(seed);
        // with a reference, the image with every superpixel hidden is the reference
        return (reference == null ? result : result.reference(reference).referenceOutputs(v.fnull)).build();
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
}
