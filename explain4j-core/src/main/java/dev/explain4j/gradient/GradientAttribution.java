package dev.explain4j.gradient;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

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
     * row; methods with per-row state (one reference per row) select and repeat it. Wrappers that stack noisy copies,
     * such as {@link NoiseTunnel}, call it.
     */
    protected GradientAttribution forRows(int first, int end, int times) {
        return this;
    }

    /** The reference of the whole batch, which a wrapper records when it calls {@link #forRows} versions of it. */
    protected Optional<Reference> reference() {
        return Optional.empty();
    }

    /**
     * Fails for a model that masks its sequences (padding): the methods that run on a view of the network before or
     * after a layer would run it without the mask, which is read from the token ids the view does not see.
     */
    static void refuseMasks(NetworkModel model, String method, String layer) {
        if (model.masksSequences()) {
            throw new IllegalArgumentException(method + " at layer '" + layer + "' does not take a model that masks"
                    + " padding (--pad-id): the part of the network it runs on would run without the mask; token"
                    + " attributions (integrated-gradients) honour it");
        }
    }

    /** Σ of each row's values, in double. */
    static double[] rowSums(INDArray values) {
        return values.reshape(values.size(0), -1).sum(1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
    }

    /**
     * The figures of a path method's result (values, targets, outputs at x and at the reference, completeness delta)
     * under another method's name, without its parameters: the layer and neuron methods run Integrated Gradients on a
     * view of the network and report it as their own, in their own terms.
     */
    static Attributions.Builder figuresOf(String method, Attributions path) {
        Attributions.Builder result = Attributions.builder(method, path.values());
        path.targets().ifPresent(result::targets);
        path.targetOutputs().ifPresent(result::targetOutputs);
        path.referenceOutputs().ifPresent(result::referenceOutputs);
        path.completenessDelta().ifPresent(result::completenessDelta);
        return result;
    }

    /** A builder holding what every gradient result carries: targets, outputs, output space and the reference. */
    protected Attributions.Builder result(INDArray values, GradientBatch batch) {
        Attributions.Builder result = Attributions.builder(name(), values)
                .targets(batch.targets())
                .targetOutputs(batch.targetOutputs())
                .parameter("output-space", model.outputSpace().name().toLowerCase(Locale.ROOT));
        reference().ifPresent(result::reference);
        return result;
    }
}
