package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * DL4J's dot-product attention layers ({@code SelfAttentionLayer}, {@code LearnedSelfAttentionLayer}), forward and
 * backward, in ND4J ops.
 *
 * <p>DL4J 1.0.0-M2.1 computes them as SameDiff layers over libnd4j's {@code multi_head_dot_product_attention} (or
 * {@code dot_product_attention} without projection), and its backward pass gives exactly 2× the true input gradient
 * (measured against central finite differences in double precision). This step computes the same function on NCW
 * input x [n, F, T]: per head h, Q = Wq[h]·queries, K = Wk[h]·x, V = Wv[h]·x ([n, d, T], d the head size); scores
 * S = KᵀQ/√d [n, keys, queries], where libnd4j adds (m − 1)·10⁹ to a masked key's scores (so its weight is exactly 0
 * after the softmax); A = the softmax of S over the keys; O = V·A; the output is Woᵀ applied to the heads' O stacked
 * head-major ([n, nOut, queries]). Without projection there is one head and Q = queries, K = V = x. The queries are x
 * for self-attention and the layer's learned matrix "Q" [1, F, nQueries] for learned self-attention. The mask is the
 * layer's own feature mask, as DL4J hands it down; the engine's other steps leave masked layers to DL4J, this one
 * computes them.
 *
 * <p>The backward pass: ∂O = Wo·∂Y, ∂V = ∂O·Aᵀ, ∂A = Vᵀ·∂O, ∂S = A ⊙ (∂A − Σ_keys A ⊙ ∂A) / √d, ∂K = Q·∂Sᵀ,
 * ∂Q = K·∂S, and ∂x the sum of Wᵀ·∂ over the projections x enters (queries only for self-attention).
 */
final class AttentionStep {
    /** libnd4j's stand-in for −∞ on a masked key's scores. */
    private static final double MASKED = 1e9;

    /** What each layer's backward pass needs from its forward pass. */
    private final Map<Layer, Computation> computed = new IdentityHashMap<>();
    /** Where forward passes also file their weights by layer name (see {@link #recordWeights}); null: nowhere. */
    private Map<String, INDArray> recorded;

    static boolean handles(Layer layer) {
        return layer instanceof org.deeplearning4j.nn.layers.samediff.SameDiffLayer && isAttention(layer.conf().getLayer());
    }

    /** Whether the configuration is one of the attention kinds this step computes (exact classes). */
    static boolean isAttention(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf.getClass() == SelfAttentionLayer.class || conf.getClass() == LearnedSelfAttentionLayer.class;
    }

    INDArray forward(Layer layer, INDArray input) {
        Computation c = compute(layer, input, layer.getMaskArray());
        computed.put(layer, c);
        if (recorded != null) {
            recorded.put(layer.conf().getLayer().getLayerName(), c.weights());
        }
        return c.output;
    }

    /**
     * Makes the forward passes from now on put each layer's attention weights into {@code weights} by layer name:
     * [n, heads, queries, keys], each row (one query) summing to 1 over the keys; null stops it.
     */
    void recordWeights(Map<String, INDArray> weights) {
        recorded = weights;
    }

    boolean hasForward(Layer layer) {
        return computed.containsKey(layer);
    }

    INDArray backward(Layer layer, INDArray epsilon) {
        return computed.remove(layer).inputGradient(epsilon);
    }

    void clear() {
        computed.clear();
    }

