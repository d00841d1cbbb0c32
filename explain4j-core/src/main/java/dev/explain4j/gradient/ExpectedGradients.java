package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Expected Gradients (Erion et al. 2021), the estimator behind SHAP's {@code GradientExplainer} and Captum's
 * {@code GradientShap}: the mean over k samples of ∂f/∂x(b + α(x − b)) ⊙ (x − b), with b drawn from a background
 * distribution and α uniformly from [0, 1]. All samples of all rows are stacked and differentiated in chunks.
 *
 * <p>The background is the reference's {@link Reference#distribution distribution}: equally weighted rows are drawn
 * uniformly, weighted rows (k-means centres) in proportion to their weights, and a single reference row is a
 * distribution of one. Completeness holds in expectation: the reported delta is Σ attributions − (f(x) − the
 * weighted mean over the background of f(b)), which shrinks as the number of samples grows. 200 samples by default
 * (SHAP's), seed 0.
 */
public final class ExpectedGradients extends GradientAttribution {
    private final Reference reference;
    private final int samples;
    private final long seed;
    private final int internalBatchSize;

    private ExpectedGradients(NetworkModel model, Reference reference, int samples, long seed, int internalBatchSize) {
        super(model);
        Limits.check("samples", samples, 1, Limits.MAX_SAMPLES);
        if (internalBatchSize < 0) {
            throw new IllegalArgumentException("internal batch size must be ≥ 1 (or 0 for the default), got " + internalBatchSize);
        }
        this.reference = Objects.requireNonNull(reference, "reference");
        this.samples = samples;
        this.seed = seed;
        this.internalBatchSize = internalBatchSize;
    }

    /** @param background the distribution b is drawn from, e.g. {@link Reference#distribution(INDArray)} */
    public static ExpectedGradients of(NetworkModel model, Reference background) {
        return new ExpectedGradients(model, background, 200, 0, 0);
    }

    public ExpectedGradients withReference(Reference background) {
        return new ExpectedGradients(model, background, samples, seed, internalBatchSize);
    }

    public ExpectedGradients withSamples(int n) {
        return new ExpectedGradients(model, reference, n, seed, internalBatchSize);
    }

    public ExpectedGradients withSeed(long s) {
        return new ExpectedGradients(model, reference, samples, s, internalBatchSize);
    }

    /** Points per forward+backward pass; 0 for the default from the model's memory budget. */
    public ExpectedGradients withBatchSize(int points) {
        return new ExpectedGradients(model, reference, samples, seed, points);
    }

    @Override
    protected Optional<Reference> reference() {
        return Optional.of(reference);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        Reference.Distribution background = reference.distribution(x, model);
        INDArray bg = background.rows();
        Inputs.checkFinite(bg, "background");
        int n = (int) x.size(0);
        INDArray outputs = model.predict(x);
        int[] targets = target.resolve(outputs);
        INDArray backgroundOutputs = model.predict(bg);
        // equal weights keep the plain mean (and its rounding) that uniform draws always had
        INDArray meanBackgroundOutput = background.uniform() ? backgroundOutputs.mean(0)
                : Nd4j.createFromArray(background.weights()).castTo(backgroundOutputs.dataType())
                        .reshape(1, background.size()).mmul(backgroundOutputs).reshape(-1);
        Samples paths = new Samples(Inputs.rowsAsDoubles(x), samples, background, seed);
        INDArray attributions = PathIntegral.accumulate(model, x, bg, paths, targets, internalBatchSize);
        double[] sums = attributions.reshape(n, -1).sum(1).castTo(DataType.DOUBLE).toDoubleVector();
        double[] fx = new double[n];
        double[] fb = new double[n];
        double[] delta = new double[n];
        for (int r = 0; r < n; r++) {
            fx[r] = outputs.getDouble(r, targets[r]);
            fb[r] = meanBackgroundOutput.getDouble(targets[r]);
            delta[r] = sums[r] - (fx[r] - fb[r]);
        }
        Attributions.Builder result = Attributions.builder(name(), attributions).targets(targets).targetOutputs(fx)
                .referenceOutputs(fb).completenessDelta(delta).seed(seed).reference(reference)
                .parameter("output-space", model.outputSpace().name().toLowerCase(Locale.ROOT))
                .parameter("samples", samples).parameter("background-rows", bg.size(0));
        if (internalBatchSize > 0) {
            result.parameter("batch-size", internalBatchSize);
        }
        return result.build();
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
        /** Cumulative weights of a weighted background; null for equal weights, drawn as uniform indices. */
        private final double[] cumulative;
        private final long seed;
        private SplittableRandom random;

        Samples(double[][] rows, int samples, Reference.Distribution background, long seed) {
            this.rows = rows;
            this.samples = samples;
            this.backgroundRows = background.size();
            this.cumulative = background.uniform() ? null : cumulative(background.weights());
            this.seed = seed;
        }

        private static double[] cumulative(double[] weights) {
            double[] c = new double[weights.length];
            double total = 0;
            for (int i = 0; i < weights.length; i++) {
                total += weights[i];
                c[i] = total;
            }
            return c;
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
            int from = cumulative == null ? random.nextInt(backgroundRows) : byWeight(random.nextDouble());
            alpha[offset] = random.nextDouble();
            weight[offset] = 1.0 / samples;
            return from;
        }

        /** The first row whose cumulative weight exceeds u · total: row i with probability w_i. */
        private int byWeight(double u) {
            double target = u * cumulative[cumulative.length - 1];
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > target) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            // only when rounding put u · total at the total: step back over trailing rows of weight 0
            while (lo > 0 && cumulative[lo] == cumulative[lo - 1]) {
                lo--;
            }
            return lo;
        }
    }

    @Override
    public String name() {
        return "expected-gradients";
    }
}
