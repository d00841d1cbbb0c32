package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.LrpRule;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.LinearNetworks;
import dev.explain4j.testing.Networks;
import dev.explain4j.testing.RuleNetworks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LRP-0 against gradient × input (bias-free ReLU networks, by finite differences), conservation, and Captum's rules computed by hand. */
class LrpTest {

    private static INDArray gradientTimesInput(NetworkModel model, INDArray x, int target) {
        int[] targets = new int[(int) x.size(0)];
        Arrays.fill(targets, target);
        return FiniteDifferences.gradient(model::predict, x, targets).muli(x);
    }

    /** Largest |a − b| relative to the largest |b|: LRP-ε differs from gradient × input by ε/z where a unit's z is tiny. */
    private static double scaledError(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / b.amaxNumber().doubleValue();
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void onABiasFreeReluNetworkIsGradientTimesInput(DataType type) {
        MultiLayerNetwork net = RuleNetworks.mlp(Activation.RELU, Activation.RELU, false);
        INDArray x = Networks.randomInput(51, 6, 5);
        Attributions lrp = Lrp.of(NetworkModel.of(net).withDataType(type)).withRule(LrpRule.epsilon(1e-15))
                .attribute(x.castTo(type), Target.index(1));
        INDArray truth = gradientTimesInput(NetworkModel.of(net), x, 1);
        assertThat(scaledError(lrp.values(), truth)).isLessThan(type == DataType.DOUBLE ? 1e-9 : 1e-5);
        // relevance is conserved: nothing for biases to absorb
        double[] fx = lrp.targetOutputs().orElseThrow();
        double[] delta = lrp.completenessDelta().orElseThrow();
        for (int r = 0; r < delta.length; r++) {
            assertThat(Math.abs(delta[r])).isLessThan((type == DataType.DOUBLE ? 1e-9 : 1e-5) * Math.max(1, Math.abs(fx[r])));
        }
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void onBiasFreeConvolutionalReluNetworksIsGradientTimesInput(CNN2DFormat format) {
        for (PoolingType pooling : new PoolingType[]{PoolingType.MAX, PoolingType.AVG}) {
            MultiLayerNetwork net = RuleNetworks.cnn(format, Activation.RELU, pooling, false);
            long[] shape = format == CNN2DFormat.NCHW ? new long[]{3, 2, 7, 7} : new long[]{3, 7, 7, 2};
            INDArray x = Networks.randomInput(52, shape);
            NetworkModel model = NetworkModel.of(net);
            Attributions lrp0 = Lrp.of(model).withRule(LrpRule.epsilon(1e-15)).attribute(x, Target.index(0));
            assertThat(scaledError(lrp0.values(), gradientTimesInput(model, x, 0))).as(format + " " + pooling).isLessThan(1e-9);
            // Captum's ε = 1e-9 moves each unit's share by ε / z
            Attributions lrp = Lrp.of(model).attribute(x, Target.index(0));
            assertThat(scaledError(lrp.values(), lrp0.values())).isLessThan(1e-5);
        }
    }

    /** A graph whose branches are concatenated: relevance splits between them and is conserved. */
    @Test
    void onABiasFreeGraphIsGradientTimesInput() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(3).hasBias(false).activation(Activation.RELU).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(4).nOut(3).hasBias(false).activation(Activation.RELU).build(), "in")
                .addVertex("merge", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(2).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "merge")
                .setOutputs("out").build());
        graph.init();
        NetworkModel model = NetworkModel.of(graph);
        INDArray x = Networks.randomInput(53, 5, 4);
        Attributions lrp = Lrp.of(model).withRule(LrpRule.epsilon(1e-15)).attribute(x, Target.index(1));
        assertThat(scaledError(lrp.values(), gradientTimesInput(model, x, 1))).isLessThan(1e-9);
    }

    /** f = w·x + c: the epsilon rule gives x_i w_i f / (f + ε), so Σ R − f = −c up to ε: the bias absorbs its part. */
    @Test
    void theBiasAbsorbsItsShareOfTheRelevance() {
        MultiLayerNetwork net = LinearNetworks.fiveToTwo();
        INDArray x = Networks.randomInput(54, 4, 5);
        Attributions lrp = Lrp.of(NetworkModel.of(net)).attribute(x, Target.index(1));
        double bias = net.getLayer(0).getParam("b").getDouble(1);
        for (double delta : lrp.completenessDelta().orElseThrow()) {
            assertThat(delta).isCloseTo(-bias, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /**
     * Captum's rules written out in plain loops for f = V·relu(W x + c) + d: the layer rule R_in = a ⊙ W′ᵀ (R / (z′ +
     * ε sign z′)) with W′ = W + γ W⁺ (gamma) on the hidden layer and W′ = V⁺ (z-plus) on the output layer, R starting
     * at f_t(x) on the target.
     */
    @Test
    void gammaAndZPlusRulesPerLayerFollowTheirDefinitions() {
        MultiLayerNetwork net = RuleNetworks.oneHidden(Activation.RELU);
        INDArray before = net.params().dup();
        NetworkModel model = NetworkModel.of(net);
        INDArray x = Networks.randomInput(55, 3, 4);
        Attributions lrp = Lrp.of(model).withLayerRule("layer0", LrpRule.gamma(0.25)).withLayerRule("1", LrpRule.zPlus())
                .attribute(x, Target.index(0));
        double[][] w = net.getLayer(0).getParam("W").toDoubleMatrix();
        double[] c = net.getLayer(0).getParam("b").toDoubleVector();
        double[][] v = net.getLayer(1).getParam("W").toDoubleMatrix();
        double d = net.getLayer(1).getParam("b").getDouble(0);
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 3, 4);
        for (int r = 0; r < 3; r++) {
            double[] a = new double[5];
            double f = d;
            for (int j = 0; j < 5; j++) {
                double z = c[j];
                for (int i = 0; i < 4; i++) {
                    z += w[i][j] * x.getDouble(r, i);
                }
                a[j] = Math.max(0, z);
                f += v[j][0] * a[j];
            }
            double zOut = d;
            for (int j = 0; j < 5; j++) {
                zOut += Math.max(0, v[j][0]) * a[j];
            }
            double ratio = f / (zOut + 1e-9 * (zOut >= 0 ? 1 : -1));
            double[] hidden = new double[5];
            for (int j = 0; j < 5; j++) {
                hidden[j] = a[j] * Math.max(0, v[j][0]) * ratio;
            }
            for (int j = 0; j < 5; j++) {
                double z = c[j];
                for (int i = 0; i < 4; i++) {
                    z += (w[i][j] + 0.25 * Math.max(0, w[i][j])) * x.getDouble(r, i);
                }
                double s = hidden[j] / (z + 1e-9 * (z >= 0 ? 1 : -1));
                for (int i = 0; i < 4; i++) {
                    expected.putScalar(r, i, expected.getDouble(r, i) + x.getDouble(r, i) * (w[i][j] + 0.25 * Math.max(0, w[i][j])) * s);
                }
            }
        }
        assertThat(FiniteDifferences.maxRelativeError(lrp.values(), expected, 1e-9)).isLessThan(1e-9);
        assertThat(lrp.parameters()).containsEntry("layer-rules", "layer0=gamma:0.25,layer1=z-plus");
        assertThat(net.params()).isEqualTo(before);
    }

    @Test
    void refusesLayersAndVerticesWithoutARuleByName() {
        MultiLayerNetwork withBatchNorm = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        withBatchNorm.init();
        assertThatThrownBy(() -> Lrp.of(NetworkModel.of(withBatchNorm)).attribute(Networks.randomInput(56, 2, 5), Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LRP has no backward rule for 'layer1'");
        INDArray rows = Networks.randomInput(57, 2, 5);
        assertThatThrownBy(() -> Lrp.of(NetworkModel.of(Networks.mlp())).attribute(rows, Target.index(0)))
                .hasMessageContaining("'layer2'").hasMessageContaining("output space logit");
        assertThatThrownBy(() -> Lrp.of(NetworkModel.of(Networks.graph(), "score")).attribute(rows, Target.index(0)))
                .hasMessageContaining("'sum'");
        MultiLayerNetwork cnn = RuleNetworks.cnn(CNN2DFormat.NCHW, Activation.RELU, PoolingType.MAX, false);
        assertThatThrownBy(() -> Lrp.of(NetworkModel.of(cnn)).withLayerRule("layer1", LrpRule.zPlus())
                .attribute(Networks.randomInput(58, 2, 2, 7, 7), Target.index(0)))
                .hasMessageContaining("'layer1'").hasMessageContaining("pooling layer has none");
    }
}
