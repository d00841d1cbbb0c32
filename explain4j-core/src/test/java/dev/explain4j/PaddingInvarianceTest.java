package dev.explain4j;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.core.MethodSettings;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import dev.explain4j.model.Target;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On an embedding → LSTM → global pooling network that masks padding (pad id 0), the same sentences padded to 12 and
 * to 40 tokens get the same attributions on their real tokens and exactly zero on their padding, for every kind of
 * method; without the mask the padding changes them.
 */
class PaddingInvarianceTest {
    private static final int[][] SENTENCES = {{5, 9, 7, 3, 12}, {11, 2, 8, 30, 41, 6}, {7, 4}};
    private static final int REFERENCE_TOKEN = 1;

    @ParameterizedTest
    @ValueSource(strings = {"integrated-gradients", "gradient-x-input", "kernel-shap", "occlusion", "feature-ablation",
            "exact-shapley", "shapley-sampling", "lime"})
    void theSameSentencePaddedTo12And40TokensGetsTheSameAttributionsAndZeroOnItsPadding(String method) {
        Attributions short12 = explain(method, 12, true);
        Attributions long40 = explain(method, 40, true);
        for (int r = 0; r < SENTENCES.length; r++) {
            double[] a = short12.row(r);
            double[] b = long40.row(r);
            for (int t = 0; t < 40; t++) {
                if (t < SENTENCES[r].length) {
                    assertThat(b[t]).as("%s row %d position %d", method, r, t).isCloseTo(a[t], org.assertj.core.api.Assertions.within(1e-9));
                    assertThat(a[t]).as("%s row %d position %d", method, r, t).isNotZero();
                } else {
                    assertThat(b[t]).as("%s row %d padded position %d", method, r, t).isEqualTo(0.0);
                    if (t < 12) {
                        assertThat(a[t]).isEqualTo(0.0);
                    }
                }
            }
        }
        short12.completenessDelta().ifPresent(delta -> {
            for (double d : delta) {
                assertThat(Math.abs(d)).isLessThan(1e-3);
            }
        });
        // without the mask the padding is a token like any other, and it changes what the real tokens get
        Attributions unmasked = explain(method, 12, false);
        assertThat(Math.abs(unmasked.row(0)[0] - short12.row(0)[0])).isGreaterThan(1e-4);
    }

    /**
     * A network that masks token 0 itself (a Keras mask_zero import) is explained with that padding by default. Gradient
     * methods refuse it by name: DL4J's MaskZeroLayer backward pass differs from finite differences (SequenceGradientTest).
     */
    @ParameterizedTest
    @ValueSource(strings = {"kernel-shap", "occlusion"})
    void aNetworkThatMasksZerosItselfIsExplainedWithItsPaddingAndOutputsDl4jsOutput(String method) {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = TokenNetworks.maskingZeros(DataType.DOUBLE);
        NetworkModel model = NetworkModel.of(net).withOutputSpace(OutputSpace.LOGIT);
        assertThat(model.padId()).hasValue(0);
        INDArray ids12 = TokenNetworks.padded(SENTENCES, 12);
        assertThat(NetworkModel.of(net).predict(ids12).sub(net.output(ids12)).amaxNumber().doubleValue()).isLessThan(1e-15);
        Attributions short12 = explain(method, model, ids12);
        Attributions long40 = explain(method, NetworkModel.of(TokenNetworks.maskingZeros(DataType.DOUBLE))
                .withOutputSpace(OutputSpace.LOGIT), TokenNetworks.padded(SENTENCES, 40));
        // IG's completeness checks the gradients through the MaskZeroLayer and the last step
        short12.completenessDelta().ifPresent(delta -> assertThat(java.util.Arrays.stream(delta).map(Math::abs).max()
                .orElseThrow()).isLessThan(1e-4));
        for (int r = 0; r < SENTENCES.length; r++) {
            for (int t = 0; t < 40; t++) {
                double expected = t < SENTENCES[r].length ? short12.row(r)[t] : 0.0;
                assertThat(long40.row(r)[t]).as("%s row %d position %d", method, r, t)
                        .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-9));
            }
        }
    }

    private static Attributions explain(String method, int length, boolean masked) {
        // DL4J's embedding keeps the first length it infers: one identically seeded network per length
        NetworkModel model = NetworkModel.of(TokenNetworks.recurrentPooled(DataType.DOUBLE, PoolingType.AVG))
                .withOutputSpace(OutputSpace.LOGIT);
        if (masked) {
            model = model.withPadId(0);
        }
        return explain(method, model, TokenNetworks.padded(SENTENCES, length));
    }

    private static Attributions explain(String method, NetworkModel model, INDArray ids) {
        MethodSettings settings = new MethodSettings(Reference.constant(REFERENCE_TOKEN), null, null, null, null, null,
                null, 200, 7L, null);
        AttributionMethod attribution = MethodRegistry.create(method, model, settings, ids);
        return attribution.attribute(ids, Target.index(1));
    }
}
