package dev.explain4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one result type: what a method attributed to each input feature, and how it got there.
 *
 * <p>Immutable. {@link #values()} has one row per explained sample; its other dimensions are the input's (or, for
 * layer methods, the layer's). It carries its provenance (method, parameters, seed), the target explained per row,
 * the model's target output at the input and at the baseline where the method has one, and per-row quality figures
 * where the method has them (the completeness delta of Integrated Gradients). Reports, writers, metrics and global
 * views read this object and nothing else.
 */
public final class Attributions {
    private final String method;
    private final Map<String, String> parameters;
    private final INDArray values;
    private final int[] targets;
    private final double[] targetOutputs;
    private final double[] baselineOutputs;
    private final double[] completenessDelta;
    private final int[] stepsUsed;
    private final Long seed;

    private Attributions(Builder b) {
        this.method = Objects.requireNonNull(b.method, "method");
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.values = Objects.requireNonNull(b.values, "values").dup();
        this.targets = b.targets == null ? null : b.targets.clone();
        this.targetOutputs = b.targetOutputs == null ? null : b.targetOutputs.clone();
        this.baselineOutputs = b.baselineOutputs == null ? null : b.baselineOutputs.clone();
        this.completenessDelta = b.completenessDelta == null ? null : b.completenessDelta.clone();
        this.stepsUsed = b.stepsUsed == null ? null : b.stepsUsed.clone();
        this.seed = b.seed;
        long rows = values.size(0);
        checkRows("targets", targets == null ? -1 : targets.length, rows);
        checkRows("targetOutputs", targetOutputs == null ? -1 : targetOutputs.length, rows);
        checkRows("baselineOutputs", baselineOutputs == null ? -1 : baselineOutputs.length, rows);
        checkRows("completenessDelta", completenessDelta == null ? -1 : completenessDelta.length, rows);
        checkRows("stepsUsed", stepsUsed == null ? -1 : stepsUsed.length, rows);
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

    /** Output index explained for each row. */
    public Optional<int[]> targets() {
        return Optional.ofNullable(targets).map(int[]::clone);
    }

    /** f_target(x) per row, in the output space that was explained. */
    public Optional<double[]> targetOutputs() {
        return Optional.ofNullable(targetOutputs).map(double[]::clone);
    }

    /** f_target(baseline) per row (for a background set: its mean), where the method has a baseline. */
    public Optional<double[]> baselineOutputs() {
        return Optional.ofNullable(baselineOutputs).map(double[]::clone);
    }

    /** Σ attributions − (f(x) − f(baseline)) per row, where the method promises completeness. */
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

    /** The same provenance and figures with other values (e.g. the same attributions in another layout). */
    public Attributions withValues(INDArray newValues) {
        Builder b = builder(method, newValues);
        b.parameters.putAll(parameters);
        b.targets = targets;
        b.targetOutputs = targetOutputs;
        b.baselineOutputs = baselineOutputs;
        b.completenessDelta = completenessDelta;
        b.stepsUsed = stepsUsed;
        b.seed = seed;
        return b.build();
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
        private double[] baselineOutputs;
        private double[] completenessDelta;
        private int[] stepsUsed;
        private Long seed;

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

        public Builder baselineOutputs(double[] outputs) {
            this.baselineOutputs = outputs;
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

        public Attributions build() {
            return new Attributions(this);
        }
    }
}
