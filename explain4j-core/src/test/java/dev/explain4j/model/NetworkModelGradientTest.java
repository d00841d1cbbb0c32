package dev.explain4j.model;

import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** ∂f/∂x from the engine against central finite differences of DL4J's own inference forward pass. */
class NetworkModelGradientTest {
    private static final double TOLERANCE = 1e-6;
    private static final double FLOOR = 1e-3;

    static Stream<Arguments> chains() {
        return Stream.of(
                Arguments.of("dense", (Supplier<MultiLayerNetwork>) Networks::mlp, new long[]{4, 5}),
                Arguments.of("dropout + batch norm", (Supplier<MultiLayerNetwork>) Networks::mlpWithDropoutAndBatchNorm, new long[]{4, 5}),
                Arguments.of("frozen layers", (Supplier<MultiLayerNetwork>) Networks::frozenMlp, new long[]{4, 5}),
                Arguments.of("cnn NCHW", (Supplier<MultiLayerNetwork>) () -> Networks.cnn(CNN2DFormat.NCHW), new long[]{3, 2, 6, 6}),
                Arguments.of("cnn NHWC", (Supplier<MultiLayerNetwork>) () -> Networks.cnn(CNN2DFormat.NHWC), new long[]{3, 6, 6, 2}),
                Arguments.of("convolutions NCHW", (Supplier<MultiLayerNetwork>) () -> Networks.convolutions(CNN2DFormat.NCHW), new long[]{3, 2, 9, 9}),
                Arguments.of("convolutions NHWC", (Supplier<MultiLayerNetwork>) () -> Networks.convolutions(CNN2DFormat.NHWC), new long[]{3, 9, 9, 2}),
                Arguments.of("lstm + simple rnn", (Supplier<MultiLayerNetwork>) Networks::recurrent, new long[]{3, 3, 5}));
    }

