package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far the attributions of each row are from summing to the output change they explain: Σ a − (f(x) − f(b)).
 * Integrated Gradients reports it as its completeness delta; Shapley methods promise it as efficiency, checked here
 * from the outputs the result carries. Read from {@link Attributions} only.
 *
 * @param kind  "efficiency-gap" for Shapley methods, "completeness-delta" for the others (IG's delta)
 * @param gap   per row
 */
public record Completeness(String method, String kind, double[] gap) {

    /**
     * The gap if the result can give it: computed from its values and its outputs at x and at the baseline (so it
     * stays true of values replaced through {@link Attributions#withValues}), else the delta the method stored.
     */
    public static Optional<Completeness> of(Attributions a) {
        String kind = a.method().contains("shap") ? "efficiency-gap" : "completeness-delta";
        Optional<double[]> fx = a.targetOutputs();
        Optional<double[]> fb = a.referenceOutputs();
        if (fx.isPresent() && fb.isPresent()) {
            double[] gap = new double[a.rows()];
            for (int r = 0; r < gap.length; r++) {
                gap[r] = Arrays.stream(a.row(r)).sum() - (fx.get()[r] - fb.get()[r]);
            }
            return Optional.of(new Completeness(a.method(), kind, gap));
        }
        return a.completenessDelta().map(delta -> new Completeness(a.method(), kind, delta));
    }

    public double maxAbs() {
        return Arrays.stream(gap).map(Math::abs).max().orElse(0);
    }

    public double meanAbs() {
        return Arrays.stream(gap).map(Math::abs).average().orElse(0);
    }
}
