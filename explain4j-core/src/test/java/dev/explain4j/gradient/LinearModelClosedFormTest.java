package dev.explain4j.gradient;

import dev.explain4j.core.Reference;
import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.LinearNetworks;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.assertj.core.api.Assertions.assertThat;

/** On f(x) = Wx + c every gradient method has a closed form. */
class LinearModelClosedFormTest {
    private final MultiLayerNetwork net = LinearNetworks.fiveToTwo();
    private final NetworkModel model = NetworkModel.of(net);
    private final INDArray x = Networks.randomInput(11, 6, 5);
    private final INDArray w1 = LinearNetworks.weightsOf(net, 1);

    private static double error(INDArray actual, INDArray expected) {
        return FiniteDifferences.maxRelativeError(actual, expected, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(IntegrationRule.class)
    void integratedGradientsIsInputMinusBaselineTimesWeights(IntegrationRule rule) {
        INDArray b = Networks.randomInput(12, 1, 5);
        Attributions ig = IntegratedGradients.of(model).withRule(rule).withSteps(7).withReference(Reference.rows(b))
                .attribute(x, Target.index(1));
        INDArray expected = x.sub(b.broadcast(x.shape())).mulRowVector(w1);
        assertThat(error(ig.values(), expected)).isLessThan(1e-12);
        assertThat(java.util.Arrays.stream(ig.completenessDelta().orElseThrow()).map(Math::abs).max().orElseThrow()).isLessThan(1e-12);
    }

    @Test
    void gradientTimesInputIsInputTimesWeights() {
        Attributions gxi = GradientXInput.of(model).attribute(x, Target.index(1));
        assertThat(error(gxi.values(), x.mulRowVector(w1))).isLessThan(1e-12);
    }

    @Test
    void saliencyIsAbsoluteWeightsAndGradientIsSignedWeights() {
        INDArray w = w1.broadcast(x.shape());
        assertThat(error(Saliency.of(model).attribute(x, Target.index(1)).values(), Transforms.abs(w))).isLessThan(1e-12);
        assertThat(error(Saliency.signed(model).attribute(x, Target.index(1)).values(), w)).isLessThan(1e-12);
    }

    @Test
    void layerGradientXActivationOnTheInputIsGradientXInput() {
        INDArray layer = LayerGradientXActivation.of(model, "input").attribute(x, Target.index(0)).values();
        INDArray gxi = GradientXInput.of(model).attribute(x, Target.index(0)).values();
        assertThat(error(layer, gxi)).isLessThan(1e-12);
    }

    @Test
    void expectedGradientsWithOneBackgroundRowIsInputMinusThatRowTimesWeights() {
        INDArray b = Networks.randomInput(13, 1, 5);
        Attributions eg = ExpectedGradients.of(model, Reference.distribution(b)).withSamples(5).attribute(x, Target.index(1));
        assertThat(error(eg.values(), x.sub(b.broadcast(x.shape())).mulRowVector(w1))).isLessThan(1e-12);
    }

    @Test
    void meanBaselineIsTheBackgroundMean() {
        INDArray background = Networks.randomInput(14, 10, 5);
        Attributions ig = IntegratedGradients.of(model).withReference(Reference.mean(background)).attribute(x, Target.index(1));
        INDArray expected = x.subRowVector(background.mean(true, 0)).mulRowVector(w1);
        assertThat(error(ig.values(), expected)).isLessThan(1e-12);
    }

    @Test
    void perRowBaselinesPairWithTheirRows() {
        INDArray b = Networks.randomInput(15, 6, 5);
        Attributions ig = IntegratedGradients.of(model).withReference(Reference.rows(b)).attribute(x, Target.index(1));
        assertThat(error(ig.values(), x.sub(b).mulRowVector(w1))).isLessThan(1e-12);
        assertThat(Nd4j.createFromArray(ig.referenceOutputs().orElseThrow()))
                .isEqualTo(net.output(b, false).getColumn(1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
    }
}
