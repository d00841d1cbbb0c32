package dev.explain4j.model;

import dev.explain4j.testing.Networks;
import dev.explain4j.testing.SequenceNetworks;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.nd4j.linalg.activations.Activation;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every layer kind the engine differentiates through ({@link DifferentiableLayers#KINDS}) is in a network whose input
 * gradient some test checks against central finite differences: the networks are taken from those tests' own case
 * lists, so a kind added to the allowlist without a check fails here.
 */
class DifferentiableLayersCoverageTest {

    @SuppressWarnings("unchecked")
    private static Stream<MultiLayerNetwork> chains() {
        return Stream.of(
                NetworkModelGradientTest.chains().map(a -> ((Supplier<MultiLayerNetwork>) a.get()[1]).get()),
                SequenceGradientTest.differentiated().map(c -> c.network().get()),
                AttentionStepTest.cases().map(AttentionStepTest.Case::network),
                LayerKindGradientTest.kinds().map(c -> c.network().get()),
                Stream.of(Cropping3DChannelsLastTest.network()),
                Stream.of(ActivationGradientTest.chain(Activation.TANH, ActivationGradientTest.Placement.ACTIVATION_LAYER)))
                .flatMap(s -> s);
    }

    /** The graphs NetworkModelGradientTest, SequenceGradientTest and ActivationGradientTest check. */
    private static Stream<ComputationGraph> graphs() {
        return Stream.concat(Stream.of(Networks.graph(), Networks.convolutionGraph()),
                Stream.of(RNNFormat.values()).map(SequenceNetworks::graph));
    }

    @Test
    void everyAllowedKindIsInAFiniteDifferenceCheckedNetwork() {
        Set<String> checked = new TreeSet<>();
        chains().forEach(net -> {
            for (int i = 0; i < net.getnLayers(); i++) {
                DifferentiableLayers.withWrapped(net.getLayerWiseConfigurations().getConf(i).getLayer())
                        .forEach(kind -> checked.add(kind.getClass().getName()));
            }
        });
        graphs().forEach(graph -> graph.getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex).map(v -> ((LayerVertex) v).getLayerConf().getLayer())
                .flatMap(DifferentiableLayers::withWrapped).forEach(kind -> checked.add(kind.getClass().getName())));
        Set<String> unchecked = new TreeSet<>();
        for (Class<? extends Layer> kind : DifferentiableLayers.KINDS) {
            if (!checked.contains(kind.getName())) {
                unchecked.add(kind.getSimpleName());
            }
        }
        System.out.println("allowed layer kinds without an in-process finite-difference check: " + unchecked);
        assertThat(unchecked).isEmpty();
    }
}
