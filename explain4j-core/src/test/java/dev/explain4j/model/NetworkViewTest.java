package dev.explain4j.model;

import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link NetworkModel#upTo} and {@link NetworkModel#after}: the two halves compose to DL4J's own output. */
class NetworkViewTest {

    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void theNetworkAfterTheEmbeddingDifferentiatesAsFiniteDifferencesOfDl4jsOwnForward(RNNFormat format) {
        MultiLayerNetwork net = TokenNetworks.pooled(DataType.DOUBLE, format, PoolingType.AVG, 5, Activation.SOFTMAX);
        NetworkModel model = NetworkModel.of(net);
        INDArray ids = TokenNetworks.sequences(3, 2);
        INDArray parameters = net.params().dup();
        NetworkModel head = model.upTo("layer0");
        NetworkModel rest = model.after("layer0");
        long[] rowShape = format == RNNFormat.NCW ? new long[]{8, TokenNetworks.LENGTH} : new long[]{TokenNetworks.LENGTH, 8};
        assertThat(rest.inputShape()).containsExactly(rowShape);
        INDArray embedded = head.predict(ids).reshape('c', 3, rowShape[0], rowShape[1]);
        assertThat(rest.predict(embedded)).isEqualTo(net.output(ids, false));

        GradientBatch batch = rest.gradients(embedded, Target.index(1));
        // the truth: DL4J's own layers after the embedding, run on their own (not the engine's walk)
        INDArray expected = FiniteDifferences.gradient(e -> {
            INDArray a = e;
            for (int i = 1; i < net.getnLayers(); i++) {
                a = net.getLayer(i).activate(a, false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
            }
            return a;
        }, embedded, batch.targets());
        assertThat(FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, 1e-3)).isLessThan(1e-6);
        assertThat(net.params()).as("the user's parameters, untouched by the views").isEqualTo(parameters);
    }

    @Test
    void aDenseNetworkCutAfterItsFirstLayerDifferentiatesAsFiniteDifferences() {
        MultiLayerNetwork net = Networks.mlp();
        NetworkModel model = NetworkModel.of(net).withOutputSpace(OutputSpace.LOGIT);
        INDArray x = Networks.randomInput(4, 2, 5);
        INDArray hidden = model.upTo("0").predict(x);
        NetworkModel rest = model.after("0");
        assertThat(rest.layers()).extracting(LayerInfo::name).containsExactly("input", "layer1", "layer2");
        GradientBatch batch = rest.gradients(hidden, Target.index(0));
        INDArray expected = FiniteDifferences.gradient(rest::predict, hidden, batch.targets());
        assertThat(FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, 1e-3)).isLessThan(1e-6);
        assertThat(rest.predict(hidden)).isEqualTo(model.predict(x));
    }

    @Test
    void viewsFollowTheUsersParametersAndRefuseWhatCannotBeCut() {
        MultiLayerNetwork net = Networks.mlp();
        NetworkModel rest = NetworkModel.of(net).after("layer0");
        INDArray hidden = Networks.randomInput(5, 1, net.layerSize(0));
        INDArray before = rest.predict(hidden);
        net.params().muli(1.5);
        assertThat(rest.predict(hidden)).isNotEqualTo(before);

        String last = NetworkModel.of(net).outputLayer().name();
        assertThatThrownBy(() -> NetworkModel.of(net).after(last)).hasMessageContaining("no layer follows it");
        assertThatThrownBy(() -> NetworkModel.of(Networks.graph(), "probs").after("a"))
                .hasMessageContaining("cannot cut a ComputationGraph at vertex 'a'");
    }
}
