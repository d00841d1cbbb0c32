package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Gradient methods on token ids through the embedding, against closed forms, completeness and finite differences. */
class TokenAttributionTest {
    private static final int T = TokenNetworks.LENGTH;
    private static final int D = 8;
    private static final int REFERENCE_TOKEN = 3;

    /** e(id) read off the embedding's weight matrix [vocabulary, d] (no bias): independent of DL4J's forward. */
    private static double[] embedding(MultiLayerNetwork net, int id) {
        return net.getLayer(0).getParam("W").getRow(id).toDoubleVector();
    }

    /**
     * Embedding → global average pooling → linear logits: z_k = Σ_t e(x_t)·w_k / T + b_k, so IG (and expected
     * gradients from one reference sequence) give exactly (e(x_t) − e(ref))·w_k / T per token, and the gradient at
     * position t is w_k / T whatever the input.
     */
    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void onAnAveragedEmbeddingWithLinearLogitsEveryMethodMeetsItsClosedForm(RNNFormat format) {
        MultiLayerNetwork net = TokenNetworks.pooled(DataType.DOUBLE, format, PoolingType.AVG, 0, Activation.SOFTMAX);
        NetworkModel model = NetworkModel.of(net).withOutputSpace(OutputSpace.LOGIT);
        INDArray ids = TokenNetworks.sequences(4, 9);
        int k = 1;
        double[] w = net.getLayer(2).getParam("W").getColumn(k).toDoubleVector();
        double[] ref = embedding(net, REFERENCE_TOKEN);
        double[][] expected = new double[4][T];
        for (int r = 0; r < 4; r++) {
            for (int t = 0; t < T; t++) {
                double[] e = embedding(net, ids.getInt(r, t));
                for (int d = 0; d < D; d++) {
                    expected[r][t] += (e[d] - ref[d]) * w[d] / T;
                }
            }
        }
        Reference tokenReference = Reference.constant(REFERENCE_TOKEN);
        Attributions ig = TokenAttribution.of(model, (after, b) -> IntegratedGradients.of(after).withReference(b))
                .withReference(tokenReference).attribute(ids, Target.index(k));
        assertThat(ig.shape()).containsExactly(4, T);
        assertClose(ig.values(), expected, 1e-12);
        assertThat(ig.reference()).contains(tokenReference);
        assertThat(ig.parameters()).containsEntry("baseline", "constant:3.0").containsEntry("token-value", "sum");

        INDArray referenceIds = Nd4j.valueArrayOf(new long[]{1, T}, REFERENCE_TOKEN, DataType.DOUBLE);
        Attributions eg = TokenAttribution.of(model, (after, b) -> ExpectedGradients.of(after, b).withSamples(7))
                .withReference(Reference.distribution(referenceIds)).attribute(ids, Target.index(k));
        assertClose(eg.values(), expected, 1e-12);

        double sumW = 0;
        double normW = 0;
        for (double v : w) {
            sumW += v / T;
            normW += v * v / ((double) T * T);
        }
        double[][] gradientSum = filled(sumW);
        assertClose(TokenAttribution.of(model, (after, b) -> Saliency.signed(after)).attribute(ids, Target.index(k)).values(),
                gradientSum, 1e-12);
        assertClose(TokenAttribution.of(model, (after, b) -> NoiseTunnel.of(after, Saliency.signed(after)).withSamples(5))
                .attribute(ids, Target.index(k)).values(), gradientSum, 1e-12);
        assertClose(TokenAttribution.of(model, (after, b) -> Saliency.of(after))
                .withTokenValue(TokenAttribution.TokenValue.L2_NORM).attribute(ids, Target.index(k)).values(),
                filled(Math.sqrt(normW)), 1e-12);
    }

