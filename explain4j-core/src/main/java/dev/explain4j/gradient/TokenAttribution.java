package dev.explain4j.gradient;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.RowPartition;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.SequenceMask;
import dev.explain4j.model.Target;
import dev.explain4j.model.TokenInput;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A gradient method on a network that takes token ids, attributing at the output of its embedding (Captum's
 * {@code LayerIntegratedGradients} on the embedding layer with a {@code TokenReferenceBase} reference): the ids are
 * embedded by the embedding layer's own forward pass, the method runs on the network after the embedding
 * ({@link NetworkModel#after}) with the embedding of the reference-token sequence as its reference, and each
 * position gets the sum of its values over the embedding dimension (or, for saliency, their L2 norm).
 *
 * <p>The reference is a {@link Reference} of token ids: {@link Reference#constant(double) constant(id)} is a
 * sequence of one reference token (the default, {@link Reference#zeros()}, is token 0), {@link Reference#rows} are
 * user sequences, a distribution is a background of sequences (expected gradients). The result records it, so
 * metrics and perturbation methods put reference tokens where a position is absent. Immutable and thread-safe.
 *
 * <p>On a model that masks padding ({@link NetworkModel#withPadId}) the rows are explained in parts that share their
 * padded positions ({@link RowPartition}), each on the network after the embedding with that feature mask, and
 * with the padding id in the reference where the rows are padded: a padded position gets exactly zero and a row's
 * padding does not change what its real tokens get.
 */
public final class TokenAttribution implements AttributionMethod {

    /** Builds the gradient method that runs in embedding space. */
    @FunctionalInterface
    public interface Method {
        /**
         * @param afterEmbedding the network from the embedding's output on
         * @param reference      the reference in embedding space: the embedded reference sequences
         */
        AttributionMethod create(NetworkModel afterEmbedding, Reference reference);
    }

    /** How a position's values over the embedding dimension make its one value. */
    public enum TokenValue {
        /** Σ_d, the convention of Captum's text tutorials; keeps completeness. */
        SUM,
        /** √Σ_d v², the size of a gradient (saliency). */
        L2_NORM;

        String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final NetworkModel model;
    private final TokenInput tokens;
    private final String embeddingLayer;
    private final NetworkModel embedding;
    private final NetworkModel afterEmbedding;
    private final Method method;
    private final String name;
    private final Reference reference;
    private final TokenValue tokenValue;

    private TokenAttribution(NetworkModel model, TokenInput tokens, String embeddingLayer, NetworkModel embedding,
                             NetworkModel afterEmbedding, Method method, String name, Reference reference,
                             TokenValue tokenValue) {
        this.model = model;
        this.tokens = tokens;
        this.embeddingLayer = embeddingLayer;
        this.embedding = embedding;
        this.afterEmbedding = afterEmbedding;
        this.method = method;
        this.name = name;
        this.reference = reference;
        this.tokenValue = tokenValue;
    }

    /**
     * @param model  a MultiLayerNetwork whose first layer is an {@code EmbeddingLayer} or {@code EmbeddingSequenceLayer}
     * @param method e.g. {@code (net, ref) -> IntegratedGradients.of(net).withReference(ref)}
     * @throws IllegalArgumentException when the model does not take token ids
     */
    public static TokenAttribution of(NetworkModel model, Method method) {
        TokenInput tokens = model.tokenInput().orElseThrow(() -> new IllegalArgumentException(
                "token attributions need a network whose first layer is an embedding of token ids; this one takes "
                        + (model.inputShape() == null ? "inputs of undeclared shape" : "rows shaped "
                        + Arrays.toString(model.inputShape()))));
        String layer = model.layers().get(1).name();
        NetworkModel after = model.after(layer);
        String name = Objects.requireNonNull(method.create(after, Reference.zeros()), "method").name();
        return new TokenAttribution(model, tokens, layer, model.upTo(layer), after, method, name, Reference.zeros(),
                TokenValue.SUM);
    }

    /** The reference token ids (default {@link Reference#zeros()}: every position token 0). */
    public TokenAttribution withReference(Reference tokenReference) {
        return new TokenAttribution(model, tokens, embeddingLayer, embedding, afterEmbedding, method, name,
                Objects.requireNonNull(tokenReference, "reference"), tokenValue);
    }

    /** How the values of a position over the embedding dimension are combined (default {@link TokenValue#SUM}). */
    public TokenAttribution withTokenValue(TokenValue value) {
        return new TokenAttribution(model, tokens, embeddingLayer, embedding, afterEmbedding, method, name, reference,
                Objects.requireNonNull(value, "token value"));
    }

    /** One value per token position, [rows, T]; the reference recorded is the token reference. */
    @Override
    public Attributions attribute(INDArray ids, Target target) {
        Attributions embedded = attributeEmbedded(ids, target);
        INDArray values = embedded.values();
        int axis = tokens.embeddingAxis();
        INDArray perToken = tokenValue == TokenValue.SUM ? values.sum(axis) : values.norm2(axis);
        Attributions.Builder result = Attributions.builder(name, perToken.reshape('c', ids.size(0), -1))
                .reference(reference);
        embedded.parameters().forEach(result::parameter);
        result.parameter("baseline", reference.describe()).parameter("embedding-layer", embeddingLayer)
                .parameter("token-value", tokenValue.key());
        embedded.targets().ifPresent(result::targets);
        embedded.targetOutputs().ifPresent(result::targetOutputs);
        embedded.referenceOutputs().ifPresent(result::referenceOutputs);
        embedded.completenessDelta().ifPresent(result::completenessDelta);
        embedded.stepsUsed().ifPresent(result::stepsUsed);
        embedded.seed().ifPresent(result::seed);
        return result.build();
    }

    /**
     * The method's result in embedding space: values shaped like the embedding's output, [rows, d, T] (or [rows, T, d]
     * for an NWC embedding, [rows, d] for a single id), with the embedded reference recorded.
     */
    public Attributions attributeEmbedded(INDArray ids, Target target) {
        OptionalLong padId = model.padId();
        if (padId.isEmpty()) {
            return method.create(afterEmbedding, embeddedReference(ids, null, 0)).attribute(embed(ids), target);
        }
        RowPartition partition = RowPartition.of(ids, padId.getAsLong());
        List<Attributions> results = new ArrayList<>();
        for (int p = 0; p < partition.parts(); p++) {
            boolean[] real = partition.real(p);
            INDArray partIds = partition.select(ids, p);
            try (NetworkModel masked = afterEmbedding.withSequenceMask(SequenceMask.fixed(real))) {
                Attributions result = method.create(masked, embeddedReference(partIds, real, padId.getAsLong()))
                        .attribute(embed(partIds), target.select(partition.rows(p)));
                results.add(result.withValues(withoutPadding(result.values(), real)));
            }
        }
        return partition.merge(results).reference(reference).build();
    }

    /** Embedding-space values with the padded positions set to exactly zero: padding is no feature. */
    private INDArray withoutPadding(INDArray values, boolean[] real) {
        INDArray mask = Nd4j.create(values.dataType(), real.length);
        for (int t = 0; t < real.length; t++) {
            mask.putScalar(t, real[t] ? 1 : 0);
        }
        long[] shape = tokens.embedded() == RNNFormat.NWC ? new long[]{1, real.length, 1} : new long[]{1, 1, real.length};
        return values.mul(mask.reshape(shape).broadcast(values.shape()));
    }

    /** The embedding layer's output for the ids, [rows, ...its row shape]. */
    public INDArray embed(INDArray ids) {
        INDArray flat = embedding.predict(ids);
        long rows = ids.size(0);
        long length = ids.length() / Math.max(1, rows);
        if (tokens.embedded() == null) {
            return flat;
        }
        return tokens.embedded() == RNNFormat.NWC
                ? flat.reshape('c', rows, length, tokens.dimension())
                : flat.reshape('c', rows, tokens.dimension(), length);
    }

    /**
     * The token reference in embedding space: embedded background sequences, or the reference sequence(s) embedded.
     * With padding ({@code real} not null) the reference holds the padding id where the rows are padded, so a path or a
     * perturbation leaves those positions as they are.
     */
    private Reference embeddedReference(INDArray ids, boolean[] real, long padId) {
        if (reference.isDistribution()) {
            Reference.Distribution background = reference.distribution(ids, model);
            return Reference.distribution(embed(padded(background.rows(), real, padId)), background.weights());
        }
        INDArray referenceIds = padded(reference.resolve(ids, model), real, padId);
        INDArray first = referenceIds.get(NDArrayIndex.interval(0, 1));
        boolean one = referenceIds.equals(first.broadcast(referenceIds.shape()));
        return Reference.rows(embed(one ? first : referenceIds));
    }

    /** Token id rows with the padding id at the positions {@code real} marks as padding (none when it is null). */
    private static INDArray padded(INDArray referenceIds, boolean[] real, long padId) {
        if (real == null) {
            return referenceIds;
        }
        INDArray copy = referenceIds.dup('c');
        for (int t = 0; t < real.length; t++) {
            if (!real[t]) {
                copy.get(NDArrayIndex.all(), NDArrayIndex.point(t)).assign(padId);
            }
        }
        return copy;
    }

    @Override
    public String name() {
        return name;
    }
}
