package dev.explain4j.cli;

import java.nio.file.Path;

/**
 * The method options of {@code explain4j explain}, as given (null where not given).
 *
 * @param baseline   zero, mean, blur or a CSV file of one row or one row per input row
 * @param background a CSV of reference rows for Shapley values, expected gradients and LIME
 * @param referenceToken for a model that takes token ids: the id every position of the reference holds
 * @param groups     a CSV of feature group ids: one row for all input rows or, for token ids, one per input row
 * @param neuron     for the neuron methods: a flat index into the output of {@code layer}
 * @param upsample   none, nearest or bilinear: how grad-cam and guided-grad-cam bring their map to the input's size
 */
record MethodSettings(String baseline, Path background, Integer steps, String integration, String layer,
                      long[] window, long[] stride, Integer samples, long seed, int batchSize, Integer referenceToken,
                      Path groups, Integer neuron, String upsample) {

    MethodSettings(String baseline, Path background, Integer steps, String integration, String layer,
                   long[] window, long[] stride, Integer samples, long seed, int batchSize, Integer referenceToken,
                   Path groups) {
        this(baseline, background, steps, integration, layer, window, stride, samples, seed, batchSize, referenceToken,
                groups, null, null);
    }

    MethodSettings(String baseline, Path background, Integer steps, String integration, String layer,
                   long[] window, long[] stride, Integer samples, long seed, int batchSize, Integer referenceToken) {
        this(baseline, background, steps, integration, layer, window, stride, samples, seed, batchSize, referenceToken, null);
    }

    /** Without a reference token (the commands that have no --reference-token). */
    MethodSettings(String baseline, Path background, Integer steps, String integration, String layer,
                   long[] window, long[] stride, Integer samples, long seed, int batchSize) {
        this(baseline, background, steps, integration, layer, window, stride, samples, seed, batchSize, null);
    }
}
