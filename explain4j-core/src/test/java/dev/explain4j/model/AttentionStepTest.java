package dev.explain4j.model;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.explain4j.testing.SequenceNetworks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.deeplearning4j.nn.conf.RNNFormat.NCW;

/**
 * The engine's own attention step against DL4J: its forward pass equals DL4J's output (with and without a feature
 * mask, in float and double), its input gradient equals central finite differences of DL4J's masked output, and
 * integrated gradients through it is complete (DL4J's 2× gradient left a delta as large as f(x) − f(b)).
 *
 * <p>DL4J 1.0.0-M2.1 cannot run a {@code LearnedSelfAttentionLayer} at all: tiling the learned queries over the batch
 * fails in libnd4j's {@code scatter_update} (index and updates of different integer types). For that kind DL4J's
 * output is taken as DL4J's own kernel ({@code multi_head_dot_product_attention}, or {@code dot_product_attention}
 * without projection) called on the tiled queries, followed by DL4J's pooling and output layers.
 */
class AttentionStepTest {
    /** Steps 0..2 real, 3..4 padding: every row of the batch. */
    private static final boolean[] REAL = {true, true, true, false, false};
    private static final Map<String, Double> ERRORS = new ConcurrentHashMap<>();

    record Case(String name, Supplier<Layer> attention) {
        MultiLayerNetwork network() {
            return chain(NCW, attention.get(), pooling(PoolingType.AVG, NCW));
        }

        /** DL4J's output for rows x with a feature mask (null: none), computed as the class comment says. */
        static INDArray dl4jOutput(MultiLayerNetwork net, INDArray x, INDArray mask) {
            if (!(net.getLayer(0).conf().getLayer() instanceof LearnedSelfAttentionLayer conf)) {
                return net.output(x, false, mask, null);
            }
            Map<String, INDArray> p = net.getLayer(0).paramTable();
            INDArray queries = p.get("Q").broadcast(x.size(0), x.size(1), p.get("Q").size(2)).dup();
            INDArray keyMask = mask != null ? mask.castTo(x.dataType()) : Nd4j.ones(x.dataType(), x.size(0), x.size(2));
            INDArray[] inputs = conf.isProjectInput()
                    ? new INDArray[]{queries, x, x, p.get("Wq"), p.get("Wk"), p.get("Wv"), p.get("Wo"), keyMask}
                    : new INDArray[]{queries, x, x, keyMask};
            DynamicCustomOp op = DynamicCustomOp.builder(conf.isProjectInput() ? "multi_head_dot_product_attention"
                    : "dot_product_attention").addInputs(inputs).addIntegerArguments(1, 0).build();
            INDArray a = Nd4j.exec(op)[0];
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            for (int i = 1; i < net.getnLayers(); i++) {
                a = net.getLayer(i).activate(a, false, mgr);
            }
            return a;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(new Case("SelfAttentionLayer 1 head", () -> selfAttention(1, true)),
                new Case("SelfAttentionLayer 2 heads", () -> selfAttention(2, true)),
                new Case("SelfAttentionLayer unprojected", () -> selfAttention(1, false)),
                new Case("LearnedSelfAttentionLayer 1 head", () -> learnedSelfAttention(1)),
                new Case("LearnedSelfAttentionLayer 2 heads", () -> learnedSelfAttention(2)),
                new Case("LearnedSelfAttentionLayer unprojected", () -> learnedSelfAttention(1, false)),
                new Case("RecurrentAttentionLayer 1 head", () -> recurrentAttention(1)),
                new Case("RecurrentAttentionLayer 2 heads", () -> recurrentAttention(2)),
                new Case("RecurrentAttentionLayer unprojected", () -> recurrentAttention(1, false)));
    }

    private static INDArray mask(long rows) {
        double[] m = new double[REAL.length];
        for (int t = 0; t < m.length; t++) {
            m[t] = REAL[t] ? 1 : 0;
        }
        return Nd4j.createFromArray(m).reshape(1, m.length).repeat(0, rows);
    }

