package dev.explain4j.core;

import dev.explain4j.gradient.GradCam;
import dev.explain4j.gradient.IntegrationRule;

/**
 * The settings a method is built from by name ({@link MethodRegistry#create}): what the command line, the report, the
 * demo and the Spark stage pass. Every field may be null, meaning "the method's own default"; a method ignores the
 * settings it does not take ({@link MethodInfo#options()} lists those it does).
 *
 * @param reference  what "absent" means: a path start for gradient methods, the replacement for perturbation methods
 * @param background a background distribution for Shapley values, expected gradients and LIME (else: the reference,
 *                   or for expected gradients and LIME the explained rows themselves)
 * @param steps      integration steps (integrated-gradients)
 * @param rule       integration rule (integrated-gradients)
 * @param layer      a layer name or index (layer methods, grad-cam)
 * @param window     occlusion window, or LIME image cell (H,W on images)
 * @param stride     occlusion strides
 * @param samples    samples of a stochastic method (noisy copies, background draws, coalitions, permutation pairs, neighbours)
 * @param seed       seed of a stochastic method
 * @param batchSize  rows per model call of perturbation methods, points per pass of gradient methods
 * @param groups     feature groups of perturbation methods: a group id per feature, one row for all input rows or,
 *                   on token ids, one row per input row (word groups: the sub-word positions of a word)
 * @param neuron     the unit of the layer's output the neuron methods explain: a flat index in the model's own layout
 * @param upsampling how grad-cam and guided-grad-cam bring their map to the input's size
 */
public record MethodSettings(Reference reference, Reference background, Integer steps, IntegrationRule rule, String layer,
                             long[] window, long[] stride, Integer samples, Long seed, Integer batchSize, int[][] groups,
                             Integer neuron, GradCam.Upsampling upsampling) {

    /** Without a neuron or an upsampling mode. */
    public MethodSettings(Reference reference, Reference background, Integer steps, IntegrationRule rule, String layer,
                          long[] window, long[] stride, Integer samples, Long seed, Integer batchSize, int[][] groups) {
        this(reference, background, steps, rule, layer, window, stride, samples, seed, batchSize, groups, null, null);
    }

    /** Without feature groups. */
    public MethodSettings(Reference reference, Reference background, Integer steps, IntegrationRule rule, String layer,
                          long[] window, long[] stride, Integer samples, Long seed, Integer batchSize) {
        this(reference, background, steps, rule, layer, window, stride, samples, seed, batchSize, null);
    }

    /** Every setting at the method's default. */
    public static MethodSettings defaults() {
        return new MethodSettings(null, null, null, null, null, null, null, null, null, null);
    }
}
