package dev.explain4j.gradient;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;

import java.util.Locale;
import java.util.Objects;

/** Base of the methods that differentiate a DL4J network through {@link NetworkModel}'s gradient engine. */
public abstract class GradientAttribution implements AttributionMethod {
    protected final NetworkModel model;

    protected GradientAttribution(NetworkModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    public NetworkModel model() {
        return model;
    }

    /**
     * This method for a batch of the rows [first, end) of the original batch, each appearing {@code times} times in a
     * row; methods with per-row state (one baseline per row) select and repeat it. Wrappers that stack noisy copies,
     * such as {@link NoiseTunnel}, call it.
     */
    protected GradientAttribution forRows(int first, int end, int times) {
        return this;
    }

    /** A builder holding what every gradient result carries: targets, outputs and output space. */
    protected Attributions.Builder result(org.nd4j.linalg.api.ndarray.INDArray values, GradientBatch batch) {
        return Attributions.builder(name(), values)
                .targets(batch.targets())
                .targetOutputs(batch.targetOutputs())
                .parameter("output-space", model.outputSpace().name().toLowerCase(Locale.ROOT));
    }
}
