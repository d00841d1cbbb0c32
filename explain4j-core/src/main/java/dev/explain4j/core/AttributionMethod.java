package dev.explain4j.core;

import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every method answers the same call: explain the rows of {@code inputs} for the given target.
 * Options (baselines, steps, windows, seeds) are set when the method is built, so one configured method can be
 * applied to many batches and composed by wrappers such as {@code NoiseTunnel}.
 */
public interface AttributionMethod {

    /** @param inputs [rows, ...the model's input shape]; never modified */
    Attributions attribute(INDArray inputs, Target target);

    /** The method's name as the command line spells it, e.g. {@code integrated-gradients}. */
    String name();
}
