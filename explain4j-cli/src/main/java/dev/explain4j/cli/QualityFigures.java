package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.metrics.Completeness;
import dev.explain4j.metrics.DeletionInsertion;
import dev.explain4j.metrics.Infidelity;
import dev.explain4j.metrics.MaxSensitivity;
import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The explanation-quality figures `explain --metrics` and `global` report for one result: completeness, infidelity,
 * max-sensitivity and deletion/insertion AUC, per row and as means, ready for a JSON writer and a summary line.
 */
final class QualityFigures {
    /** Methods whose attributions already hold the factor (x − b): their infidelity perturbs along x − b. */
    private static final Set<String> MULTIPLY_BY_INPUTS = Set.of("integrated-gradients", "gradient-x-input",
            "expected-gradients", "occlusion", "feature-ablation", "kernel-shap", "exact-shapley", "shapley-sampling", "lime",
            "lime-image");

    private QualityFigures() {
    }

    /**
     * @param reference the baseline row [1, ...input shape] deletion replaces features by and infidelity perturbs towards
     */
    static Map<String, Object> compute(NetworkModel model, AttributionMethod method, INDArray inputs, Attributions result,
                                       INDArray reference, long seed) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("method", result.method());
        Completeness.of(result).ifPresent(c -> figures.put(c.kind(), perRow(c.gap(), true)));
        if (result.values().length() != inputs.length()) {
            figures.put("note", "attributions are not shaped like the input (a layer method): infidelity, sensitivity and"
                    + " deletion/insertion need input attributions");
            return figures;
        }
        Infidelity infidelity = MULTIPLY_BY_INPUTS.contains(result.method())
                ? Infidelity.relativeToBaseline(model, reference) : Infidelity.local(model);
        figures.put("infidelity", perRow(infidelity.withSeed(seed).compute(inputs, result), false));
        figures.put("maxSensitivity", perRow(MaxSensitivity.of(method).withSeed(seed).compute(inputs, result), false));
        DeletionInsertion.Result curves = DeletionInsertion.of(model).withBaseline(reference).compute(inputs, result);
        figures.put("deletionAuc", perRow(curves.deletionAuc(), false));
        figures.put("insertionAuc", perRow(curves.insertionAuc(), false));
        return figures;
    }

    private static Map<String, Object> perRow(double[] values, boolean absolute) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(absolute ? "meanAbs" : "mean", Arrays.stream(values).map(v -> absolute ? Math.abs(v) : v).average().orElse(Double.NaN));
        map.put("perRow", values);
        return map;
    }

    /** The per-row values of every figure, by name, for the HTML report. */
    @SuppressWarnings("unchecked")
    static Map<String, double[]> perRow(Map<String, Object> figures) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        figures.forEach((name, value) -> {
            if (value instanceof Map<?, ?> m) {
                rows.put(name, (double[]) ((Map<String, Object>) m).get("perRow"));
            }
        });
        return rows;
    }

    /** One line: the mean of every figure. */
    @SuppressWarnings("unchecked")
    static String summary(Map<String, Object> figures) {
        StringBuilder line = new StringBuilder();
        figures.forEach((name, value) -> {
            if (value instanceof Map<?, ?> m) {
                Object mean = ((Map<String, Object>) m).getOrDefault("mean", ((Map<String, Object>) m).get("meanAbs"));
                line.append(line.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(String.format(java.util.Locale.ROOT, "%.4g", (Double) mean));
            }
        });
        if (line.length() == 0) {
            return "none: " + figures.getOrDefault("note", "this method has no figures");
        }
        return line.toString();
    }

    /** The reference row: the inputs' mean for --baseline mean, zeros otherwise. */
    static INDArray reference(String baseline, INDArray inputs) {
        INDArray first = inputs.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1));
        return "mean".equals(baseline) ? inputs.mean(true, 0).reshape(first.shape()) : first.like().assign(0);
    }
}
