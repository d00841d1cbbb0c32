package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.core.MethodSettings;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Perturbation methods over token positions, a position's absent value being the reference token: on the issue's
 * toy task (label = "token 7 occurs") each finds token 7 on every positive the network classifies as positive.
 */
class TokenPerturbationTest {
    private static final int REFERENCE_TOKEN = 0; // never drawn by the toy data
    private static MultiLayerNetwork net;
    private static NetworkModel model;

    @BeforeAll
    static void train() {
        net = TokenNetworks.trainedToyModel();
        model = NetworkModel.of(net);
    }

    @Test
    void theToyNetworkLearntTheTask() {
        INDArray ids = TokenNetworks.sequences(200, 99);
        INDArray predicted = net.output(ids, false).argMax(1);
        INDArray labels = TokenNetworks.labels(ids).argMax(1);
        assertThat(predicted.eq(labels).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().intValue())
                .isGreaterThanOrEqualTo(190);
    }

    @Test
    void ablationOcclusionAndKernelShapPutTheLargestAttributionOnTokenSeven() {
        INDArray ids = positives();
        Reference absent = Reference.constant(REFERENCE_TOKEN);
        List<AttributionMethod> methods = List.of(
                FeatureAblation.of(model).withReference(absent),
                Occlusion.of(model).withReference(absent).withWindow(1).withStrides(1),
                KernelShap.of(model).withReference(absent).withSamples(400).withSeed(3));
        for (AttributionMethod method : methods) {
            Attributions result = method.attribute(ids, Target.index(1));
            assertThat(result.shape()).containsExactly(ids.size(0), TokenNetworks.LENGTH);
            assertThat(result.reference()).contains(absent);
            for (int r = 0; r < ids.size(0); r++) {
                int top = result.values().getRow(r).argMax().getInt(0);
                assertThat(ids.getInt(r, top)).as("%s, row %d", method.name(), r).isEqualTo(TokenNetworks.KEY_TOKEN);
            }
        }
    }

    /**
     * Word groups per row on a network linear in its tokens (output Σ_t c(x_t), token 0 the reference contributing
     * nothing): exact Shapley values of a word are the sum of its positions' c, given to each of them, whatever the
     * other rows' grouping; with padding masked the padded positions get exactly zero.
     */
    @Test
    void wordGroupsDifferPerRowAndAWordsPositionsShareItsShapleyValue() {
        int[] ids = {5, 9, 7, 3, 12, 20};
        double[] c = {2.0, -1.5, 0.8, -0.3, 1.1, 0.05};
        NetworkModel linear = NetworkModel.of(TokenNetworks.linearInTokens(ids, c)).withPadId(0);
        INDArray rows = TokenNetworks.padded(new int[][]{{5, 9, 7, 3, 12, 20}, {5, 9, 7, 3, 12, 20}, {7, 3, 20}}, 8);
        int[][] words = {{0, 0, 1, 2, 2, 2, 0, 0}, {0, 1, 2, 3, 4, 5, 6, 7}, {4, 4, 9, 0, 0, 0, 0, 0}};
        for (String method : List.of("exact-shapley", "kernel-shap", "feature-ablation")) {
            Attributions result = MethodRegistry.create(method, linear, new MethodSettings(Reference.zeros(), null, null,
                    null, null, null, null, null, 1L, null, words), rows).attribute(rows, Target.index(0));
            double[][] expected = {{0.5, 0.5, 0.8, 0.85, 0.85, 0.85, 0, 0}, {2.0, -1.5, 0.8, -0.3, 1.1, 0.05, 0, 0},
                    {0.5, 0.5, 0.05, 0, 0, 0, 0, 0}};
            for (int r = 0; r < 3; r++) {
                for (int t = 0; t < 8; t++) {
                    assertThat(result.values().getDouble(r, t)).as("%s row %d position %d", method, r, t)
                            .isCloseTo(expected[r][t], within(1e-9));
                }
            }
            assertThat(result.parameters()).containsEntry("groups", "words").containsEntry("pad-id", "0");
        }
        assertThatThrownBy(() -> MethodRegistry.create("occlusion", linear, new MethodSettings(null, null, null, null,
                null, null, null, null, null, null, words), rows).attribute(rows, Target.index(0)))
                .hasMessageContaining("word groups apply to").hasMessageContaining("not to occlusion");
        assertThatThrownBy(() -> MethodRegistry.create("integrated-gradients", linear, new MethodSettings(null, null, null,
                null, null, null, null, null, null, null, words), rows))
                .hasMessageContaining("feature groups apply to perturbation methods, not to integrated-gradients");
    }

    /** The first 10 sequences holding token 7 (every other one does). */
    static INDArray positives() {
        INDArray ids = TokenNetworks.sequences(20, 42);
        long[] rows = new long[10];
        for (int i = 0; i < 10; i++) {
            rows[i] = 2L * i;
        }
        return ids.get(NDArrayIndex.indices(rows), NDArrayIndex.all());
    }
}
