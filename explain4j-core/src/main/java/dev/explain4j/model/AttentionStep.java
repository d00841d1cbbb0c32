package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * DL4J's attention layers ({@code SelfAttentionLayer}, {@code LearnedSelfAttentionLayer},
 * {@code RecurrentAttentionLayer}), forward and backward, over {@link DotProductAttention}.
 *
 * <p>DL4J 1.0.0-M2.1 computes them as SameDiff layers. Its backward pass through a self-attention layer gives exactly
 * 2× the true input gradient (measured against central finite differences in double precision); it cannot run a
 * learned self-attention layer at all (tiling the learned queries over the batch fails in libnd4j's
 * {@code scatter_update}), so for that kind this step is checked against DL4J's own attention kernel on the tiled
 * queries; its recurrent-attention backward pass was never checked. This step computes the same functions on NCW
 * input x [n, F, T] with the layer's own feature mask as DL4J hands it down (the engine's other steps leave masked
 * layers to DL4J; this one computes them): self-attention attends from x over x; learned self-attention from the
 * layer's learned queries "Q" [1, F, nQueries] over x; recurrent attention computes h_t = σ(x_t·W + b + a_t·R), where
 * a_t is the attention of the query h_{t−1} over x (none at t = 0), and its backward pass runs back through time.
 */
final class AttentionStep {
    /** What each layer's backward pass needs from its forward pass. */
    private final Map<Layer, Computed> computed = new IdentityHashMap<>();
    /** Where forward passes also file their weights by layer name (see {@link #recordWeights}); null: nowhere. */
    private Map<String, INDArray> recorded;

    /** One layer's forward pass on one batch, able to run its backward pass. */
    private interface Computed {
        INDArray output();

        /** ∂f/∂x from ∂f/∂output. */
        INDArray inputGradient(INDArray epsilon);
    }

    static boolean handles(Layer layer) {
        return layer instanceof org.deeplearning4j.nn.layers.samediff.SameDiffLayer && isAttention(layer.conf().getLayer());
    }

    /** Whether the configuration is one of the attention kinds this step computes (exact classes). */
    static boolean isAttention(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf.getClass() == SelfAttentionLayer.class || conf.getClass() == LearnedSelfAttentionLayer.class
                || conf.getClass() == RecurrentAttentionLayer.class;
    }

    INDArray forward(Layer layer, INDArray input) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        Map<String, INDArray> params = layer.paramTable();
        INDArray mask = layer.getMaskArray();
        Computed c;
        if (conf instanceof RecurrentAttentionLayer recurrent) {
            c = new Recurrent(recurrent, params, input, mask);
        } else {
            boolean learned = conf instanceof LearnedSelfAttentionLayer;
            INDArray queries = learned ? params.get("Q").broadcast(input.size(0), input.size(1), params.get("Q").size(2)) : input;
            boolean project = learned ? ((LearnedSelfAttentionLayer) conf).isProjectInput() : ((SelfAttentionLayer) conf).isProjectInput();
            Attending a = new Attending(new DotProductAttention(params, project, queries, input, mask), learned);
            if (recorded != null) {
                recorded.put(conf.getLayerName(), a.attention.weights());
            }
            c = a;
        }
        computed.put(layer, c);
        return c.output();
    }

    /**
     * Makes the forward passes from now on put each self- and learned-attention layer's weights into {@code weights}
     * by layer name: [n, heads, queries, keys], each row (one query) summing to 1 over the keys; null stops it.
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

    /** Self-attention (x its own queries) or learned self-attention (queries of its own, no gradient to x). */
    private record Attending(DotProductAttention attention, boolean learned) implements Computed {
        @Override
        public INDArray output() {
            return attention.output();
        }

        @Override
        public INDArray inputGradient(INDArray epsilon) {
            INDArray[] gradients = attention.backward(epsilon);
            return learned ? gradients[1] : gradients[1].addi(gradients[0]);
        }
    }

    /** Recurrent attention, unrolled over the time steps as DL4J's SameDiff graph is. */
    private static final class Recurrent implements Computed {
        private final Map<String, INDArray> params;
        private final IActivation activation;
        /** Pre-activation per step, [n, nOut]. */
        private final INDArray[] z;
        /** The attention of step t ≥ 1 (null at t = 0). */
        private final DotProductAttention[] attention;
        private final INDArray output;

        Recurrent(RecurrentAttentionLayer conf, Map<String, INDArray> params, INDArray x, INDArray mask) {
            this.params = params;
            this.activation = conf.getActivation().getActivationFunction();
            int steps = (int) x.size(2);
            long n = x.size(0);
            z = new INDArray[steps];
            attention = new DotProductAttention[steps];
            output = Nd4j.create(x.dataType(), n, conf.getNOut(), steps);
            INDArray previous = null;
            for (int t = 0; t < steps; t++) {
                INDArray zt = step(x, t).mmul(params.get("W"));
                if (conf.isHasBias()) {
                    zt.addiRowVector(params.get("b"));
                }
                if (previous != null) {
                    attention[t] = new DotProductAttention(params, conf.isProjectInput(),
                            previous.reshape('c', n, previous.size(1), 1), x, mask);
                    zt.addi(squeezed(attention[t].output()).mmul(params.get("RW")));
                }
                z[t] = zt;
                previous = activation.getActivation(zt.dup(), false);
                output.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(previous);
            }
        }

        @Override
        public INDArray output() {
            return output;
        }

        @Override
        public INDArray inputGradient(INDArray epsilon) {
            long n = epsilon.size(0);
            INDArray gradient = Nd4j.zeros(epsilon.dataType(), n, params.get("W").size(0), z.length);
            INDArray carried = null;
            for (int t = z.length - 1; t >= 0; t--) {
                INDArray dh = step(epsilon, t);
                if (carried != null) {
                    dh.addi(carried);
                }
                INDArray dz = activation.backprop(z[t].dup(), dh).getFirst();
                gradient.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).addi(dz.mmul(params.get("W").transpose()));
                carried = null;
                if (attention[t] != null) {
                    INDArray da = dz.mmul(params.get("RW").transpose());
                    INDArray[] through = attention[t].backward(da.reshape('c', n, da.size(1), 1));
                    carried = squeezed(through[0]);
                    gradient.addi(through[1]);
                }
            }
            return gradient;
        }

        /** Step t of a sequence [n, F, T] as a row-major [n, F]. */
        private static INDArray step(INDArray sequence, int t) {
            return sequence.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).dup('c');
        }

        /** [n, F, 1] as [n, F]. */
        private static INDArray squeezed(INDArray single) {
            return single.reshape('c', single.size(0), single.size(1));
        }
    }
}