    @ParameterizedTest(name = "{0}, probability")
    @MethodSource("chains")
    void probabilityGradientMatchesFiniteDifferences(String name, Supplier<MultiLayerNetwork> build, long[] shape) {
        MultiLayerNetwork net = build.get();
        INDArray x = Networks.randomInput(1, shape);
        GradientBatch batch = NetworkModel.of(net).gradients(x, Target.predicted());
        INDArray expected = FiniteDifferences.gradient(b -> net.output(b, false), x, batch.targets());
        assertThat(FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, FLOOR)).isLessThan(TOLERANCE);
        assertThat(batch.targets()).containsExactly(net.output(x, false).argMax(1).toIntVector());
    }

    @ParameterizedTest(name = "{0}, logit")
    @MethodSource("chains")
    void logitGradientMatchesFiniteDifferences(String name, Supplier<MultiLayerNetwork> build, long[] shape) {
        MultiLayerNetwork net = build.get();
        INDArray x = Networks.randomInput(2, shape);
        GradientBatch batch = NetworkModel.of(net).withOutputSpace(OutputSpace.LOGIT).gradients(x, Target.index(1));
        UnaryOperator<INDArray> logits = withIdentityOutput(net);
        INDArray expected = FiniteDifferences.gradient(logits, x, batch.targets());
        assertThat(FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, FLOOR)).isLessThan(TOLERANCE);
        assertThat(FiniteDifferences.maxRelativeError(batch.outputs(), logits.apply(x), 1e-12)).isLessThan(1e-12);
    }

    /** An independent twin of the network whose last activation is identity: its output is the logits. */
    private static UnaryOperator<INDArray> withIdentityOutput(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        BaseLayer last = (BaseLayer) conf.getConf(conf.getConfs().size() - 1).getLayer();
        last.setActivationFn(new ActivationIdentity());
        MultiLayerNetwork twin = new MultiLayerNetwork(conf);
        twin.init(net.params().dup(), false);
        return b -> twin.output(b, false);
    }

    @Test
    void graphGradientMatchesFiniteDifferencesForEachOutput() {
        ComputationGraph graph = Networks.graph();
        INDArray x = Networks.randomInput(3, 4, 5);
        GradientBatch probs = NetworkModel.of(graph, "probs").gradients(x, Target.perRow(0, 1, 2, 0));
        INDArray expectedProbs = FiniteDifferences.gradient(b -> graph.output(false, b)[0], x, probs.targets());
        assertThat(FiniteDifferences.maxRelativeError(probs.inputGradient(), expectedProbs, FLOOR)).isLessThan(TOLERANCE);

        GradientBatch score = NetworkModel.of(graph, "score").gradients(x, Target.index(1));
        INDArray expectedScore = FiniteDifferences.gradient(b -> graph.output(false, b)[1], x, score.targets());
        assertThat(FiniteDifferences.maxRelativeError(score.inputGradient(), expectedScore, FLOOR)).isLessThan(TOLERANCE);
    }

    @Test
    void convolutionGraphGradientMatchesFiniteDifferences() {
        ComputationGraph graph = Networks.convolutionGraph();
        INDArray x = Networks.randomInput(4, 3, 8, 8, 2);
        GradientBatch batch = NetworkModel.of(graph).gradients(x, Target.predicted());
        INDArray expected = FiniteDifferences.gradient(b -> graph.output(false, b)[0], x, batch.targets());
        assertThat(FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, FLOOR)).isLessThan(TOLERANCE);
    }

    @Test
    void embeddingLayerGradientMatchesFiniteDifferencesOfItsHead() {
        MultiLayerNetwork net = Networks.embedding();
        INDArray tokens = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][]{{3}, {7}, {0}});
        GradientBatch batch = NetworkModel.of(net).layerGradients(tokens, Target.predicted(), "layer0");
        // the head: layers 1.. of the same network applied to the embedding's output
        UnaryOperator<INDArray> head = a -> net.getLayer(2).activate(net.getLayer(1).activate(a, false,
                NetworkPass.MGR), false, NetworkPass.MGR).dup();
        INDArray expected = FiniteDifferences.gradient(head, batch.layerActivation(), batch.targets());
        assertThat(FiniteDifferences.maxRelativeError(batch.layerGradient(), expected, FLOOR)).isLessThan(TOLERANCE);
    }

    static Stream<Arguments> pathModels() {
        return Stream.of(
                Arguments.of("dense chain", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.mlp()), new long[]{4, 5}),
                Arguments.of("graph", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.graph(), "probs"), new long[]{4, 5}),
                Arguments.of("cnn NHWC", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.cnn(CNN2DFormat.NHWC)),
                        new long[]{3, 6, 6, 2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathModels")
    void pathGradientsAreWeightedSumsOfTheGradientsAtThePoints(String name, Supplier<NetworkModel> build, long[] shape) {
        NetworkModel model = build.get();
        INDArray from = Networks.randomInput(61, shape);
        INDArray to = Networks.randomInput(62, shape);
        int paths = (int) shape[0];
        int[] targets = java.util.stream.IntStream.range(0, paths).map(p -> p % 2).toArray();
        for (int steps : new int[]{1, 3}) {
            // any positions and weights, also off [0, 1] and negative
            INDArray alpha = Networks.randomInput(63, paths, steps);
            INDArray weight = Networks.randomInput(64, paths, steps);
            INDArray expected = from.like();
            for (int p = 0; p < paths; p++) {
                INDArray b = from.get(NDArrayIndex.interval(p, p + 1));
                INDArray x = to.get(NDArrayIndex.interval(p, p + 1));
                for (int s = 0; s < steps; s++) {
                    INDArray gradient = model.gradients(b.add(x.sub(b).muli(alpha.getDouble(p, s))), Target.index(targets[p]))
                            .inputGradient();
                    expected.get(NDArrayIndex.interval(p, p + 1)).addi(gradient.muli(weight.getDouble(p, s)));
                }
            }
            INDArray actual = model.pathGradients(PathEnds.pairwise(from, to), alpha, weight, targets);
            assertThat(FiniteDifferences.maxRelativeError(actual, expected, 1e-300)).as("%d steps", steps).isLessThan(1e-12);
        }
    }

    /**
     * Paths that share their ends, as Expected Gradients' single-point paths do (few background and input rows, many
     * paths), where the first layer is computed once per distinct row: the same sums as on the paths' own rows.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pathModels")
    void pathsSharingTheirEndsGiveTheSumsOfTheirOwnRows(String name, Supplier<NetworkModel> build, long[] shape) {
        NetworkModel model = build.get();
        long[] twoRows = shape.clone();
        twoRows[0] = 2;
        INDArray baselines = Networks.randomInput(65, twoRows);
        INDArray inputs = Networks.randomInput(66, shape);
        int paths = 12;
        int[] from = java.util.stream.IntStream.range(0, paths).map(p -> (p * 7) % 2).toArray();
        int[] to = java.util.stream.IntStream.range(0, paths).map(p -> p * (int) shape[0] / paths).toArray();
        int[] targets = java.util.stream.IntStream.range(0, paths).map(p -> (p / 3) % 2).toArray();
        for (int steps : new int[]{1, 3}) {
            INDArray alpha = Networks.randomInput(67, paths, steps);
            INDArray weight = Networks.randomInput(68, paths, steps);
            PathEnds shared = new PathEnds(baselines, inputs, from, to);
            INDArray expected = model.pathGradients(PathEnds.pairwise(shared.starts(), shared.ends()), alpha, weight, targets);
            INDArray actual = model.pathGradients(shared, alpha, weight, targets);
            assertThat(FiniteDifferences.maxRelativeError(actual, expected, 1e-300)).as("%d steps", steps).isLessThan(1e-12);
        }
    }
}
