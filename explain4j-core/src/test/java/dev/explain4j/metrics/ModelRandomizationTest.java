package dev.explain4j.metrics;

import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ModelRandomizationTest {

    @Test
    void randomizingTheTopLayerDecorrelatesGradientsOnTheDigitsCnnAndLeavesTheUsersNetworkAlone() throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(DigitsFixture.MODEL.toFile(), false);
        INDArray paramsBefore = net.params().dup();
        NetworkModel model = NetworkModel.of(net);
        INDArray x = DigitsFixture.samples(model);
        INDArray outputsBefore = model.predict(x);
        ModelRandomization check = ModelRandomization.of(model, Saliency::signed).withSeed(3);
        ModelRandomization.Result result = check.compute(x, Target.predicted());
        System.out.printf("layer %s: Spearman per row %s, mean %.3f; of |gradient| mean %.3f%n", result.layer(),
                Arrays.toString(Arrays.stream(result.spearman()).map(v -> Math.round(v * 1000) / 1000.0).toArray()),
                result.meanSpearman(), result.meanSpearmanAbsolute());
        assertThat(result.layer()).isEqualTo(model.layers().get(model.layers().size() - 1).name());
        assertThat(result.meanSpearman()).isLessThan(0.5);
        assertThat(net.params()).isEqualTo(paramsBefore);
        assertThat(model.predict(x)).isEqualTo(outputsBefore);
        // the same method on an unchanged copy correlates perfectly: the check measures the weights, not noise
        NetworkModel copy = model.withLayerParameters(result.layer(), java.util.Map.of());
        assertThat(copy.predict(x)).isEqualTo(outputsBefore);
    }

    @Test
    void aGraphLayerIsReplacedInACopyOnly() {
        org.deeplearning4j.nn.graph.ComputationGraph graph = dev.explain4j.testing.Networks.graph();
        INDArray paramsBefore = graph.params().dup();
        NetworkModel model = NetworkModel.of(graph, "probs");
        INDArray x = dev.explain4j.testing.Networks.randomInput(4, 6, 5);
        INDArray outputs = model.predict(x);
        java.util.Map<String, INDArray> hidden = model.layerParameters("hidden");
        assertThat(hidden).containsKeys("W", "b");
        NetworkModel zeroed = model.withLayerParameters("hidden", java.util.Map.of("W", hidden.get("W").mul(0)));
        assertThat(zeroed.predict(x)).isNotEqualTo(outputs);
        assertThat(zeroed.layerParameters("hidden").get("W").sumNumber().doubleValue()).isZero();
        assertThat(graph.params()).isEqualTo(paramsBefore);
        assertThat(model.predict(x)).isEqualTo(outputs);
        ModelRandomization.Result r = ModelRandomization.of(model, Saliency::signed).compute(x, Target.predicted());
        assertThat(r.layer()).isEqualTo("probs");
        assertThat(r.spearman()).hasSize(6);
    }
}
