package dev.explain4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The one result type: what a method attributed to each input feature, and how it got there.
 *
 * <p>Immutable. {@link #values()} has one row per explained sample; its other dimensions are the input's (or, for
 * layer methods, the layer's). It carries its provenance (method, parameters, seed, the {@link Reference} actually
 * used), the target explained per row, the model's target output at the input and at the reference where the method
 * has one, per-row quality figures where the method has them (the completeness delta of Integrated Gradients), and
 * typed optional extras: standard errors (sampled Shapley values), and LIME's local surrogate (intercept, R², local
 * prediction), the token of each position (token models explained from text), and the attention weights of the
 * network's attention layers for the rows (see {@code model.AttentionWeights}). Reports, writers, metrics and global views read this object and nothing else.
 */
public final class Attributions {
    private final String method;
    private final Map<String, String> parameters;
    private final INDArray values;
    private final int[] targets;
    private final double[] targetOutputs;
    private final double[] referenceOutputs;
    private final double[] completenessDelta;
    private final int[] stepsUsed;
    private final Long seed;
    private final Reference reference;
    private final INDArray standardErrors;
    private final double[] intercepts;
    private final double[] fitScores;
    private final double[] localPredictions;
    private final List<List<String>> tokens;
    private final Map<String, INDArray> attention;

    private Attributions(Builder b) {
        this.method = Objects.requireNonNull(b.method, "method");
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.values = Objects.requireNonNull(b.values, "values").dup();
        this.targets = b.targets == null ? null : b.targets.clone();
        this.targetOutputs = b.targetOutputs == null ? null : b.targetOutputs.clone();
        this.referenceOutputs = b.referenceOutputs == null ? null : b.referenceOutputs.clone();
        this.completenessDelta = b.completenessDelta == null ? null : b.completenessDelta.clone();
        this.stepsUsed = b.stepsUsed == null ? null : b.stepsUsed.clone();
        this.seed = b.seed;
        this.reference = b.reference;
        this.standardErrors = b.standardErrors == null ? null : b.standardErrors.dup();
        this.intercepts = b.intercepts == null ? null : b.intercepts.clone();
        this.fitScores = b.fitScores == null ? null : b.fitScores.clone();
        this.localPredictions = b.localPredictions == null ? null : b.localPredictions.clone();
        this.tokens = b.tokens == null ? null : copyTokens(b.tokens, values);
        this.attention = b.attention == null ? null : copyAttention(b.attention, values.size(0));
        if (standardErrors != null && !Arrays.equals(standardErrors.shape(), values.shape())) {
            throw new IllegalArgumentException("standard errors have shape " + Arrays.toString(standardErrors.shape())
                    + ", expected the values' " + Arrays.toString(values.shape()));
        }
        long rows = values.size(0);
        checkRows("targets", targets == null ? -1 : targets.length, rows);
        checkRows("targetOutputs", targetOutputs == null ? -1 : targetOutputs.length, rows);
        checkRows("referenceOutputs", referenceOutputs == null ? -1 : referenceOutputs.length, rows);
        checkRows("completenessDelta", completenessDelta == null ? -1 : completenessDelta.length, rows);
        checkRows("stepsUsed", stepsUsed == null ? -1 : stepsUsed.length, rows);
        checkRows("intercepts", intercepts == null ? -1 : intercepts.length, rows);
        checkRows("fitScores", fitScores == null ? -1 : fitScores.length, rows);
        checkRows("localPredictions", localPredictions == null ? -1 : localPredictions.length, rows);
    }

