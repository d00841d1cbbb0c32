package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Layer Integrated Gradients against IG itself, a closed form and the completeness axiom, on chains and graphs. */
class LayerIntegratedGradientsTest {

    @Test
    void ofTheInputPseudoLayerItIsIntegratedGradients() {
        NetworkModel mlp = NetworkModel.of(Networks.mlp());
        INDArray x = Networks.randomInput(3, 4, 5);
        Reference mean = Reference.mean(Networks.randomInput(4, 6, 5));
        Attributions layer = LayerIntegratedGradients.of(mlp, "input").withSteps(20).withReference(mean).attribute(x, Target.index(1));
        Attributions ig = IntegratedGradients.of(mlp).withSteps(20).withReference(mean).attribute(x, Target.index(1));
        assertThat(FiniteDifferences.maxRelativeError(layer.values(), ig.values(), 1e-12)).isLessThan(1e-12);
        assertThat(layer.completenessDelta().orElseThrow()).containsExactly(ig.completenessDelta().orElseThrow(),
                org.assertj.core.data.Offset.offset(1e-12));

        NetworkModel graph = NetworkModel.of(Networks.graph(), "probs");
        Attributions graphLayer = LayerIntegratedGradients.of(graph, "input").attribute(x, Target.predicted());
        Attributions graphIg = IntegratedGradients.of(graph).attribute(x, Target.predicted());
        assertThat(FiniteDifferences.maxRelativeError(graphLayer.values(), graphIg.values(), 1e-12)).isLessThan(1e-12);
        assertThat(graphLayer.method()).isEqualTo("layer-integrated-gradients");
        assertThat(graphLayer.parameters()).containsEntry("layer", "in").containsEntry("steps", "50");
    }

    /**
     * A noise tunnel hands each block of noisy copies its rows' references: with σ = 0 every copy is the row itself,
     * so the tunnel gives the method's own values, for per-row references too.
     */
    @Test
    void aNoiseTunnelGivesEachCopyItsRowsReference() {
        NetworkModel mlp = NetworkModel.of(Networks.mlp());
        INDArray x = Networks.randomInput(17, 3, 5);
        Reference perRow = Reference.rows(Networks.randomInput(18, 3, 5));
        for (GradientAttribution method : java.util.List.<GradientAttribution>of(
                LayerIntegratedGradients.of(mlp, "layer0").withSteps(8).withReference(perRow),
                LayerConductance.of(mlp, "layer0").withSteps(8).withReference(perRow),
                NeuronIntegratedGradients.of(mlp, "layer1", 2).withSteps(8).withReference(perRow))) {
            INDArray alone = method.attribute(x, Target.index(1)).values();
            Attributions tunnel = NoiseTunnel.of(mlp, method).withSamples(3).withAbsoluteSigma(0).attribute(x, Target.index(1));
            assertThat(FiniteDifferences.maxRelativeError(tunnel.values(), alone, 1e-12)).as(method.name()).isLessThan(1e-12);
            assertThat(tunnel.reference()).as(method.name()).contains(perRow);
        }
    }

    /** At a token model's embedding it is the embedding-space IG that token attributions sum per position. */
    @org.junit.jupiter.params.ParameterizedTest
    @EnumSource(org.deeplearning4j.nn.conf.RNNFormat.class)
    void atAnEmbeddingItIsTheTokenAttributionsIntegratedGradients(org.deeplearning4j.nn.conf.RNNFormat format) {
        NetworkModel model = NetworkModel.of(dev.explain4j.testing.TokenNetworks.pooled(DataType.DOUBLE, format,
                org.deeplearning4j.nn.conf.layers.PoolingType.AVG, 5, org.nd4j.linalg.activations.Activation.SOFTMAX));
        INDArray ids = dev.explain4j.testing.TokenNetworks.sequences(3, 4);
        Reference token3 = Reference.constant(3);
        Attributions layer = LayerIntegratedGradients.of(model, "layer0").withReference(token3).attribute(ids, Target.index(1));
        Attributions embedded = TokenAttribution.of(model, (after, b) -> IntegratedGradients.of(after).withReference(b))
                .withReference(token3).attributeEmbedded(ids, Target.index(1));
        assertThat(layer.values()).isEqualTo(embedded.values());
        assertThat(layer.completenessDelta().orElseThrow()).containsExactly(embedded.completenessDelta().orElseThrow());
        assertThat(layer.reference()).contains(token3);
    }

    /**
     * In logit space the network after its last hidden layer is linear, f = W a + c: its integrated gradients are
     * (a(x) − a(b)) ⊙ W[:, t] exactly, with a from DL4J's own forward pass and W from the user's network.
     */
    @Test
    void atTheLastHiddenLayerOfALogitModelItIsTheActivationChangeTimesTheWeights() {
        MultiLayerNetwork net = Networks.mlp();
        NetworkModel model = NetworkModel.of(net).withOutputSpace(OutputSpace.LOGIT);
        INDArray x = Networks.randomInput(5, 4, 5);
        INDArray b = Networks.randomInput(6, 1, 5);
        Attributions result = LayerIntegratedGradients.of(model, "layer1").withSteps(7)
                .withReference(Reference.rows(b)).attribute(x, Target.index(2));
        assertThat(FiniteDifferences.maxRelativeError(result.values(), changeTimesHeadWeights(net, x, b, 2), 1e-9))
                .isLessThan(1e-12);
        for (double d : result.completenessDelta().orElseThrow()) {
            assertThat(Math.abs(d)).isLessThan(1e-12);
        }
    }

