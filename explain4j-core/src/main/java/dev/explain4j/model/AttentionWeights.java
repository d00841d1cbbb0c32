package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The attention weights of a network's DL4J attention layers ({@code SelfAttentionLayer},
 * {@code LearnedSelfAttentionLayer}) for given rows, and their attention rollout.
 *
 * <p>The weights are recomputed from each layer's parameters and its input in the network's own forward pass (the
 * engine's attention step, which reproduces DL4J's output), with the model's padding mask applied as DL4J applies it:
 * a masked key gets weight exactly 0. DL4J itself does not return them. A layer's weights are [rows, heads, queries,
 * keys]: row q of a head says how query position q spreads its attention over the key positions, and sums to 1. For
 * self-attention queries and keys are the sequence's positions; a learned self-attention layer has its own learned
 * queries.
 *
 * <p>{@code attributions.withAttention(AttentionWeights.of(model).weights(x))} puts them beside the attributions of
 * the same rows (the JSON writer writes them under "attention"). {@code RecurrentAttentionLayer} is differentiated but
 * has no weights here: its attention is one query per step, from its own previous output.
 *
 * <p>Attention rollout (Abnar &amp; Zuidema, 2020) follows attention through stacked self-attention layers: each
 * layer's weights averaged over its heads, with the identity added for the residual path and the rows renormalised
 * ((Ā + I) / 2), multiplied from the first layer up. It reads attention only: layers between the attention layers
 * (recurrent or dense steps) mix positions or features in ways it does not see.
 */
public final class AttentionWeights {
    private static final Set<String> KINDS = Set.of("SelfAttentionLayer", "LearnedSelfAttentionLayer");

    private final NetworkModel model;
    private final List<String> layers;

    private AttentionWeights(NetworkModel model, List<String> layers) {
        this.model = model;
        this.layers = layers;
    }

    /**
     * @throws IllegalArgumentException when the network has no attention layer whose weights explain4j computes
     */
    public static AttentionWeights of(NetworkModel model) {
        Objects.requireNonNull(model, "model");
        List<String> layers = model.layers().stream().filter(l -> KINDS.contains(l.kind())).map(LayerInfo::name).toList();
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the network has no attention layer whose weights explain4j computes"
                    + " (SelfAttentionLayer, LearnedSelfAttentionLayer); its layers are " + kinds(model));
        }
        return new AttentionWeights(model, layers);
    }

    /** Whether the network has an attention layer whose weights {@link #of} computes. */
    public static boolean applies(NetworkModel model) {
        return model.layers().stream().anyMatch(l -> KINDS.contains(l.kind()));
    }

    /**
     * How many weights {@link #weights(INDArray)} gives for the rows of x (rows × heads × queries × keys, summed over
     * the layers), measured on its first rows (two: DL4J runs no learned self-attention on a single row), so a
     * caller can decline before computing them all.
     */
    public long valueCount(INDArray x) {
        long probe = Math.min(2, x.size(0));
        if (probe == 0) {
            return 0;
        }
        long values = weights(x.get(NDArrayIndex.interval(0, probe))).values().stream().mapToLong(INDArray::length).sum();
        return Math.multiplyExact(values / probe, x.size(0));
    }

    /** The attention layers' names, in forward order. */
    public List<String> layers() {
        return layers;
    }

    /**
     * One attention layer's weights for the rows of x: [rows, heads, queries, keys].
     *
     * @param layer a layer reference as {@link NetworkModel#layer(String)} takes it
     * @throws IllegalArgumentException for an unknown layer or one that is not an attention layer
     */
    public INDArray weights(INDArray x, String layer) {
        String name = model.layer(layer).name();
        if (!layers.contains(name)) {
            throw new IllegalArgumentException("layer '" + layer + "' (" + model.layer(layer).kind() + ") is not an"
                    + " attention layer; the attention layers are " + layers);
        }
        return model.attentionWeights(x).get(name);
    }

    /** Every attention layer's weights for the rows of x (as {@link #weights(INDArray, String)}), in forward order. */
    public Map<String, INDArray> weights(INDArray x) {
        Map<String, INDArray> all = model.attentionWeights(x);
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        layers.forEach(name -> ordered.put(name, all.get(name)));
        return ordered;
    }

    /**
     * The attention rollout through every attention layer: [rows, T, T], row q how much of position q's
     * representation after the last attention layer comes from each input position (rows sum to 1).
     *
     * @throws IllegalArgumentException when an attention layer is not self-attention over the sequence's positions
     *                                  (a learned self-attention layer has queries of its own), naming it
     */
    public INDArray rollout(INDArray x) {
        Map<String, INDArray> all = weights(x);
        INDArray rollout = null;
        for (Map.Entry<String, INDArray> layer : all.entrySet()) {
            INDArray w = layer.getValue();
            if (w.size(2) != w.size(3) || !"SelfAttentionLayer".equals(model.layer(layer.getKey()).kind())) {
                throw new IllegalArgumentException("attention rollout needs self-attention over the sequence's positions;"
                        + " layer '" + layer.getKey() + "' (" + model.layer(layer.getKey()).kind() + ") attends from "
                        + w.size(2) + " queries of its own to " + w.size(3) + " positions");
            }
            long t = w.size(2);
            INDArray mixed = w.mean(1).addi(Nd4j.eye(t).castTo(w.dataType()).reshape(1, t, t).broadcast(w.size(0), t, t)).muli(0.5);
            rollout = rollout == null ? mixed : Nd4j.matmul(mixed, rollout);
        }
        return rollout;
    }

    private static String kinds(NetworkModel model) {
        return model.layers().stream().filter(l -> l.index() >= 0).map(l -> l.name() + " (" + l.kind() + ")")
                .collect(Collectors.joining(", "));
    }
}
