package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.Networks;
import org.assertj.core.data.Offset;
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

/** Integrated Gradients of a hidden unit: complete against DL4J's own activations of the unit at x and at b. */
class NeuronIntegratedGradientsTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void isCompleteOnDenseAndConvolutionalUnits(DataType type) {
        double tolerance = type == DataType.DOUBLE ? 1e-9 : 1e-4;
        MultiLayerNetwork mlp = Networks.mlp();
        check(NetworkModel.of(mlp).withDataType(type), "layer1", 3, Networks.randomInput(31, 4, 5),
                NeuronGradientTest.unitOf(mlp, 1), tolerance);
        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerNetwork cnn = Networks.cnn(format);
            INDArray x = format == CNN2DFormat.NCHW ? Networks.randomInput(32, 3, 2, 6, 6) : Networks.randomInput(32, 3, 6, 6, 2);
            check(NetworkModel.of(cnn).withDataType(type), "layer0", 50, x, NeuronGradientTest.unitOf(cnn, 0), tolerance);
        }
    }

    @Test
    void isCompleteOnAGraphVertex() {
        ComputationGraph graph = Networks.graph();
        UnaryOperator<INDArray> sum = rows -> graph.feedForward(rows, false).get("sum").dup('c');
        check(NetworkModel.of(graph, "score"), "sum", 4, Networks.randomInput(33, 3, 5), sum, 1e-9);
    }

    private static void check(NetworkModel model, String layer, int neuron, INDArray x, UnaryOperator<INDArray> unit,
                              double tolerance) {
        INDArray b = x.mul(-0.5).addi(0.2);
        Attributions result = NeuronIntegratedGradients.of(model, layer, neuron).withReference(Reference.rows(b))
                .attribute(x.castTo(model.dataType()), Target.predicted());
        INDArray ax = unit.apply(x);
        INDArray ab = unit.apply(b);
        double[] sums = GradientAttribution.rowSums(result.values());
        double[] delta = result.completenessDelta().orElseThrow();
        for (int r = 0; r < sums.length; r++) {
            double change = ax.getDouble(r, neuron) - ab.getDouble(r, neuron);
            assertThat(Math.abs(change)).as("a unit that moves").isGreaterThan(1e-3);
            assertThat(sums[r]).as(layer + " row " + r).isCloseTo(change, Offset.offset(tolerance));
            assertThat(delta[r]).as("reported delta").isCloseTo(sums[r] - change, Offset.offset(tolerance));
        }
        assertThat(result.targets().orElseThrow()).containsOnly(neuron);
        assertThat(result.parameters()).containsEntry("neuron", String.valueOf(neuron)).containsEntry("steps", "50");
        assertThat(result.shape()).containsExactly(x.shape());
    }
}