    /**
     * (a(x) − a(b)) ⊙ W[:, t] for the MLP's last hidden layer a (DL4J's own forward) and its output layer's weights W:
     * the attributions to that layer of a path method through a linear head.
     */
    static INDArray changeTimesHeadWeights(MultiLayerNetwork net, INDArray x, INDArray b, int target) {
        INDArray ax = net.feedForwardToLayer(1, x, false).get(2);
        INDArray ab = net.feedForwardToLayer(1, b, false).get(2);
        return ax.subRowVector(ab).mulRowVector(net.getLayer(2).getParam("W").getColumn(target).reshape(1, -1));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void isCompleteOnDenseAndConvolutionalLayersAndReportsItsDelta(DataType type) {
        double tolerance = type == DataType.DOUBLE ? 1e-8 : 2e-4;
        MultiLayerNetwork mlp = Networks.mlp();
        checkComplete(NetworkModel.of(mlp).withDataType(type), "layer0", Networks.randomInput(7, 4, 5), tolerance);
        for (CNN2DFormat format : CNN2DFormat.values()) {
            NetworkModel cnn = NetworkModel.of(Networks.cnn(format)).withDataType(type);
            INDArray images = format == CNN2DFormat.NCHW ? Networks.randomInput(8, 3, 2, 6, 6) : Networks.randomInput(8, 3, 6, 6, 2);
            Attributions conv = checkComplete(cnn, "layer0", images, tolerance);
            assertThat(conv.shape()).as("the layer's output in the model's layout").containsExactly(3, 4, 4, 4);
            checkComplete(cnn, "layer1", images, tolerance);
            // batch norm's output reaches the dense layer through DL4J's CNN-to-dense preprocessor
            checkComplete(cnn, "layer2", images, tolerance);
        }
    }

    @Test
    void isCompleteAtGraphVerticesEveryPathRunsThrough() {
        NetworkModel dense = NetworkModel.of(Networks.graph(), "score");
        checkComplete(dense, "merge", Networks.randomInput(9, 4, 5), 1e-8);
        checkComplete(dense, "hidden", Networks.randomInput(9, 4, 5), 1e-8);
        ComputationGraph residual = Networks.convolutionGraph();
        NetworkModel nhwc = NetworkModel.of(residual);
        INDArray images = Networks.randomInput(10, 2, 8, 8, 2);
        // "conv" feeds both the residual branch and the skip: every path still runs through it. The max pooling after
        // it has kinks that 50 Gauss–Legendre points integrate to ~1e-5 (measured), not to rounding
        Attributions conv = checkComplete(nhwc, "conv", images, 1e-4);
        assertThat(conv.shape()).containsExactly(2, 8, 8, 3);
        checkComplete(nhwc, "residual", images, 1e-4);
    }

    @Test
    void refusesAVertexWithAPathAroundItAndTheOutputLayer() {
        NetworkModel graph = NetworkModel.of(Networks.graph(), "probs");
        assertThatThrownBy(() -> LayerIntegratedGradients.of(graph, "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vertex 'a'").hasMessageContaining("in -> b -> sum -> merge -> hidden -> probs");
        assertThatThrownBy(() -> LayerIntegratedGradients.of(NetworkModel.of(Networks.convolutionGraph()), "inner"))
                .hasMessageContaining("vertex 'inner'").hasMessageContaining("path around it");
        assertThatThrownBy(() -> LayerIntegratedGradients.of(graph, "probs")).hasMessageContaining("no vertex follows it");
        NetworkModel mlp = NetworkModel.of(Networks.mlp());
        assertThatThrownBy(() -> LayerIntegratedGradients.of(mlp, "layer2")).hasMessageContaining("no layer follows it");
        NetworkModel padded = NetworkModel.of(dev.explain4j.testing.TokenNetworks.pooled(DataType.DOUBLE,
                org.deeplearning4j.nn.conf.RNNFormat.NCW, org.deeplearning4j.nn.conf.layers.PoolingType.AVG, 5,
                org.nd4j.linalg.activations.Activation.SOFTMAX)).withPadId(0);
        assertThatThrownBy(() -> LayerIntegratedGradients.of(padded, "layer0"))
                .hasMessageContaining("layer-integrated-gradients at layer 'layer0' does not take a model that masks padding");
        assertThatThrownBy(() -> NeuronGradient.of(padded, "layer0", 0)).hasMessageContaining("masks padding");
    }

    /** Σ attributions = f(x) − f(b) (f from the model's own predict) to the tolerance, and the delta says so. */
    private static Attributions checkComplete(NetworkModel model, String layer, INDArray x, double tolerance) {
        INDArray b = x.mul(0.3).addi(0.1);
        Attributions result = LayerIntegratedGradients.of(model, layer).withReference(Reference.rows(b))
                .attribute(x, Target.predicted());
        INDArray fx = model.predict(x);
        INDArray fb = model.predict(b);
        int[] targets = result.targets().orElseThrow();
        double[] sums = result.values().reshape(x.size(0), -1).castTo(DataType.DOUBLE).sum(1).toDoubleVector();
        double[] delta = result.completenessDelta().orElseThrow();
        for (int r = 0; r < sums.length; r++) {
            double change = fx.getDouble(r, targets[r]) - fb.getDouble(r, targets[r]);
            assertThat(Math.abs(change)).as("a row whose output moves").isGreaterThan(1e-4);
            assertThat(sums[r] - change).as(layer + " row " + r).isCloseTo(0, org.assertj.core.data.Offset.offset(tolerance));
            assertThat(delta[r]).as("reported delta, " + layer + " row " + r)
                    .isCloseTo(sums[r] - change, org.assertj.core.data.Offset.offset(tolerance / 10));
        }
        assertThat(result.parameters()).containsEntry("layer", model.layer(layer).name());
        return result;
    }
}
