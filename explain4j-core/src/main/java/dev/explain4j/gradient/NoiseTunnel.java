package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Averages any gradient method over noisy copies of the input (Captum's {@code NoiseTunnel}): SmoothGrad (mean,
 * Smilkov et al. 2017), SmoothGrad² (mean of squares) or VarGrad (variance, Adebayo et al. 2018). All noisy copies
 * are stacked into one batch for the wrapped method, which chunks them as it does any batch.
 *
 * <p>Noise is Gaussian with σ either absolute or, as in the SmoothGrad paper, a fraction of each row's value range
 * (max − min). Targets are resolved on the clean input, so every noisy copy explains the same output. Seeded: the
 * same seed gives the same numbers.
 */
public final class NoiseTunnel extends GradientAttribution {

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

    private final GradientAttribution inner;
    private final Type type;
    private final int samples;
    private final double sigma;
    private final boolean relativeSigma;
    private final long seed;

    private NoiseTunnel(GradientAttribution inner, Type type, int samples, double sigma, boolean relativeSigma, long seed) {
        super(inner.model());
        if (samples < 1) {
            throw new IllegalArgumentException("noise tunnel samples must be ≥ 1, got " + samples);
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise σ must be a finite number ≥ 0, got " + sigma);
        }
        this.inner = inner;
        this.type = type;
        this.samples = samples;
        this.sigma = sigma;
        this.relativeSigma = relativeSigma;
        this.seed = seed;
    }

    /** SmoothGrad of {@code inner}: 50 samples, σ = 15% of each row's range (the paper's choice), seed 0. */
    public static NoiseTunnel smoothGrad(GradientAttribution inner) {
        return new NoiseTunnel(inner, Type.SMOOTHGRAD, 50, 0.15, true, 0);
    }

    public NoiseTunnel withType(Type t) {
        return new NoiseTunnel(inner, t, samples, sigma, relativeSigma, seed);
    }

    public NoiseTunnel withSamples(int n) {
        return new NoiseTunnel(inner, type, n, sigma, relativeSigma, seed);
    }

    /** σ in the input's units. */
    public NoiseTunnel withAbsoluteSigma(double s) {
        return new NoiseTunnel(inner, type, samples, s, false, seed);
    }

    /** σ as a fraction of each row's (max − min). */
    public NoiseTunnel withRelativeSigma(double fraction) {
        return new NoiseTunnel(inner, type, samples, fraction, true, seed);
    }

    public NoiseTunnel withSeed(long s) {
        return new NoiseTunnel(inner, type, samples, sigma, relativeSigma, s);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        int n = (int) x.size(0);
        int[] targets = target.resolve(model.predict(x));
        long features = x.length() / n;
        INDArray flat = x.reshape('c', n, features);
        INDArray noisy = flat.repeat(0, samples).addi(noise(flat));
        long[] stackedShape = x.shape().clone();
        stackedShape[0] = (long) n * samples;
        Attributions each = inner.forRepeatedRows(samples)
                .attribute(noisy.reshape('c', stackedShape), Target.perRow(targets).repeatRows(samples));
        INDArray values = each.values();
        long[] perSample = values.shape().clone();
        long valueFeatures = values.length() / values.size(0);
        INDArray grouped = values.reshape('c', n, samples, valueFeatures);
        INDArray mean = grouped.mean(1);
        INDArray reduced = switch (type) {
            case SMOOTHGRAD -> mean;
            case SMOOTHGRAD_SQUARED -> grouped.mul(grouped).mean(1);
            case VARGRAD -> grouped.mul(grouped).mean(1).subi(mean.mul(mean));
        };
        perSample[0] = n;
        double[] fx = new double[n];
        double[] repeatedOutputs = each.targetOutputs().orElseThrow();
        for (int r = 0; r < n; r++) {
            fx[r] = repeatedOutputs[r * samples];
        }
        Attributions.Builder result = Attributions.builder(type.cliName(), reduced.reshape('c', perSample))
                .targets(targets).seed(seed)
                .parameter("method", inner.name())
                .parameter("samples", samples)
                .parameter(relativeSigma ? "sigma-fraction" : "sigma", sigma);
        for (Map.Entry<String, String> p : each.parameters().entrySet()) {
            result.parameter(inner.name() + "." + p.getKey(), p.getValue());
        }
        return result.build();
    }

    /** [n·samples, features] Gaussian noise, row r's copies scaled by its σ and drawn from its own {@link RowRandom}. */
    private INDArray noise(INDArray flat) {
        int n = (int) flat.size(0);
        int features = (int) flat.size(1);
        double[] range = flat.max(1).sub(flat.min(1)).castTo(DataType.DOUBLE).toDoubleVector();
        double[] scale = new double[n];
        for (int r = 0; r < n; r++) {
            scale[r] = relativeSigma ? sigma * range[r] : sigma;
        }
        double[][] rows = Inputs.rowsAsDoubles(flat);
        double[] values = new double[n * samples * features];
        SplittableRandom random = null;
        for (int i = 0; i < values.length; i++) {
            if (i % (samples * features) == 0) {
                random = RowRandom.of(seed, rows[i / (samples * features)]);
            }
            values[i] = random.nextGaussian() * scale[i / (samples * features)];
        }
        return Nd4j.createFromArray(values).castTo(flat.dataType()).reshape('c', (long) n * samples, features);
    }

    @Override
    public String name() {
        return type.cliName();
    }
}