    @Test
    void integratedGradientsOnTokensKeepCompletenessAgainstTheReferenceSequence() {
        MultiLayerNetwork net = TokenNetworks.pooled(DataType.DOUBLE, RNNFormat.NCW, PoolingType.AVG, 6, Activation.SOFTMAX);
        NetworkModel model = NetworkModel.of(net);
        INDArray ids = TokenNetworks.sequences(3, 4);
        TokenAttribution method = TokenAttribution.of(model, (after, b) -> IntegratedGradients.of(after).withReference(b)
                .withSteps(64));
        Attributions ig = method.attribute(ids, Target.index(0));
        // the truth: DL4J's own output at the ids and at the all-zero token sequence (the default reference, token 0)
        INDArray fx = net.output(ids, false);
        INDArray fRef = net.output(Nd4j.zeros(DataType.DOUBLE, 1, T), false);
        for (int r = 0; r < 3; r++) {
            double change = fx.getDouble(r, 0) - fRef.getDouble(0, 0);
            assertThat(ig.referenceOutputs().orElseThrow()[r]).isCloseTo(fRef.getDouble(0, 0), within(1e-12));
            assertThat(ig.values().getRow(r).sumNumber().doubleValue()).isCloseTo(change, within(1e-6));
            assertThat(ig.completenessDelta().orElseThrow()[r]).isCloseTo(0, within(1e-6));
            assertThat(Math.abs(change)).isGreaterThan(1e-3);
        }
        assertThat(method.attributeEmbedded(ids, Target.index(0)).shape()).containsExactly(3, D, T);
        assertThat(method.name()).isEqualTo("integrated-gradients");
    }

    @Test
    void gradientTimesInputPerTokenIsTheEmbeddingTimesFiniteDifferencesOfTheLayersAfterIt() {
        // p-norm pooling: smooth, unlike max pooling, whose ties between repeated tokens finite differences split
        MultiLayerNetwork net = TokenNetworks.pooled(DataType.DOUBLE, RNNFormat.NCW, PoolingType.PNORM, 6, Activation.SOFTMAX);
        NetworkModel model = NetworkModel.of(net);
        INDArray ids = TokenNetworks.sequences(2, 6);
        Attributions gxi = TokenAttribution.of(model, (after, b) -> GradientXInput.of(after)).attribute(ids, Target.index(1));

        INDArray e = Nd4j.create(DataType.DOUBLE, 2, D, T);
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < T; t++) {
                double[] row = embedding(net, ids.getInt(r, t));
                for (int d = 0; d < D; d++) {
                    e.putScalar(new long[]{r, d, t}, row[d]);
                }
            }
        }
        INDArray fd = FiniteDifferences.gradient(batch -> {
            INDArray a = batch;
            for (int i = 1; i < net.getnLayers(); i++) {
                a = net.getLayer(i).activate(a, false, LayerWorkspaceMgr.noWorkspaces());
            }
            return a;
        }, e, new int[]{1, 1});
        INDArray expected = fd.mul(e).sum(1);
        assertThat(FiniteDifferences.maxRelativeError(gxi.values(), expected, 1e-3)).isLessThan(1e-6);
    }

    @Test
    void aSingleEmbeddedIdGetsOneValueThatIsCompleteAgainstTheReferenceToken() {
        MultiLayerNetwork net = dev.explain4j.testing.Networks.embedding();
        INDArray ids = Nd4j.createFromArray(new double[][]{{1}, {4}, {9}});
        Attributions ig = TokenAttribution.of(NetworkModel.of(net), (after, b) -> IntegratedGradients.of(after)
                .withReference(b).withSteps(64)).withReference(Reference.constant(2)).attribute(ids, Target.index(2));
        assertThat(ig.shape()).containsExactly(3, 1);
        INDArray fx = net.output(ids, false);
        double fRef = net.output(Nd4j.createFromArray(new double[][]{{2}}), false).getDouble(0, 2);
        for (int r = 0; r < 3; r++) {
            assertThat(ig.values().getDouble(r, 0)).isCloseTo(fx.getDouble(r, 2) - fRef, within(1e-6));
        }
    }

    private static double[][] filled(double value) {
        double[][] v = new double[4][T];
        for (double[] row : v) {
            java.util.Arrays.fill(row, value);
        }
        return v;
    }

    private static void assertClose(INDArray actual, double[][] expected, double tolerance) {
        for (int r = 0; r < expected.length; r++) {
            for (int t = 0; t < expected[r].length; t++) {
                assertThat(actual.getDouble(r, t)).as("row %d, position %d", r, t).isCloseTo(expected[r][t], within(tolerance));
            }
        }
    }
}
