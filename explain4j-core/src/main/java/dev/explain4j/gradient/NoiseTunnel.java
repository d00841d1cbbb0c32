package dev.explain4j.gradient;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Averages any attribution method over noisy copies of the input (Captum's {@code NoiseTunnel}): SmoothGrad (mean,
 * Smilkov et al. 2017), SmoothGrad² (mean of squares) or VarGrad (variance, Adebayo et al. 2018). Sums are kept in
 * double, sample by sample in order: memory does not grow with the samples.
 *
 * <p>A gradient method gets its noisy copies stacked, in blocks of at most a chunk of rows (whole rows with all their
 * samples, or one row's samples in parts), through its own per-row view ({@link GradientAttribution#forRows}). Any
 * other method (a perturbation method, another tunnel) is called once per sample on a noisy copy of the whole batch:
 * the memory of one plain call of that method, and per-row references stay paired with their rows.
 *
 * <p>Noise is Gaussian with σ either absolute or, as in the SmoothGrad paper, a fraction of each row's value range
 * (max − min). Targets are resolved on the clean input, so every noisy copy explains the same output, and the result
 * carries f_target at the clean input and the wrapped method's reference. Seeded: each row's noise comes from its own
 * stream ({@link RowRandom}: the seed and the row's values), sample by sample, feature by feature, so the same seed
 * gives the same noise however the copies are blocked, wherever the row sits and whichever method is wrapped.
 */
public final class NoiseTunnel implements AttributionMethod {

    public enum Type {
        SMOOTHGRAD("smoothgrad"), SMOOTHGRAD_SQUARED("smoothgrad-squared"), VARGRAD("vargrad");

        private final String cliName;

        Type(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }
    }

    /** Values of noise per block of copies (8 MB of doubles on the heap). */
    private static final long COPY_ELEMENTS = 1L << 20;

    private final ExplainableModel model;
    private final AttributionMethod inner;
    private final Type type;
    private final int samples;
    private final double sigma;
    private final boolean relativeSigma;
    private final long seed;

    private NoiseTunnel(ExplainableModel model, AttributionMethod inner, Type type, int samples, double sigma,
                        boolean relativeSigma, long seed) {
        Limits.check("samples", samples, 1, Limits.MAX_SAMPLES);
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise σ must be a finite number ≥ 0, got " + sigma);
        }
        this.model = Objects.requireNonNull(model, "model");
        this.inner = Objects.requireNonNull(inner, "inner");
        this.type = type;
        this.samples = samples;
        this.sigma = sigma;
        this.relativeSigma = relativeSigma;
        this.seed = seed;
    }

    /**
     * SmoothGrad of {@code inner}: 50 samples, σ = 15% of each row's range (the paper's choice), seed 0.
     *
     * @param model the model {@code inner} explains: it resolves the targets on the clean input
     */
    public static NoiseTunnel of(ExplainableModel model, AttributionMethod inner) {
        return new NoiseTunnel(model, inner, Type.SMOOTHGRAD, 50, 0.15, true, 0);
    }

    public NoiseTunnel withType(Type t) {
        return new NoiseTunnel(model, inner, t, samples, sigma, relativeSigma, seed);
    }

    public NoiseTunnel withSamples(int n) {
        return new NoiseTunnel(model, inner, type, n, sigma, relativeSigma, seed);
    }

    /** σ in the input's units. */
    public NoiseTunnel withAbsoluteSigma(double s) {
        return new NoiseTunnel(model, inner, type, samples, s, false, seed);
    }

    /** σ as a fraction of each row's (max − min). */
    public NoiseTunnel withRelativeSigma(double fraction) {
        return new NoiseTunnel(model, inner, type, samples, fraction, true, seed);
    }

    public NoiseTunnel withSeed(long s) {
        return new NoiseTunnel(model, inner, type, samples, sigma, relativeSigma, s);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        int n = (int) x.size(0);
        INDArray outputs = model.predict(x);
        int[] targets = target.resolve(outputs);
        double[] fx = new double[n];
        for (int r = 0; r < n; r++) {
            fx[r] = outputs.getDouble(r, targets[r]);
        }
        long features = x.length() / n;
        INDArray flat = x.reshape('c', n, features);
        double[] range = flat.max(1).sub(flat.min(1)).castTo(DataType.DOUBLE).toDoubleVector();
        Sums sums = new Sums(n);
        // each row's noise comes from its own stream (the seed and its values), continued across its sample blocks
        double[][] rowValues = Inputs.rowsAsDoubles(flat);
        SplittableRandom[] noise = new SplittableRandom[n];
        for (int r = 0; r < n; r++) {
            noise[r] = RowRandom.of(seed, rowValues[r]);
        }
        Attributions first;
        Optional<Reference> reference;
        if (inner instanceof GradientAttribution gradient) {
            first = stacked(gradient, x, flat, targets, range, noise, sums);
            reference = gradient.reference();
        } else {
            first = null;
            int rowsPerBlock = (int) Math.max(1, COPY_ELEMENTS / features);
            for (int j = 0; j < samples; j++) {
                INDArray copy = flat.dup('c');
                for (int r = 0; r < n; r += rowsPerBlock) {
                    int end = Math.min(n, r + rowsPerBlock);
                    copy.get(NDArrayIndex.interval(r, end)).assign(noisy(flat, r, end, 1, range, noise));
                }
                Attributions result = inner.attribute(copy.reshape('c', x.shape()), Target.perRow(targets));
                sums.add(0, 1, result.values());
                first = first == null ? result : first;
            }
            reference = first.reference();
        }
        long[] shape = first.values().shape().clone();
        shape[0] = n;
        Attributions.Builder result = Attributions.builder(type.cliName(), sums.reduce(type, samples, shape, x.dataType()))
                .targets(targets).targetOutputs(fx).seed(seed)
                .parameter("method", inner.name())
                .parameter("samples", samples)
                .parameter(relativeSigma ? "sigma-fraction" : "sigma", sigma);
        reference.ifPresent(result::reference);
        for (Map.Entry<String, String> p : first.parameters().entrySet()) {
            result.parameter(inner.name() + "." + p.getKey(), p.getValue());
        }
        return result.build();
    }

    /** The noisy copies of a gradient method stacked in blocks; returns the first block's result. */
    private Attributions stacked(GradientAttribution gradient, INDArray x, INDArray flat, int[] targets, double[] range,
                                 SplittableRandom[] noise, Sums sums) {
        int n = (int) x.size(0);
        long features = flat.size(1);
        // copies per call of the wrapped method: a chunk of rows, and at most COPY_ELEMENTS values of noise
        long copies = Math.max(1, Math.min(gradient.model().chunkRows(x), COPY_ELEMENTS / features));
        Attributions first = null;
        int rowsPerBlock = (int) Math.max(1, copies / samples);
        int samplesPerBlock = (int) Math.min(samples, copies);
        for (int r = 0; r < n; r += rowsPerBlock) {
            int end = Math.min(n, r + rowsPerBlock);
            for (int j = 0; j < samples; j += samplesPerBlock) {
                int count = Math.min(samplesPerBlock, samples - j);
                long[] shape = x.shape().clone();
                shape[0] = (long) (end - r) * count;
                Attributions block = gradient.forRows(r, end, count).attribute(
                        noisy(flat, r, end, count, range, noise).reshape('c', shape),
                        Target.perRow(Arrays.copyOfRange(targets, r, end)).repeatRows(count));
                sums.add(r, count, block.values());
                first = first == null ? block : first;
            }
        }
        return first;
    }

    /**
     * Rows [first, end) of the flat input, each {@code count} times with Gaussian noise drawn in order from its row's
     * stream: [(end − first) · count, features], at most a block of noise values.
     */
    private INDArray noisy(INDArray flat, int first, int end, int count, double[] range, SplittableRandom[] noise) {
        int features = (int) flat.size(1);
        double[] values = new double[(end - first) * count * features];
        for (int r = first, i = 0; r < end; r++) {
            double scale = relativeSigma ? sigma * range[r] : sigma;
            for (int k = 0; k < count * features; k++, i++) {
                values[i] = noise[r].nextGaussian() * scale;
            }
        }
        INDArray rows = flat.get(NDArrayIndex.interval(first, end)).repeat(0, count);
        return rows.addi(Nd4j.createFromArray(values).castTo(flat.dataType()).reshape('c', rows.shape()));
    }

    /** Per-row sums of the attributions and of their squares over the samples, in double and in sample order. */
    private static final class Sums {
        private final double[][] sum;
        private final double[][] squares;

        Sums(int rows) {
            sum = new double[rows][];
            squares = new double[rows][];
        }

        /** Adds a block of rows from {@code first} on, each with {@code count} consecutive samples. */
        void add(int first, int count, INDArray values) {
            long rows = values.size(0);
            double[][] block = values.reshape('c', rows, values.length() / rows).castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < block.length; i++) {
                int r = first + i / count;
                if (sum[r] == null) {
                    sum[r] = new double[block[i].length];
                    squares[r] = new double[block[i].length];
                }
                for (int f = 0; f < block[i].length; f++) {
                    sum[r][f] += block[i][f];
                    squares[r][f] += block[i][f] * block[i][f];
                }
            }
        }

        INDArray reduce(Type type, int samples, long[] shape, DataType dataType) {
            double[][] reduced = new double[sum.length][];
            for (int r = 0; r < sum.length; r++) {
                reduced[r] = new double[sum[r].length];
                for (int f = 0; f < sum[r].length; f++) {
                    double mean = sum[r][f] / samples;
                    double meanSquare = squares[r][f] / samples;
                    reduced[r][f] = switch (type) {
                        case SMOOTHGRAD -> mean;
                        case SMOOTHGRAD_SQUARED -> meanSquare;
                        case VARGRAD -> meanSquare - mean * mean;
                    };
                }
            }
            return Nd4j.createFromArray(reduced).castTo(dataType).reshape('c', shape);
        }
    }

    @Override
    public String name() {
        return type.cliName();
    }
}