    /**
     * The layer's forward pass on x [n, F, T] with its feature mask [n, T] (null: every step is real).
     */
    static Computation compute(Layer layer, INDArray x, INDArray mask) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        boolean learned = conf instanceof LearnedSelfAttentionLayer;
        boolean project = learned ? ((LearnedSelfAttentionLayer) conf).isProjectInput() : ((SelfAttentionLayer) conf).isProjectInput();
        Map<String, INDArray> params = layer.paramTable();
        long n = x.size(0);
        INDArray queries = learned ? params.get("Q").broadcast(n, x.size(1), params.get("Q").size(2)) : x;
        Computation c = new Computation(learned, project, params);
        c.queries = project ? projected(queries, params.get("Wq")) : asHead(queries);
        c.keys = project ? projected(x, params.get("Wk")) : asHead(x);
        c.values = project ? projected(x, params.get("Wv")) : c.keys;
        c.scale = Math.sqrt(c.keys.size(2));
        INDArray scores = Nd4j.matmul(c.keys, c.queries, true, false, false).divi(c.scale);
        if (mask != null) {
            INDArray bias = mask.castTo(scores.dataType()).sub(1.0).muli(MASKED).reshape('c', n, 1, x.size(2), 1);
            scores.addi(bias.broadcast(scores.shape()));
        }
        c.weights = new NativeOp("softmax", new int[]{2}, scores).run(false);
        INDArray heads = Nd4j.matmul(c.values, c.weights);
        c.output = project ? Nd4j.tensorMmul(heads, outputProjection(params), new int[][]{{1, 2}, {0, 1}}).permute(0, 2, 1).dup('c')
                : heads.reshape('c', n, heads.size(2), heads.size(3));
        return c;
    }

    /** x [n, F, T] through each head's projection W [heads, d, F]: [n, heads, d, T]. */
    private static INDArray projected(INDArray x, INDArray w) {
        return Nd4j.tensorMmul(x, w, new int[][]{{1}, {2}}).permute(0, 2, 3, 1).dup('c');
    }

    /** The gradient of {@link #projected} with respect to x, from the gradient g [n, heads, d, T] of its result. */
    private static INDArray unprojected(INDArray g, INDArray w) {
        return Nd4j.tensorMmul(g, w, new int[][]{{1, 2}, {0, 1}}).permute(0, 2, 1);
    }

    /** x [n, F, T] as a single head [n, 1, F, T]. */
    private static INDArray asHead(INDArray x) {
        return x.dup('c').reshape('c', x.size(0), 1, x.size(1), x.size(2));
    }

    /** Wo [heads · d, nOut] as [heads, d, nOut]: row h·d + j of Wo reads component j of head h. */
    private static INDArray outputProjection(Map<String, INDArray> params) {
        INDArray wo = params.get("Wo");
        long heads = params.get("Wv").size(0);
        return wo.dup('c').reshape('c', heads, wo.size(0) / heads, wo.size(1));
    }

    /** One layer's forward pass on one batch, with what its backward pass reads. */
    static final class Computation {
        private final boolean learned;
        private final boolean project;
        private final Map<String, INDArray> params;
        private INDArray queries;
        private INDArray keys;
        private INDArray values;
        private double scale;
        /** [n, heads, keys, queries], softmax over the keys (libnd4j's layout). */
        private INDArray weights;
        private INDArray output;

        private Computation(boolean learned, boolean project, Map<String, INDArray> params) {
            this.learned = learned;
            this.project = project;
            this.params = params;
        }

        /** [n, heads, queries, keys]: row q holds query q's weights over the keys. */
        INDArray weights() {
            return weights.permute(0, 1, 3, 2).dup('c');
        }

        /** ∂f/∂x from ∂f/∂output [n, nOut, queries]. */
        INDArray inputGradient(INDArray epsilon) {
            long n = epsilon.size(0);
            INDArray dHeads = project
                    ? Nd4j.tensorMmul(epsilon, outputProjection(params), new int[][]{{1}, {2}}).permute(0, 2, 3, 1).dup('c')
                    : epsilon.dup('c').reshape('c', n, 1, epsilon.size(1), epsilon.size(2));
            INDArray dValues = Nd4j.matmul(dHeads, weights, false, true, false);
            INDArray dWeights = Nd4j.matmul(values, dHeads, true, false, false);
            INDArray perQuery = weights.mul(dWeights).sum(true, 2);
            INDArray dScores = dWeights.subi(perQuery.broadcast(dWeights.shape())).muli(weights).divi(scale);
            INDArray dKeys = Nd4j.matmul(queries, dScores, false, true, false);
            if (!project) {
                INDArray gradient = dKeys.addi(dValues);
                if (!learned) {
                    gradient.addi(Nd4j.matmul(keys, dScores));
                }
                return gradient.reshape('c', n, gradient.size(2), gradient.size(3));
            }
            INDArray gradient = unprojected(dKeys, params.get("Wk")).add(unprojected(dValues, params.get("Wv")));
            if (!learned) {
                gradient.addi(unprojected(Nd4j.matmul(keys, dScores), params.get("Wq")));
            }
            return gradient.dup('c');
        }
    }
}
