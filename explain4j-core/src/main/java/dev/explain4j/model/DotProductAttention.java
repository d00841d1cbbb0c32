package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * One call of libnd4j's {@code multi_head_dot_product_attention} (or, without projection, {@code dot_product_attention})
 * as DL4J's attention layers make it, forward and backward, in ND4J ops: queries [n, Fq, Tq] attend over x [n, F, T]
 * (keys and values both), NCW.
 *
 * <p>Per head h: Q = Wq[h]·queries, K = Wk[h]·x, V = Wv[h]·x ([n, d, ·], d the head size); scores S = KᵀQ/√d [n, keys,
 * queries], where libnd4j adds (m − 1)·10⁹ to a masked key's scores (so its weight is exactly 0 after the softmax);
 * A = the softmax of S over the keys; O = V·A; the output is Woᵀ applied to the heads' O stacked head-major ([n, nOut,
 * Tq]). Without projection there is one head and Q = queries, K = V = x.
 *
 * <p>Backward: ∂O = Wo·∂Y, ∂V = ∂O·Aᵀ, ∂A = Vᵀ·∂O, ∂S = A ⊙ (∂A − Σ_keys A ⊙ ∂A) / √d, ∂K = Q·∂Sᵀ, ∂Q = K·∂S, each
 * taken back through its projection.
 */
final class DotProductAttention {
    /** libnd4j's stand-in for −∞ on a masked key's scores. */
    private static final double MASKED = 1e9;

    private final boolean project;
    private final Map<String, INDArray> params;
    private final INDArray queries;
    private final INDArray keys;
    private final INDArray values;
    private final double scale;
    /** [n, heads, keys, queries], softmax over the keys (libnd4j's layout). */
    private final INDArray weights;
    private final INDArray output;

    /**
     * @param params the layer's parameters: "Wq", "Wk", "Wv" [heads, d, F] and "Wo" [heads · d, nOut] when it projects
     * @param mask   the keys' feature mask [n, T], or null: every step is real
     */
    DotProductAttention(Map<String, INDArray> params, boolean project, INDArray queries, INDArray x, INDArray mask) {
        this.project = project;
        this.params = params;
        long n = x.size(0);
        this.queries = project ? projected(queries, params.get("Wq")) : asHead(queries);
        this.keys = project ? projected(x, params.get("Wk")) : asHead(x);
        this.values = project ? projected(x, params.get("Wv")) : keys;
        this.scale = Math.sqrt(keys.size(2));
        INDArray scores = Nd4j.matmul(keys, this.queries, true, false, false).divi(scale);
        if (mask != null) {
            INDArray bias = mask.castTo(scores.dataType()).sub(1.0).muli(MASKED).reshape('c', n, 1, x.size(2), 1);
            scores.addi(bias.broadcast(scores.shape()));
        }
        this.weights = new NativeOp("softmax", new int[]{2}, scores).run(false);
        INDArray heads = Nd4j.matmul(values, weights);
        this.output = project
                ? Nd4j.tensorMmul(heads, outputProjection(params), new int[][]{{1, 2}, {0, 1}}).permute(0, 2, 1).dup('c')
                : heads.reshape('c', n, heads.size(2), heads.size(3));
    }

    /** [n, nOut, Tq]. */
    INDArray output() {
        return output;
    }

    /** [n, heads, queries, keys]: row q holds query q's weights over the keys, summing to 1. */
    INDArray weights() {
        return weights.permute(0, 1, 3, 2).dup('c');
    }

    /**
     * From ∂f/∂output [n, nOut, Tq]: {∂f/∂queries [n, Fq, Tq], ∂f/∂x [n, F, T] (through the keys and the values)}.
     */
    INDArray[] backward(INDArray epsilon) {
        long n = epsilon.size(0);
        INDArray dHeads = project
                ? Nd4j.tensorMmul(epsilon, outputProjection(params), new int[][]{{1}, {2}}).permute(0, 2, 3, 1).dup('c')
                : epsilon.dup('c').reshape('c', n, 1, epsilon.size(1), epsilon.size(2));
        INDArray dValues = Nd4j.matmul(dHeads, weights, false, true, false);
        INDArray dWeights = Nd4j.matmul(values, dHeads, true, false, false);
        INDArray perQuery = weights.mul(dWeights).sum(true, 2);
        INDArray dScores = dWeights.subi(perQuery.broadcast(dWeights.shape())).muli(weights).divi(scale);
        INDArray dKeys = Nd4j.matmul(queries, dScores, false, true, false);
        INDArray dQueries = Nd4j.matmul(keys, dScores);
        if (!project) {
            return new INDArray[]{unheaded(dQueries), unheaded(dKeys.addi(dValues))};
        }
        INDArray dx = unprojected(dKeys, params.get("Wk")).addi(unprojected(dValues, params.get("Wv")));
        return new INDArray[]{unprojected(dQueries, params.get("Wq")).dup('c'), dx.dup('c')};
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

    private static INDArray unheaded(INDArray g) {
        return g.reshape('c', g.size(0), g.size(2), g.size(3));
    }

    /** Wo [heads · d, nOut] as [heads, d, nOut]: row h·d + j of Wo reads component j of head h. */
    private static INDArray outputProjection(Map<String, INDArray> params) {
        INDArray wo = params.get("Wo");
        long heads = params.get("Wv").size(0);
        return wo.dup('c').reshape('c', heads, wo.size(0) / heads, wo.size(1));
    }
}
