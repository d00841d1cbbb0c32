package dev.explain4j.metrics;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Max-sensitivity (Yeh et al. 2019, Captum's {@code sensitivity_max} with its default perturbation): the largest
 * relative change ‖φ(x̃) − φ(x)‖ / ‖φ(x)‖ of the explanation over {@code samples} inputs x̃ drawn uniformly from
 * the L∞ ball of radius r around x (the plain norm where ‖φ(x)‖ = 0). Each perturbed batch explains the same target
 * per row as the original. Low is good: the explanation does not swing under imperceptible input changes.
 *
 * <p>Each row's perturbations come from its own stream ({@link RowRandom}: the seed and the row's values), sample by
 * sample, feature by feature: a row's figure does not depend on the other rows of the call.
 */
public final class MaxSensitivity {
    private final ExplainableModel model;
    private final AttributionMethod method;
    private final double radius;
    private final int samples;
    private final long seed;

    private MaxSensitivity(ExplainableModel model, AttributionMethod method, double radius, int samples, long seed) {
        if (!(radius > 0)) {
            throw new IllegalArgumentException("max-sensitivity needs a radius > 0, got " + radius);
        }
        Limits.check("samples", samples, 1, Limits.MAX_SAMPLES);
        this.model = Objects.requireNonNull(model, "model");
        this.method = Objects.requireNonNull(method, "method");
        this.radius = radius;
        this.samples = samples;
        this.seed = seed;
    }

    /**
     * Radius 0.02 and 10 samples, Captum's defaults.
     *
     * @param model  the model {@code method} explains (its input shape is checked before any work)
     * @param method the method whose explanations are perturbed
     */
    public static MaxSensitivity of(ExplainableModel model, AttributionMethod method) {
        return new MaxSensitivity(model, method, 0.02, 10, 0);
    }

    public MaxSensitivity withRadius(double r) {
        return new MaxSensitivity(model, method, r, samples, seed);
    }

    public MaxSensitivity withSamples(int n) {
        return new MaxSensitivity(model, method, radius, n, seed);
    }

    public MaxSensitivity withSeed(long s) {
        return new MaxSensitivity(model, method, radius, samples, s);
    }

    /**
     * @param inputs   the explained rows
     * @param original the method's attributions of {@code inputs}, with targets
     * @return per row the largest relative change
     */
    public double[] compute(INDArray inputs, Attributions original) {
        Inputs.checkShape(inputs, model.inputShape(), "inputs");
        int n = (int) inputs.size(0);
        int[] targets = original.targets().orElseThrow(() -> new IllegalArgumentException(
                "max-sensitivity needs the target each row explained; the " + original.method() + " result has none"));
        if (original.rows() != n) {
            throw new IllegalArgumentException("got " + original.rows() + " attribution rows for " + n + " inputs");
        }
        double[][] x = Inputs.rowsAsDoubles(inputs);
        int d = x[0].length;
        double[][] before = new double[n][];
        double[] norm = new double[n];
        SplittableRandom[] random = new SplittableRandom[n];
        for (int r = 0; r < n; r++) {
            before[r] = original.row(r);
            norm[r] = Math.sqrt(dot(before[r], before[r]));
            random[r] = RowRandom.of(seed, x[r]);
        }
        double[] worst = new double[n];
        for (int s = 0; s < samples; s++) {
            double[][] noise = new double[n][d];
            for (int r = 0; r < n; r++) {
                for (int f = 0; f < d; f++) {
                    noise[r][f] = radius * (2 * random[r].nextDouble() - 1);
                }
            }
            INDArray shaped = Nd4j.createFromArray(noise).castTo(inputs.dataType()).reshape('c', inputs.shape());
            Attributions after = method.attribute(inputs.add(shaped), Target.perRow(targets));
            for (int r = 0; r < n; r++) {
                double[] a = after.row(r);
                double change = 0;
                for (int f = 0; f < a.length; f++) {
                    change += (a[f] - before[r][f]) * (a[f] - before[r][f]);
                }
                change = Math.sqrt(change);
                worst[r] = Math.max(worst[r], norm[r] > 0 ? change / norm[r] : change);
            }
        }
        return worst;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
