package dev.explain4j.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * One explained sample as the report shows it: a label (e.g. {@code input.csv row 3}), the input row in the model's
 * own layout, and the model's class probabilities for it when the caller has them.
 */
public final class Sample {
    private final String label;
    private final double[] input;
    private final double[] probabilities;

    private Sample(String label, double[] input, double[] probabilities) {
        this.label = Objects.requireNonNull(label, "label");
        this.input = Objects.requireNonNull(input, "input").clone();
        this.probabilities = probabilities == null ? null : probabilities.clone();
    }

    /** @param input one row flattened row-major in the model's input layout */
    public static Sample of(String label, double[] input) {
        return new Sample(label, input, null);
    }

    /** The same sample with the model's output per class (probabilities, or any scores) attached. */
    public Sample withProbabilities(double[] probabilities) {
        return new Sample(label, input, Objects.requireNonNull(probabilities, "probabilities"));
    }

    public String label() {
        return label;
    }

    public double[] input() {
        return input.clone();
    }

    /** May be null. */
    public double[] probabilities() {
        return probabilities == null ? null : probabilities.clone();
    }

    /** Index of the largest probability, or -1 without probabilities. */
    public int predictedClass() {
        if (probabilities == null || probabilities.length == 0) {
            return -1;
        }
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "Sample[" + label + ", " + input.length + " values" + (probabilities == null ? "" : ", probabilities "
                + Arrays.toString(probabilities)) + "]";
    }
}
