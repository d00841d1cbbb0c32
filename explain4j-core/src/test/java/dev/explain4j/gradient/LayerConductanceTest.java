package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;

/** Layer conductance against a closed form, Captum's discretisation by hand, and IG's input attributions. */
class LayerConductanceTest {

    /**
     * After the last hidden layer a logit model is linear, so ∂f/∂a = W[:, t] at every point and the sum telescopes:
     * conductance = W[:, t] ⊙ (a(x_n) − a(x_0)); with the trapezoid rule's points 0 … 1 that is a(x) − a(b).
     */
    @Test
    void beforeALinearHeadItIsTheActivationChangeTimesTheWeights() {
        MultiLayerNetwork net = Networks.mlp();
        NetworkModel model = NetworkModel.of(net).withOutputSpace(OutputSpace.LOGIT);
        INDArray x = Networks.randomInput(11, 4, 5);
        INDArray b = Networks.randomInput(12, 1, 5);
        Attributions result = LayerConductance.of(model, "layer1").withSteps(9).withRule(IntegrationRule.RIEMANN_TRAPEZOID)
                .withReference(Reference.rows(b)).attribute(x, Target.index(0));
        INDArray expected = LayerIntegratedGradientsTest.changeTimesHeadWeights(net, x, b, 0);
        assertThat(FiniteDifferences.maxRelativeError(result.values(), expected, 1e-9)).isLessThan(1e-12);
        for (double d : result.completenessDelta().orElseThrow()) {
            assertThat(d).isCloseTo(0, Offset.offset(1e-12));
        }
    }

    /**
     * Captum's sum computed by hand: the rule's n + 1 points (Gauss–Legendre here, whose points are not 0 and 1), the
     * left end's gradient of each interval from finite differences of DL4J's own layers after L, times the change of
     * DL4J's own activation of L over the interval.
     */
    @Test
    void isCaptumsLeftSumOverTheRulesPointsComputedByHand() {
        MultiLayerNetwork net = Networks.mlp();
        NetworkModel model = NetworkModel.of(net);
        INDArray x = Networks.randomInput(13, 2, 5);
        int steps = 6;
        Attributions result = LayerConductance.of(model, "layer0").withSteps(steps).attribute(x, Target.index(1));
        double[] alphas = IntegrationRule.GAUSS_LEGENDRE.alphas(steps + 1);
        NetworkModel after = model.after("layer0");
        INDArray expected = null;
        for (int s = 0; s < steps; s++) {
            INDArray here = net.feedForwardToLayer(0, x.mul(alphas[s]), false).get(1);
            INDArray next = net.feedForwardToLayer(0, x.mul(alphas[s + 1]), false).get(1);
            INDArray gradient = FiniteDifferences.gradient(after::predict, here, new int[]{1, 1});
            INDArray term = gradient.mul(next.sub(here));
            expected = expected == null ? term : expected.add(term);
        }
        assertThat(FiniteDifferences.maxRelativeError(result.values(), expected, 1e-6)).isLessThan(1e-6);
    }

    @Test
    void refusesTokenIdsWhichHaveNoPathBetweenThem() {
        NetworkModel tokens = NetworkModel.of(dev.explain4j.testing.TokenNetworks.pooled(DataType.DOUBLE,
                org.deeplearning4j.nn.conf.RNNFormat.NCW, org.deeplearning4j.nn.conf.layers.PoolingType.AVG, 5,
                org.nd4j.linalg.activations.Activation.SOFTMAX));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LayerConductance.of(tokens, "layer1"))
                .hasMessageContaining("token ids have no points between them");
    }

    /** Σ over the layer's units of conductance is the IG flow through the layer: Σ of IG's input attributions. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void summedOverALayersUnitsItIsTheSumOfIntegratedGradients(DataType type) {
        double tolerance = type == DataType.DOUBLE ? 1e-5 : 2e-4;
        checkFlow(NetworkModel.of(Networks.mlp()).withDataType(type), "layer0", Networks.randomInput(14, 3, 5), tolerance);
        for (CNN2DFormat format : CNN2DFormat.values()) {
            INDArray images = format == CNN2DFormat.NCHW ? Networks.randomInput(15, 2, 2, 6, 6) : Networks.randomInput(15, 2, 6, 6, 2);
            checkFlow(NetworkModel.of(Networks.cnn(format)).withDataType(type), "layer0", images, tolerance);
        }
        NetworkModel graph = NetworkModel.of(Networks.graph(), "probs").withDataType(type);
        checkFlow(graph, "merge", Networks.randomInput(16, 3, 5), tolerance);
        // "a" and "b" are each on some of the paths only, together on all of them: their flows add up to the whole
        checkFlow(graph, "a,b", Networks.randomInput(16, 3, 5), tolerance);
    }

    /**
     * With the trapezoid rule (points 0 … 1) conductance spans the whole path, a left Riemann sum whose error is of
     * order 1/n: at n = 400 it is within 1% of |f(x) − f(b)| of IG's sum (50 Gauss–Legendre steps, accurate to
     * rounding here), and the error halves with the steps, so Richardson's 2·S(2n) − S(n) cancels it and meets IG's sum
     * to {@code tolerance} of |f(x) − f(b)|. Measured on the MLP in double: S(400) off by 3.2e-3 relative, the
     * extrapolation by 2e-7.
     */
    private static void checkFlow(NetworkModel model, String layer, INDArray x, double tolerance) {
        INDArray input = x.castTo(model.dataType());
        double[] flow = new double[(int) x.size(0)];
        double[] coarse = new double[flow.length];
        double[] delta = new double[flow.length];
        for (String part : layer.split(",")) {
            LayerConductance conductance = LayerConductance.of(model, part).withRule(IntegrationRule.RIEMANN_TRAPEZOID);
            Attributions fine = conductance.withSteps(400).attribute(input, Target.predicted());
            double[] fineSums = GradientAttribution.rowSums(fine.values());
            double[] coarseSums = GradientAttribution.rowSums(conductance.withSteps(200).attribute(input, Target.predicted()).values());
            for (int r = 0; r < flow.length; r++) {
                flow[r] += fineSums[r];
                coarse[r] += coarseSums[r];
                delta[r] = fine.completenessDelta().orElseThrow()[r] - fineSums[r];
            }
        }
        Attributions ig = IntegratedGradients.of(model).attribute(input, Target.predicted());
        double[] total = GradientAttribution.rowSums(ig.values());
        double[] fx = ig.targetOutputs().orElseThrow();
        double[] fb = ig.referenceOutputs().orElseThrow();
        for (int r = 0; r < flow.length; r++) {
            double change = Math.abs(fx[r] - fb[r]);
            assertThat(change).as("a row whose output moves").isGreaterThan(1e-3);
            assertThat(flow[r]).as(layer + " row " + r).isCloseTo(total[r], Offset.offset(0.01 * change));
            assertThat(2 * flow[r] - coarse[r]).as(layer + " row " + r + ", extrapolated")
                    .isCloseTo(total[r], Offset.offset(tolerance * change));
            assertThat(delta[r]).as("reported delta minus the sum").isCloseTo(-(fx[r] - fb[r]), Offset.offset(1e-6));
        }
    }
}