    /** One list per row, one token per value of the row; null entries (padding) kept. */
    private static Map<String, INDArray> copyAttention(Map<String, INDArray> attention, long rows) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        attention.forEach((layer, weights) -> {
            if (weights.rank() != 4 || weights.size(0) != rows) {
                throw new IllegalArgumentException("attention weights of layer '" + layer + "' have shape "
                        + Arrays.toString(weights.shape()) + ", expected [" + rows + ", heads, queries, keys]");
            }
            copy.put(layer, weights.dup('c'));
        });
        return Collections.unmodifiableMap(copy);
    }

    private static List<List<String>> copyTokens(List<List<String>> tokens, INDArray values) {
        long width = values.length() / Math.max(1, values.size(0));
        List<List<String>> copy = new ArrayList<>(tokens.size());
        for (int r = 0; r < tokens.size(); r++) {
            if (tokens.get(r).size() != width) {
                throw new IllegalArgumentException("tokens of row " + (r + 1) + " are " + tokens.get(r).size()
                        + ", expected one per value (" + width + ")");
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(tokens.get(r))));
        }
        checkRows("tokens", copy.size(), values.size(0));
        return Collections.unmodifiableList(copy);
    }

    private static void checkRows(String what, long length, long rows) {
        if (length >= 0 && length != rows) {
            throw new IllegalArgumentException(what + " has " + length + " entries, expected one per row (" + rows + ")");
        }
    }

    public static Builder builder(String method, INDArray values) {
        return new Builder(method, values);
    }

    /** The method's name as the command line spells it, e.g. {@code integrated-gradients}. */
    public String method() {
        return method;
    }

    /** The settings that produced these values, in the order the method set them. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** A copy of the attribution values: [rows, ...input (or layer) shape]. */
    public INDArray values() {
        return values.dup();
    }

    /** Values of one row flattened row-major, in double. */
    public double[] row(int row) {
        return values.slice(row).dup().reshape(-1).toDoubleVector();
    }

    public int rows() {
        return (int) values.size(0);
    }

    /** The values' shape: rows first, then the input's (or layer's) dimensions. */
    public long[] shape() {
        return values.shape().clone();
    }

    /** Output index explained for each row. */
    public Optional<int[]> targets() {
        return Optional.ofNullable(targets).map(int[]::clone);
    }

    /** f_target(x) per row, in the output space that was explained. */
    public Optional<double[]> targetOutputs() {
        return Optional.ofNullable(targetOutputs).map(double[]::clone);
    }

    /** f_target(reference) per row (for a background distribution: its weighted mean), where the method has one. */
    public Optional<double[]> referenceOutputs() {
        return Optional.ofNullable(referenceOutputs).map(double[]::clone);
    }

    /** Σ attributions − (f(x) − f(reference)) per row, where the method promises completeness. */
    public Optional<double[]> completenessDelta() {
        return Optional.ofNullable(completenessDelta).map(double[]::clone);
    }

    /** Integration steps used per row (adaptive Integrated Gradients). */
    public Optional<int[]> stepsUsed() {
        return Optional.ofNullable(stepsUsed).map(int[]::clone);
    }

    /** The seed of a stochastic method. */
    public Optional<Long> seed() {
        return Optional.ofNullable(seed);
    }

    /** The reference the method compared against, where it has one; metrics evaluate against the same. */
    public Optional<Reference> reference() {
        return Optional.ofNullable(reference);
    }

    /** Standard error of each value, shaped like {@link #values()} (sampled Shapley values). */
    public Optional<INDArray> standardErrors() {
        return Optional.ofNullable(standardErrors).map(INDArray::dup);
    }

    /** The local surrogate's intercept per row (LIME). */
    public Optional<double[]> intercepts() {
        return Optional.ofNullable(intercepts).map(double[]::clone);
    }

    /** The local surrogate's weighted R² on its neighbourhood, per row (LIME). */
    public Optional<double[]> fitScores() {
        return Optional.ofNullable(fitScores).map(double[]::clone);
    }

    /** The local surrogate's value at the explained row, per row (LIME). */
    public Optional<double[]> localPredictions() {
        return Optional.ofNullable(localPredictions).map(double[]::clone);
    }

    /**
     * Per row, the token at each position (one per value), null where the position holds padding: set when the
     * rows were tokenized from text or their ids looked up in a vocabulary.
     */
    public Optional<List<List<String>>> tokens() {
        return Optional.ofNullable(tokens);
    }

    /**
     * Per attention layer (by name, in forward order), its weights for the rows: [rows, heads, queries, keys], each
     * query's weights over the keys summing to 1.
     */
    public Optional<Map<String, INDArray>> attention() {
        return Optional.ofNullable(attention);
    }

    /** The same result with the attention weights of the rows (see {@link #attention()}). */
    public Attributions withAttention(Map<String, INDArray> weights) {
        Builder b = copyInto(builder(method, values));
        b.attention = Objects.requireNonNull(weights, "attention");
        return b.build();
    }

    /** The same result with the token of each position (see {@link #tokens()}). */
    public Attributions withTokens(List<List<String>> rowTokens) {
        Builder b = copyInto(builder(method, values));
        b.tokens = Objects.requireNonNull(rowTokens, "tokens");
        return b.build();
    }

    /** The same provenance and figures with other values of the same number of rows (tokens kept if as wide). */
    public Attributions withValues(INDArray newValues) {
        Builder b = copyInto(builder(method, newValues));
        b.standardErrors = null;
        b.tokens = sameWidth(newValues) ? tokens : null;
        return b.build();
    }

    /**
     * The same result in another layout: {@code layout} maps the values (and the standard errors, which share their
     * shape) to the new one, e.g. from the NCHW images a spatial method saw back to the model's NHWC.
     */
    public Attributions mapLayout(UnaryOperator<INDArray> layout) {
        Builder b = copyInto(builder(method, layout.apply(values.dup())));
        b.standardErrors = standardErrors == null ? null : layout.apply(standardErrors.dup());
        b.tokens = sameWidth(b.values) ? tokens : null;
        return b.build();
    }

    /** Tokens describe positions: they stay with values of the same width and are dropped with any other. */
    private boolean sameWidth(INDArray other) {
        return other.length() / Math.max(1, other.size(0)) == values.length() / Math.max(1, values.size(0));
    }

    private Builder copyInto(Builder b) {
        b.parameters.putAll(parameters);
        b.targets = targets;
        b.targetOutputs = targetOutputs;
        b.referenceOutputs = referenceOutputs;
        b.completenessDelta = completenessDelta;
        b.stepsUsed = stepsUsed;
        b.seed = seed;
        b.reference = reference;
        b.standardErrors = standardErrors;
        b.intercepts = intercepts;
        b.fitScores = fitScores;
        b.localPredictions = localPredictions;
        b.tokens = tokens;
        b.attention = attention;
        return b;
    }

    @Override
    public String toString() {
        return "Attributions[" + method + " " + parameters + ", shape " + Arrays.toString(values.shape()) + "]";
    }

    /** Assembles an {@link Attributions}; arrays are copied on {@link #build()}. */
    public static final class Builder {
        private final String method;
        private final INDArray values;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private int[] targets;
        private double[] targetOutputs;
        private double[] referenceOutputs;
        private double[] completenessDelta;
        private int[] stepsUsed;
        private Long seed;
        private Reference reference;
        private INDArray standardErrors;
        private double[] intercepts;
        private double[] fitScores;
        private double[] localPredictions;
        private List<List<String>> tokens;
        private Map<String, INDArray> attention;

        private Builder(String method, INDArray values) {
            this.method = method;
            this.values = values;
        }

        public Builder parameter(String name, Object value) {
            parameters.put(name, String.valueOf(value));
            return this;
        }

        public Builder targets(int[] targets) {
            this.targets = targets;
            return this;
        }

        public Builder targetOutputs(double[] outputs) {
            this.targetOutputs = outputs;
            return this;
        }

        public Builder referenceOutputs(double[] outputs) {
            this.referenceOutputs = outputs;
            return this;
        }

        public Builder completenessDelta(double[] delta) {
            this.completenessDelta = delta;
            return this;
        }

        public Builder stepsUsed(int[] steps) {
            this.stepsUsed = steps;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder reference(Reference reference) {
            this.reference = reference;
            return this;
        }

        public Builder standardErrors(INDArray errors) {
            this.standardErrors = errors;
            return this;
        }

        public Builder intercepts(double[] intercepts) {
            this.intercepts = intercepts;
            return this;
        }

        public Builder fitScores(double[] scores) {
            this.fitScores = scores;
            return this;
        }

        public Builder localPredictions(double[] predictions) {
            this.localPredictions = predictions;
            return this;
        }

        public Builder tokens(List<List<String>> rowTokens) {
            this.tokens = rowTokens;
            return this;
        }

        /** Per attention layer its weights [rows, heads, queries, keys] (see {@link Attributions#attention()}). */
        public Builder attention(Map<String, INDArray> weights) {
            this.attention = weights;
            return this;
        }

        public Attributions build() {
            return new Attributions(this);
        }
    }
}
