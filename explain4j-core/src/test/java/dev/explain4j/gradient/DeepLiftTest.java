package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.LinearNetworks;
import dev.explain4j.testing.Networks;
import dev.explain4j.testing.RuleNetworks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeepLiftTest {

    private static double worst(double[] values) {
        return Arrays.stream(values).map(Math::abs).max().orElseThrow();
    }

    /** Largest |Σ attributions − (f(x) − f(b))| relative to max(|f(x) − f(b)|, 1), from the model's own outputs. */
    private static double completenessGap(NetworkModel model, Attributions a, INDArray x, INDArray b) {
        INDArray fx = model.predict(x);
        INDArray fb = model.predict(b);
        int[] t = a.targets().orElseThrow();
        double gap = 0;
        for (int r = 0; r < a.rows(); r++) {
            double sum = Arrays.stream(a.row(r)).sum();
            double change = fx.getDouble(r, t[r]) - fb.getDouble(r, t[r]);
            gap = Math.max(gap, Math.abs(sum - change) / Math.max(Math.abs(change), 1));
        }
        return gap;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void onALinearModelIsInputMinusReferenceTimesWeights(DataType type) {
        MultiLayerNetwork net = LinearNetworks.fiveToTwo();
        NetworkModel model = NetworkModel.of(net).withDataType(type);
        INDArray x = Networks.randomInput(3, 6, 5);
        INDArray b = Networks.randomInput(4, 6, 5);
        Attributions dl = DeepLift.of(model).withReference(Reference.rows(b)).attribute(x, Target.index(1));
        INDArray expected = x.sub(b).mulRowVector(LinearNetworks.weightsOf(net, 1));
        assertThat(FiniteDifferences.maxRelativeError(dl.values(), expected, 1e-6))
                .isLessThan(type == DataType.DOUBLE ? 1e-12 : 1e-5);
    }

    /**
     * f = Σ_j v_j σ(w_j·x + c_j) + d: the rescale rule gives x_i's attribution Σ_j v_j (σ(z_j) − σ(z⁰_j)) / (z_j − z⁰_j)
     * w_ji (x_i − b_i), computed here in plain loops from the layer's parameters.
     */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "TANH", "SIGMOID", "SOFTPLUS", "ELU"})
    void oneHiddenLayerMatchesTheRescaleRuleByHand(Activation activation) {
        MultiLayerNetwork net = RuleNetworks.oneHidden(activation);
        INDArray x = Networks.randomInput(5, 4, 4);
        INDArray b = Networks.randomInput(6, 4, 4);
        Attributions dl = DeepLift.of(NetworkModel.of(net)).withReference(Reference.rows(b)).attribute(x, Target.index(1));
        INDArray w = net.getLayer(0).getParam("W");
        INDArray c = net.getLayer(0).getParam("b");
        INDArray v = net.getLayer(1).getParam("W");
        org.nd4j.linalg.activations.IActivation fn = activation.getActivationFunction();
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 4, 4);
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < 5; j++) {
                double z = c.getDouble(j);
                double z0 = c.getDouble(j);
                for (int i = 0; i < 4; i++) {
                    z += w.getDouble(i, j) * x.getDouble(r, i);
                    z0 += w.getDouble(i, j) * b.getDouble(r, i);
                }
                double a = fn.getActivation(Nd4j.scalar(z).reshape(1, 1), false).getDouble(0);
                double a0 = fn.getActivation(Nd4j.scalar(z0).reshape(1, 1), false).getDouble(0);
                double multiplier = v.getDouble(j, 1) * (a - a0) / (z - z0);
                for (int i = 0; i < 4; i++) {
                    expected.putScalar(r, i, expected.getDouble(r, i) + multiplier * w.getDouble(i, j) * (x.getDouble(r, i) - b.getDouble(r, i)));
                }
            }
        }
        assertThat(FiniteDifferences.maxRelativeError(dl.values(), expected, 1e-9)).isLessThan(1e-10);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "TANH"})
    void sumsToTheOutputChangeOnDenseNetworks(Activation activation) {
        NetworkModel model = NetworkModel.of(RuleNetworks.mlp(activation, activation, true));
        INDArray x = Networks.randomInput(7, 8, 5);
        INDArray b = Networks.randomInput(8, 8, 5);
        Attributions dl = DeepLift.of(model).withReference(Reference.rows(b)).attribute(x, Target.predicted());
        assertThat(worst(dl.completenessDelta().orElseThrow())).isLessThan(1e-9);
        assertThat(completenessGap(model, dl, x, b)).isLessThan(1e-9);
    }

    /** Convolutions, max pooling, an activation layer and dense layers, in both image layouts. */
    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void sumsToTheOutputChangeOnConvolutionalNetworksWithMaxPooling(CNN2DFormat format) {
        for (Activation activation : new Activation[]{Activation.RELU, Activation.TANH}) {
            NetworkModel model = NetworkModel.of(RuleNetworks.cnn(format, activation, PoolingType.MAX, true));
            long[] shape = format == CNN2DFormat.NCHW ? new long[]{5, 2, 7, 7} : new long[]{5, 7, 7, 2};
            INDArray x = Networks.randomInput(9, shape);
            INDArray b = Networks.randomInput(10, shape).muli(0.5);
            Attributions dl = DeepLift.of(model).withReference(Reference.rows(b)).attribute(x, Target.index(2));
            assertThat(completenessGap(model, dl, x, b)).as(activation + " " + format).isLessThan(1e-9);
            // against the zero reference the halves differ at every pooled position: the cross-maximum rule matters
            Attributions fromZero = DeepLift.of(model).attribute(x, Target.index(0));
            assertThat(completenessGap(model, fromZero, x, Nd4j.zeros(DataType.DOUBLE, shape))).isLessThan(1e-9);
        }
    }

    /** The softmax MLP in logit space, with the shipped test networks' conv + batch norm + max pool model. */
    @Test
    void sumsToTheLogitChangeThroughBatchNormalization() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            NetworkModel model = NetworkModel.of(Networks.cnn(format)).withOutputSpace(OutputSpace.LOGIT);
            long[] shape = format == CNN2DFormat.NCHW ? new long[]{4, 2, 6, 6} : new long[]{4, 6, 6, 2};
            INDArray x = Networks.randomInput(11, shape);
            Attributions dl = DeepLift.of(model).attribute(x, Target.predicted());
            assertThat(completenessGap(model, dl, x, Nd4j.zeros(DataType.DOUBLE, shape))).isLessThan(1e-9);
        }
    }

    @Test
    void sumsToTheOutputChangeOnComputationGraphs() {
        ComputationGraph graph = Networks.graph();
        NetworkModel model = NetworkModel.of(graph, "score");
        INDArray x = Networks.randomInput(12, 6, 5);
        INDArray b = Networks.randomInput(13, 6, 5);
        Attributions dl = DeepLift.of(model).withReference(Reference.rows(b)).attribute(x, Target.index(1));
        assertThat(completenessGap(model, dl, x, b)).isLessThan(1e-9);

        NetworkModel residual = NetworkModel.of(Networks.convolutionGraph()).withOutputSpace(OutputSpace.LOGIT);
        INDArray images = Networks.randomInput(14, 3, 8, 8, 2);
        Attributions cnn = DeepLift.of(residual).attribute(images, Target.predicted());
        assertThat(completenessGap(residual, cnn, images, Nd4j.zeros(DataType.DOUBLE, 3, 8, 8, 2))).isLessThan(1e-9);
    }

    @Test
    void inFloatCompletenessHoldsToFloatPrecision() {
        NetworkModel model = NetworkModel.of(RuleNetworks.cnn(CNN2DFormat.NHWC, Activation.RELU, PoolingType.MAX, true))
                .withDataType(DataType.FLOAT);
        INDArray x = Networks.randomInput(15, 4, 7, 7, 2).castTo(DataType.FLOAT);
        Attributions dl = DeepLift.of(model).attribute(x, Target.predicted());
        assertThat(dl.values().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(worst(dl.completenessDelta().orElseThrow())).isLessThan(1e-4);
    }

    @Test
    void withoutMultiplyByInputsGivesTheMultipliers() {
        NetworkModel model = NetworkModel.of(RuleNetworks.mlp(Activation.TANH, Activation.RELU, true));
        INDArray x = Networks.randomInput(16, 3, 5);
        INDArray b = Networks.randomInput(17, 3, 5);
        DeepLift dl = DeepLift.of(model).withReference(Reference.rows(b));
        INDArray contributions = dl.attribute(x, Target.index(0)).values();
        Attributions multipliers = dl.withMultiplyByInputs(false).attribute(x, Target.index(0));
        assertThat(multipliers.completenessDelta()).isEmpty();
        assertThat(FiniteDifferences.maxRelativeError(multipliers.values().mul(x.sub(b)), contributions, 1e-12)).isLessThan(1e-12);
    }

    /** Where x equals its reference every |Δz| is 0: Captum's fallback gives the plain gradient, the limit of the rule. */
    @Test
    void aRowEqualToItsReferenceGetsThePlainGradientAsMultipliers() {
        NetworkModel model = NetworkModel.of(RuleNetworks.mlp(Activation.TANH, Activation.SIGMOID, true));
        INDArray x = Networks.randomInput(18, 2, 5);
        INDArray multipliers = DeepLift.of(model).withReference(Reference.rows(x.dup())).withMultiplyByInputs(false)
                .attribute(x, Target.index(2)).values();
        INDArray gradient = Saliency.signed(model).attribute(x, Target.index(2)).values();
        assertThat(FiniteDifferences.maxRelativeError(multipliers, gradient, 1e-12)).isLessThan(1e-12);
    }

    @Test
    void chunksAndRowsDoNotChangeTheResult() {
        NetworkModel model = NetworkModel.of(RuleNetworks.cnn(CNN2DFormat.NCHW, Activation.TANH, PoolingType.MAX, true));
        INDArray x = Networks.randomInput(19, 7, 2, 7, 7);
        INDArray all = DeepLift.of(model).attribute(x, Target.predicted()).values();
        INDArray chunked = DeepLift.of(model.withMemoryBudget(20_000)).attribute(x, Target.predicted()).values();
        INDArray single = DeepLift.of(model).attribute(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 4)), Target.predicted()).values();
        assertThat(FiniteDifferences.maxRelativeError(chunked, all, 1e-12)).isLessThan(1e-12);
        assertThat(FiniteDifferences.maxRelativeError(single, all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 4)), 1e-12)).isLessThan(1e-12);
    }

    @Test
    void refusesSoftmaxAndRecurrentLayersByName() {
        INDArray x = Networks.randomInput(20, 2, 5);
        assertThatThrownBy(() -> DeepLift.of(NetworkModel.of(Networks.mlp())).attribute(x, Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer2").hasMessageContaining("logit");
        INDArray sequences = Networks.randomInput(21, 2, 3, 4);
        assertThatThrownBy(() -> DeepLift.of(NetworkModel.of(Networks.recurrent())).attribute(sequences, Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DeepLIFT has no backward rule for");
    }

    @Test
    void leavesTheNetworkUntouched() {
        MultiLayerNetwork net = RuleNetworks.cnn(CNN2DFormat.NCHW, Activation.RELU, PoolingType.MAX, true);
        INDArray before = net.params().dup();
        DeepLift.of(NetworkModel.of(net)).attribute(Networks.randomInput(22, 3, 2, 7, 7), Target.predicted());
        assertThat(net.params()).isEqualTo(before);
    }
}
