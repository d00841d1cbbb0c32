package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
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

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gradient of a hidden unit against central finite differences of DL4J's own activation of it. */
class NeuronGradientTest {

    @Test
    void equalsFiniteDifferencesOfTheUnitOnADenseLayer() {
        MultiLayerNetwork net = Networks.mlp();
        INDArray x = Networks.randomInput(21, 4, 5);
        check(NetworkModel.of(net), "layer1", 4, x, unitOf(net, 1));
    }

    /** A flat index into an NCHW map is (channel, row, column), into an NHWC one (row, column, channel), row-major. */
    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void equalsFiniteDifferencesOfTheUnitOnAConvolution(CNN2DFormat format) {
        MultiLayerNetwork net = Networks.cnn(format);
        INDArray x = format == CNN2DFormat.NCHW ? Networks.randomInput(22, 3, 2, 6, 6) : Networks.randomInput(22, 3, 6, 6, 2);
        check(NetworkModel.of(net), "layer0", 37, x, unitOf(net, 0));
        check(NetworkModel.of(net), "layer1", 13, x, unitOf(net, 1));
    }

    @Test
    void equalsFiniteDifferencesOfTheUnitOnAGraphVertex() {
        ComputationGraph graph = Networks.graph();
        INDArray x = Networks.randomInput(23, 3, 5);
        UnaryOperator<INDArray> merge = rows -> {
            INDArray a = graph.feedForward(rows, false).get("merge");
            return a.reshape('c', rows.size(0), -1);
        };
        check(NetworkModel.of(graph, "probs"), "merge", 9, x, merge);
        check(NetworkModel.of(graph, "probs").withDataType(DataType.FLOAT), "merge", 2, x, merge);
    }

    @Test
    void aNeuronOutsideTheLayerIsRefusedWithTheLayersSize() {
        NetworkModel model = NetworkModel.of(Networks.mlp());
        INDArray x = Networks.randomInput(24, 2, 5);
        assertThatThrownBy(() -> NeuronGradient.of(model, "layer1", 6).attribute(x, Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neuron 6 is out of range: layer 'layer1' has 6 units");
        assertThatThrownBy(() -> NeuronGradient.of(model, "layer1", -1)).hasMessageContaining("neuron -1 of layer 'layer1'");
        assertThatThrownBy(() -> NeuronGradient.of(model, "dense9", 0)).hasMessageContaining("unknown layer 'dense9'");
    }

    /** The output of layer {@code index} of the chain, DL4J's own forward, flattened row-major per row. */
    static UnaryOperator<INDArray> unitOf(MultiLayerNetwork net, int index) {
        return rows -> net.feedForwardToLayer(index, rows, false).get(index + 1).dup('c').reshape('c', rows.size(0), -1);
    }

    private static void check(NetworkModel model, String layer, int neuron, INDArray x, UnaryOperator<INDArray> unit) {
        DataType type = model.dataType();
        Attributions result = NeuronGradient.of(model, layer, neuron).attribute(x.castTo(type), Target.index(0));
        int[] targets = new int[(int) x.size(0)];
        java.util.Arrays.fill(targets, neuron);
        INDArray truth = FiniteDifferences.gradient(unit, x, targets);
        double tolerance = type == DataType.DOUBLE ? 1e-6 : 1e-3;
        assertThat(FiniteDifferences.maxRelativeError(result.values(), truth, 1e-3)).as(layer).isLessThan(tolerance);
        assertThat(truth.amaxNumber().doubleValue()).as("the unit depends on the input").isGreaterThan(1e-3);
        assertThat(result.targets().orElseThrow()).containsOnly(neuron);
        assertThat(result.parameters()).containsEntry("layer", layer).containsEntry("neuron", String.valueOf(neuron));
        assertThat(result.shape()).containsExactly(x.shape());
    }
}
