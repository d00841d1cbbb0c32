package dev.explain4j.metrics;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The explanation-quality figures of one result, per row and as means: the completeness gap where the result can
 * give it ({@link Completeness}), {@link Infidelity}, {@link MaxSensitivity} and the {@link DeletionInsertion} AUCs.
 * What the command line's {@code explain --metrics}, {@code report --metrics} and {@code global} print.
 *
 * <p>Which figures apply comes from the result itself: every figure but completeness needs attributions shaped like
 * the input (a layer method gets a note instead); infidelity perturbs along x − reference when the result records a
 * {@link Attributions#reference() reference} and locally otherwise; deletion and insertion move towards that same
 * reference (zeros for a result without one). {@link #withReference} evaluates against another reference instead.
 * Immutable and thread-safe.
 */
public final class QualityReport {
    private final ExplainableModel model;
    private final AttributionMethod method;
    private final long seed;
    /** null: the result's. */
    private final Reference reference;

    private QualityReport(ExplainableModel model, AttributionMethod method, long seed, Reference reference) {
        this.model = Objects.requireNonNull(model, "model");
        this.method = Objects.requireNonNull(method, "method");
        this.seed = seed;
        this.reference = reference;
    }

    /**
     * @param model  the model explained
     * @param method the method that produced the results (max-sensitivity explains perturbed inputs with it again)
     */
    public static QualityReport of(ExplainableModel model, AttributionMethod method) {
        return new QualityReport(model, method, 0, null);
    }

    /** Seed of the infidelity and max-sensitivity perturbations (0 by default). */
    public QualityReport withSeed(long s) {
        return new QualityReport(model, method, s, reference);
    }

    /** Evaluate infidelity and deletion/insertion against this reference instead of the result's. */
    public QualityReport withReference(Reference r) {
        return new QualityReport(model, method, seed, Objects.requireNonNull(r, "reference"));
    }

    /**
     * @param inputs the rows {@code result} explains
     * @param result the method's attributions of {@code inputs}
     */
    public Figures compute(INDArray inputs, Attributions result) {
        Map<String, double[]> perRow = new LinkedHashMap<>();
        Completeness.of(result).ifPresent(c -> perRow.put(c.kind(), c.gap()));
        if (result.values().length() != inputs.length()) {
            return new Figures(result.method(), null, null, perRow, "attributions are not shaped like the input (a layer"
                    + " method): infidelity, sensitivity and deletion/insertion need input attributions");
        }
        Infidelity infidelity = Infidelity.of(model).withSeed(seed);
        DeletionInsertion curves = DeletionInsertion.of(model);
        if (reference != null) {
            infidelity = infidelity.withReference(reference);
            curves = curves.withReference(reference);
        }
        perRow.put("infidelity", infidelity.compute(inputs, result));
        perRow.put("max-sensitivity", MaxSensitivity.of(model, method).withSeed(seed).compute(inputs, result));
        DeletionInsertion.Result auc = curves.compute(inputs, result);
        perRow.put("deletion-auc", auc.deletionAuc());
        perRow.put("insertion-auc", auc.insertionAuc());
        String perturbation = infidelity.perturbationFor(result).name().toLowerCase(Locale.ROOT).replace('_', '-');
        return new Figures(result.method(), curves.referenceFor(result).describe(), perturbation, perRow, null);
    }

    /**
     * The figures of one result.
     *
     * @param method       the method's name
     * @param reference    how the reference infidelity and deletion/insertion used is spelt; null without them
     * @param perturbation infidelity's perturbation: "along-reference" or "local"; null without infidelity
     * @param perRow       figure name → value per row, in the order computed
     * @param note         why figures are missing, or null
     */
    public record Figures(String method, String reference, String perturbation, Map<String, double[]> perRow, String note) {
        public Figures {
            Map<String, double[]> copy = new LinkedHashMap<>();
            perRow.forEach((name, values) -> copy.put(name, values.clone()));
            perRow = Collections.unmodifiableMap(copy);
        }

        /** Figure name → per-row values (copies). */
        @Override
        public Map<String, double[]> perRow() {
            Map<String, double[]> copy = new LinkedHashMap<>();
            perRow.forEach((name, values) -> copy.put(name, values.clone()));
            return copy;
        }

        /** Figure name → mean over the rows; a completeness gap, whose signs would cancel, as its mean |gap|. */
        public Map<String, Double> means() {
            Map<String, Double> means = new LinkedHashMap<>();
            perRow.forEach((name, values) -> means.put(name, mean(values, absolute(name))));
            return means;
        }

        /**
         * The figures as a JSON-ready tree with kebab-case keys: {@code method}, {@code reference},
         * {@code infidelity-perturbation}, {@code note} where present, and per figure {@code {"mean" (or "mean-abs"
         * for completeness): …, "per-row": […]}}.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("method", method);
            if (reference != null) {
                map.put("reference", reference);
            }
            if (perturbation != null) {
                map.put("infidelity-perturbation", perturbation);
            }
            if (note != null) {
                map.put("note", note);
            }
            perRow.forEach((name, values) -> {
                Map<String, Object> figure = new LinkedHashMap<>();
                figure.put(absolute(name) ? "mean-abs" : "mean", mean(values, absolute(name)));
                figure.put("per-row", values.clone());
                map.put(name, figure);
            });
            return map;
        }

        private static boolean absolute(String name) {
            return name.equals("completeness-delta") || name.equals("efficiency-gap");
        }

        private static double mean(double[] values, boolean absolute) {
            return Arrays.stream(values).map(v -> absolute ? Math.abs(v) : v).average().orElse(Double.NaN);
        }
    }
}
