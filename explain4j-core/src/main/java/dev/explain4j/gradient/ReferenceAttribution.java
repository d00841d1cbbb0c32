package dev.explain4j.gradient;

import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;

import java.util.Objects;
import java.util.Optional;

/**
 * A gradient method that compares x with a reference (one row per input row, or one for all): a wrapper that stacks
 * copies of rows ({@link NoiseTunnel}) runs it with the reference rows of its block, and records the whole batch's.
 */
public abstract class ReferenceAttribution extends GradientAttribution {
    protected final Reference reference;

    protected ReferenceAttribution(NetworkModel model, Reference reference) {
        super(model);
        this.reference = Objects.requireNonNull(reference, "reference");
    }

    /** The same method from another reference. */
    public abstract ReferenceAttribution withReference(Reference r);

    @Override
    protected GradientAttribution forRows(int first, int end, int times) {
        return withReference(reference.forRows(first, end, times));
    }

    @Override
    protected Optional<Reference> reference() {
        return Optional.of(reference);
    }
}
