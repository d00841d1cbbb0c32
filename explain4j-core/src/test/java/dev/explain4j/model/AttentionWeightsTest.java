package dev.explain4j.model;

import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static dev.explain4j.testing.SequenceNetworks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.deeplearning4j.nn.conf.RNNFormat.NCW;

/**
 * Attention weights against DL4J's own kernel (libnd4j's attention ops return the weights DL4J's layers compute and
 * drop), against a hand computation, and attention rollout against its definition.
 */
class AttentionWeightsTest {
    private static final boolean[] REAL = {true, true, true, true, false};
    private static final int ROWS = 3;

    private static INDArray input() {
        return Networks.randomInput(41, ROWS, FEATURES, STEPS).muli(1.5);
    }

    private static INDArray keyMask() {
        INDArray mask = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, ROWS, STEPS);
        for (int t = 0; t < STEPS; t++) {
            if (!REAL[t]) {
                mask.getColumn(t).assign(0);
            }
        }
        return mask;
    }

    /** libnd4j's weights output [n, heads, keys, queries] as [n, heads, queries, keys]. */
    private static INDArray kernelWeights(INDArray queries, INDArray x, Map<String, INDArray> p, INDArray mask) {
        DynamicCustomOp op = DynamicCustomOp.builder("multi_head_dot_product_attention")
                .addInputs(queries, x, x, p.get("Wq"), p.get("Wk"), p.get("Wv"), p.get("Wo"), mask)
                .addIntegerArguments(1, 1).build();
        return Nd4j.exec(op)[1].permute(0, 1, 3, 2);
    }

    @Test
    void selfAttentionWeightsAreDl4jsKernelsWithTheMaskAppliedAndRowsSumToOne() {
        MultiLayerNetwork net = chain(NCW, selfAttention(2, true), pooling(PoolingType.AVG, NCW));
        INDArray x = input();
        INDArray weights = AttentionWeights.of(NetworkModel.of(net).withSequenceMask(SequenceMask.fixed(REAL))).weights(x, "layer0");
        assertThat(weights.shape()).containsExactly(ROWS, 2, STEPS, STEPS);
        INDArray expected = kernelWeights(x, x, net.getLayer(0).paramTable(), keyMask());
        assertThat(weights.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertRowsSumToOneWithMaskedKeysZero(weights);

        INDArray unmasked = AttentionWeights.of(NetworkModel.of(net)).weights(x, "0");
        INDArray ones = Nd4j.ones(x.dataType(), ROWS, STEPS);
        assertThat(unmasked.sub(kernelWeights(x, x, net.getLayer(0).paramTable(), ones)).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(unmasked.getDouble(0, 0, 0, STEPS - 1)).isGreaterThan(1e-6);
    }

    @Test
    void learnedQueriesAttendOverTheMaskedSequence() {
        MultiLayerNetwork net = chain(NCW, learnedSelfAttention(2), pooling(PoolingType.AVG, NCW));
        INDArray x = input();
        Map<String, INDArray> p = net.getLayer(0).paramTable();
        INDArray weights = AttentionWeights.of(NetworkModel.of(net).withSequenceMask(SequenceMask.fixed(REAL))).weights(x, "layer0");
        assertThat(weights.shape()).containsExactly(ROWS, 2, 2, STEPS);
        INDArray queries = p.get("Q").broadcast(ROWS, FEATURES, 2).dup();
        assertThat(weights.sub(kernelWeights(queries, x, p, keyMask())).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertRowsSumToOneWithMaskedKeysZero(weights);
    }

    /** Without projection, one head: w[q][k] = softmax over k of Σ_f x[f][k]·x[f][q] / √F, in plain Java. */
    @Test
    void unprojectedWeightsMeetTheirHandComputation() {
        MultiLayerNetwork net = chain(NCW, selfAttention(1, false), pooling(PoolingType.MAX, NCW));
        INDArray x = input();
        INDArray weights = AttentionWeights.of(NetworkModel.of(net)).weights(x, "layer0");
        for (int r = 0; r < ROWS; r++) {
            for (int q = 0; q < STEPS; q++) {
                double[] scores = new double[STEPS];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < STEPS; k++) {
                    for (int f = 0; f < FEATURES; f++) {
                        scores[k] += x.getDouble(r, f, k) * x.getDouble(r, f, q) / Math.sqrt(FEATURES);
                    }
                    max = Math.max(max, scores[k]);
                }
                double sum = 0;
                for (int k = 0; k < STEPS; k++) {
                    scores[k] = Math.exp(scores[k] - max);
                    sum += scores[k];
                }
                for (int k = 0; k < STEPS; k++) {
                    assertThat(weights.getDouble(r, 0, q, k)).isCloseTo(scores[k] / sum, org.assertj.core.api.Assertions.within(1e-14));
                }
            }
        }
    }

    @Test
    void rolloutIsTheProductOfHeadAveragedWeightsWithTheResidualPath() {
        MultiLayerNetwork net = chain(NCW, selfAttention(2, true), selfAttention(2, true), pooling(PoolingType.AVG, NCW));
        AttentionWeights attention = AttentionWeights.of(NetworkModel.of(net).withSequenceMask(SequenceMask.fixed(REAL)));
        INDArray x = input();
        assertThat(attention.layers()).containsExactly("layer0", "layer1");
        Map<String, INDArray> weights = attention.weights(x);
        INDArray rollout = attention.rollout(x);
        assertThat(rollout.shape()).containsExactly(ROWS, STEPS, STEPS);
        for (int r = 0; r < ROWS; r++) {
            double[][] first = residual(weights.get("layer0"), r);
            double[][] second = residual(weights.get("layer1"), r);
            for (int q = 0; q < STEPS; q++) {
                double rowSum = 0;
                for (int k = 0; k < STEPS; k++) {
                    double expected = 0;
                    for (int j = 0; j < STEPS; j++) {
                        expected += second[q][j] * first[j][k];
                    }
                    assertThat(rollout.getDouble(r, q, k)).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-14));
                    rowSum += rollout.getDouble(r, q, k);
                }
                assertThat(rowSum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
            }
        }
    }

    @Test
    void whatHasNoAttentionWeightsIsRefusedByName() {
        assertThatThrownBy(() -> AttentionWeights.of(NetworkModel.of(chain(NCW, lstm(NCW), pooling(PoolingType.AVG, NCW)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no attention layer")
                .hasMessageContaining("layer0 (LSTM)");
        MultiLayerNetwork net = chain(NCW, lstm(NCW), learnedSelfAttention(1), pooling(PoolingType.AVG, NCW));
        AttentionWeights attention = AttentionWeights.of(NetworkModel.of(net));
        INDArray x = input();
        assertThatThrownBy(() -> attention.weights(x, "layer0")).hasMessageContaining("'layer0' (LSTM) is not an attention layer")
                .hasMessageContaining("[layer1]");
        assertThatThrownBy(() -> attention.rollout(x)).hasMessageContaining("layer 'layer1' (LearnedSelfAttentionLayer)")
                .hasMessageContaining("2 queries of its own");
    }

    /** (mean over heads + I) / 2 of one row's weights, as plain arrays. */
    private static double[][] residual(INDArray weights, int row) {
        long heads = weights.size(1);
        double[][] out = new double[STEPS][STEPS];
        for (int q = 0; q < STEPS; q++) {
            for (int k = 0; k < STEPS; k++) {
                double mean = 0;
                for (int h = 0; h < heads; h++) {
                    mean += weights.getDouble(row, h, q, k) / heads;
                }
                out[q][k] = (mean + (q == k ? 1 : 0)) / 2;
            }
        }
        return out;
    }

    private static void assertRowsSumToOneWithMaskedKeysZero(INDArray weights) {
        INDArray sums = weights.sum(3);
        assertThat(sums.sub(1.0).amaxNumber().doubleValue()).isLessThan(1e-12);
        for (int k = 0; k < STEPS; k++) {
            if (!REAL[k]) {
                assertThat(weights.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(k))
                        .amaxNumber().doubleValue()).isEqualTo(0.0);
            }
        }
    }
}
