package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Expected Gradients (Erion et al. 2021), the estimator behind SHAP's {@code GradientExplainer} and Captum's
 * {@code GradientShap}: the mean over k samples of ∂f/∂x(b + α(x − b)) ⊙ (x − b), with b drawn uniformly from a
 * background set and α uniformly from [0, 1]. All samples of all rows are stacked and differentiated in chunks.
 *
 * <p>Completeness holds in expectation: the reported delta is Σ attributions − (f(x) − mean over the background of
 * f(b)), which shrinks as the number of samples grows. 200 samples by default (SHAP's), seed 0.
 */
public final class ExpectedGradients extends GradientAttribution {
    private final INDArray background;
    private final int samples;
    private final long seed;
    private final int internalBatchSize;

    private ExpectedGradients(NetworkModel model, INDArray background, int samples, long seed, int internalBatchSize) {
        super(model);
        if (background.rank() < 2 || background.size(0) < 1) {
            throw new IllegalArgumentException("the background set is empty; expected at least one row");
        }
        Limits.check("samples", samples, 1, Limits.MAX_SAMPLES);
        Inputs.checkFinite(background, "background");
        this.background = background;
        this.samples = samples;
        this.seed = seed;
        this.internalBatchSize = internalBatchSize;
    }

    public static ExpectedGradients of(NetworkModel model, INDArray background) {
        return new ExpectedGradients(model, background.dup(), 200, 0, 0);
    }

    public ExpectedGradients withSamples(int n) {
        return new ExpectedGradients(model, background, n, seed, internalBatchSize);
    }

    public ExpectedGradients withSeed(long s) {
        return new ExpectedGradients(model, background, samples, s, internalBatchSize);
    }

    /** Points per forward+backward pass; 0 for the default from the model's memory budget. */
    public ExpectedGradients withInternalBatchSize(int points) {
        return new ExpectedGradients(model, background, samples, seed, points);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        INDArray bg = background.castTo(model.dataType());
        if (!Arrays.equals(Arrays.copyOfRange(bg.shape(), 1, bg.rank()), Arrays.copyOfRange(x.shape(), 1, x.rank()))) {
            throw new IllegalArgumentException("background rows have shape " + Arrays.toString(Arrays.copyOfRange(bg.shape(), 1, bg.rank()))
                    + ", expected " + Arrays.toString(Arrays.copyOfRange(x.shape(), 1, x.rank())) + " like the input");
        }
        int n = (int) x.size(0);
        INDArray outputs = model.predict(x);
        int[] targets = target.resolve(outputs);
        INDArray meanBackgroundOutput = model.predict(bg).mean(0);
        Samples paths = new Samples(Inputs.rowsAsDoubles(x), samples, (int) bg.size(0), seed);
        INDArray attributions = PathIntegral.accumulate(model, x, bg, paths, targets, internalBatchSize);
        double[] sums = attributions.reshape(n, -1).sum(1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
        double[] fx = new double[n];
        double[] fb = new double[n];
        double[] delta = new double[n];
        for (int r = 0; r < n; r++) {
            fx[r] = outputs.getDouble(r, targets[r]);
            fb[r] = meanBackgroundOutput.getDouble(targets[r]);
            delta[r] = sums[r] - (fx[r] - fb[r]);
        }
        return Attributions.builder(name(), attributions).targets(targets).targetOutputs(fx).referenceOutputs(fb)
                .completenessDelta(delta).seed(seed)
                .parameter("output-space", model.outputSpace().name().toLowerCase(Locale.ROOT))
                .parameter("samples", samples).parameter("background-rows", bg.size(0)).build();
    }

    /**
     * One single-point path per sample, drawn when its chunk is built. Paths come in order, so each row's own stream
     * ({@link RowRandom}: the seed and the row's values) gives sample by sample a background row and then α whatever the
     * chunking and wherever the row sits in the batch, and nothing grows with rows × samples.
     */
    private static final class Samples implements PathIntegral.Paths {
        private final double[][] rows;
        private final int samples;
        private final int backgroundRows;
        private final long seed;
        private SplittableRandom random;

        Samples(double[][] rows, int samples, int backgroundRows, long seed) {
            this.rows = rows;
            this.samples = samples;
            this.backgroundRows = backgroundRows;
            this.seed = seed;
        }

        @Override
        public long count() {
            return (long) rows.length * samples;
        }

        @Override
        public int steps() {
            return 1;
        }

        @Override
        public int row(long path) {
            return (int) (path / samples);
        }

        @Override
        public int points(long path, int firstStep, int length, double[] alpha, double[] weight, int offset) {
            if (path % samples == 0) {
                random = RowRandom.of(seed, rows[row(path)]);
            }
            int from = random.nextInt(backgroundRows);
            alpha[offset] = random.nextDouble();
            weight[offset] = 1.0 / samples;
            return from;
        }
    }

    @Override
    public String name() {
        return "expected-gradients";
    }
}