    private static INDArray input() {
        return Networks.randomInput(31, 4, FEATURES, STEPS).muli(1.5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardPassIsDl4jsWithAndWithoutAMaskInDoubleAndFloat(Case c) {
        MultiLayerNetwork net = c.network();
        INDArray x = input();
        assertThat(maxDifference(NetworkModel.of(net).predict(x), Case.dl4jOutput(net, x, null))).isLessThan(1e-12);
        NetworkModel masked = NetworkModel.of(net).withSequenceMask(SequenceMask.fixed(REAL));
        INDArray dl4jMasked = Case.dl4jOutput(net, x, mask(x.size(0)));
        assertThat(maxDifference(masked.predict(x), dl4jMasked)).isLessThan(1e-12);
        // the mask changes the output: the padding's values reach DL4J's unmasked output only
        assertThat(maxDifference(dl4jMasked, Case.dl4jOutput(net, x, null))).isGreaterThan(1e-4);

        MultiLayerNetwork single = net.convertDataType(DataType.FLOAT);
        INDArray xf = x.castTo(DataType.FLOAT);
        assertThat(maxDifference(NetworkModel.of(single).predict(xf), Case.dl4jOutput(single, xf, null))).isLessThan(1e-6);
        assertThat(maxDifference(NetworkModel.of(single).withSequenceMask(SequenceMask.fixed(REAL)).predict(xf),
                Case.dl4jOutput(single, xf, mask(x.size(0)).castTo(DataType.FLOAT)))).isLessThan(1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferencesOfDl4jsOutputWithAndWithoutAMask(Case c) {
        MultiLayerNetwork net = c.network();
        INDArray x = input();
        GradientBatch plain = NetworkModel.of(net).gradients(x, Target.predicted());
        record(c.name(), plain.inputGradient(), FiniteDifferences.gradient(b -> Case.dl4jOutput(net, b, null), x, plain.targets()));

        GradientBatch masked = NetworkModel.of(net).withSequenceMask(SequenceMask.fixed(REAL)).gradients(x, Target.predicted());
        record(c.name() + " masked", masked.inputGradient(),
                FiniteDifferences.gradient(b -> Case.dl4jOutput(net, b, mask(b.size(0))), x, masked.targets()));
        // masked steps are neither keys nor pooled: nothing of them reaches the output
        INDArray padded = masked.inputGradient().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 5));
        assertThat(padded.amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    private static void record(String name, INDArray gradient, INDArray truth) {
        double error = FiniteDifferences.maxRelativeError(gradient, truth, 1e-3);
        ERRORS.put(name, error);
        assertThat(error).as(name).isLessThan(1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void integratedGradientsThroughAttentionIsComplete(Case c) {
        NetworkModel model = NetworkModel.of(c.network());
        // at input() the path of one row through the 2-head recurrent layer crosses a ridge where f rises by 0.04 per
        // 1e-4 of the path (its delta was still 6e-5 at 8192 steps, the gradient matching finite differences all along
        // it): smaller rows keep every path smooth enough for the quadrature
        Attributions ig = IntegratedGradients.of(model).withSteps(1024).attribute(input().muli(1.0 / 3), Target.predicted());
        double[] delta = ig.completenessDelta().orElseThrow();
        double[] fx = ig.targetOutputs().orElseThrow();
        double[] fb = ig.referenceOutputs().orElseThrow();
        for (int r = 0; r < delta.length; r++) {
            assertThat(Math.abs(delta[r])).as("row %d", r).isLessThanOrEqualTo(1e-9 * Math.abs(fx[r] - fb[r]) + 1e-12);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("relative error of ∂f/∂x through attention against central finite differences (double):");
        new TreeMap<>(ERRORS).forEach((name, error) -> System.out.printf("  %-50s %.2e%n", name, error));
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
