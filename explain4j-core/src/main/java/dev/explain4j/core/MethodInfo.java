package dev.explain4j.core;

import dev.explain4j.model.ExplainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Set;

/**
 * One entry of the {@link MethodRegistry}: a method's name and what it needs.
 *
 * @param name              as the command line, the result and the JSON files spell it
 * @param family            gradient methods need a DL4J network; perturbation methods take any model
 * @param summary           one line for help texts
 * @param options           the {@link MethodSettings} it reads, by option name (reference, background, steps, ...)
 * @param needsLayer        true when a layer must be named
 * @param completenessDelta true when its results carry Σ attributions − (f(x) − f(reference)) per row
 * @param factory           builds the configured method
 */
public record MethodInfo(String name, Family family, String summary, Set<String> options, boolean needsLayer,
                         boolean completenessDelta, Factory factory) {

    public enum Family { GRADIENT, PERTURBATION }

    /** Builds a method for a model from settings; the rows to explain are given for defaults that depend on them. */
    @FunctionalInterface
    public interface Factory {
        AttributionMethod create(ExplainableModel model, MethodSettings settings, INDArray inputs);
    }

    /** True for stochastic methods, which take a seed. */
    public boolean stochastic() {
        return options.contains("seed");
    }
}
