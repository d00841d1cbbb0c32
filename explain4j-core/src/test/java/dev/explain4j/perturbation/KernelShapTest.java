package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KernelShapTest {
    private static final double[] W = {1.5, -2.0, 0.5, 3.0, -1.0, 0.25};
    private static final int D = 8;
    private static final MultiLayerNetwork NET = TestModels.network(D);

    @Test
    void fullBudgetOnALinearModelGivesWTimesXMinusBaseline() {
        INDArray x = Nd4j.create(new double[][]{{1, 2, 3, 4, 5, 6}});
        INDArray b = Nd4j.create(new double[][]{{0.5, -1, 1, 0, 2, 7}});
        double[] phi = KernelShap.of(TestModels.linear(W, 1).model()).withReference(Reference.rows(b))
                .attribute(x, Target.index(0)).row(0);
        for (int f = 0; f < W.length; f++) {
            assertThat(phi[f]).isCloseTo(W[f] * (x.getDouble(0, f) - b.getDouble(0, f)), within(1e-9));
        }
    }

    @Test
    void fullBudgetOnALinearModelGivesWTimesXMinusBackgroundMean() {
        INDArray x = Nd4j.create(new double[][]{{1, 2, 3, 4, 5, 6}});
        INDArray bg = TestModels.gaussian(20, W.length, 1.0, 11);
        double[] mean = bg.mean(0).toDoubleVector();
        double[] phi = KernelShap.of(TestModels.linear(W, 0).model()).withReference(Reference.distribution(bg))
                .attribute(x, Target.index(0)).row(0);
        for (int f = 0; f < W.length; f++) {
            assertThat(phi[f]).isCloseTo(W[f] * (x.getDouble(0, f) - mean[f]), within(1e-9));
        }
    }

    @Test
    void fullBudgetEqualsExactShapleyOnANonlinearNetwork() {
        ExplainableModel model = TestModels.wrap(NET, D).model();
        INDArray x = TestModels.gaussian(2, D, 1.5, 1);
        Reference bg = Reference.distribution(TestModels.gaussian(5, D, 1.0, 2));
        Attributions kernel = KernelShap.of(model).withReference(bg).attribute(x, Target.predicted());
        Attributions exact = ExactShapley.of(model).withReference(bg).attribute(x, Target.predicted());
        double largest = 0;
        for (int r = 0; r < 2; r++) {
            double[] k = kernel.row(r);
            double[] e = exact.row(r);
            for (int f = 0; f < D; f++) {
                assertThat(k[f]).isCloseTo(e[f], within(1e-9));
                largest = Math.max(largest, Math.abs(e[f]));
            }
        }
        assertThat(largest).as("the network must not be flat").isGreaterThan(1e-3);
        assertThat(kernel.targets().orElseThrow()).containsExactly(exact.targets().orElseThrow());
    }

    @Test
    void efficiencyHoldsAtAnyBudgetAndErrorShrinksWithBudget() {
        ExplainableModel model = TestModels.wrap(NET, D).model();
        INDArray x = TestModels.gaussian(1, D, 1.5, 5);
        Reference bg = Reference.distribution(TestModels.gaussian(4, D, 1.0, 6));
        double[] exact = ExactShapley.of(model).withReference(bg).attribute(x, Target.index(1)).row(0);
        int[] budgets = {20, 60, 200};
        double[] meanError = new double[budgets.length];
        for (int i = 0; i < budgets.length; i++) {
            for (long seed = 0; seed < 5; seed++) {
                Attributions a = KernelShap.of(model).withReference(bg).withSamples(budgets[i]).withSeed(seed)
                        .attribute(x, Target.index(1));
                double gap = a.targetOutputs().orElseThrow()[0] - a.referenceOutputs().orElseThrow()[0];
                assertThat(TestModels.sum(a.row(0))).isCloseTo(gap, within(1e-9));
                double err = 0;
                double[] phi = a.row(0);
                for (int f = 0; f < D; f++) {
                    err += (phi[f] - exact[f]) * (phi[f] - exact[f]);
                }
                meanError[i] += Math.sqrt(err) / 5;
            }
        }
        System.out.printf("KernelSHAP mean L2 error vs exact at budgets 20/60/200: %.3g / %.3g / %.3g%n",
                meanError[0], meanError[1], meanError[2]);
        assertThat(meanError[1]).isLessThan(meanError[0]);
        assertThat(meanError[2]).isLessThan(meanError[1]);
    }

    @Test
    void logitLinkIsEfficientInLogitSpace() {
        ExplainableModel model = TestModels.wrap(NET, D).model();
        INDArray x = TestModels.gaussian(1, D, 1.5, 8);
        Reference bg = Reference.distribution(TestModels.gaussian(3, D, 1.0, 9));
        Attributions a = KernelShap.of(model).withReference(bg).withLink(KernelShap.Link.LOGIT).withSamples(40)
                .attribute(x, Target.index(0));
        double p = NET.output(x, false).getDouble(0, 0);
        assertThat(a.targetOutputs().orElseThrow()[0]).isCloseTo(Math.log(p / (1 - p)), within(1e-12));
        assertThat(a.completenessDelta().orElseThrow()[0]).isCloseTo(0, within(1e-9));
    }

    @Test
    void symmetryDummyAndNonVaryingFeatures() {
        // x0 and x1 identical in x and background and symmetric in f; x2 ignored; x3 equals the background
        ExplainableModel model = ExplainableModel.of(b -> b.getColumn(0).mul(b.getColumn(1)).addi(b.getColumn(3).mul(2))
                .reshape(b.size(0), 1), new long[]{4}, 1, DataType.DOUBLE);
        INDArray x = Nd4j.create(new double[][]{{2, 2, 5, 1}});
        INDArray bg = Nd4j.create(new double[][]{{0, 0, 0, 1}, {1, 1, -1, 1}});
        double[] phi = KernelShap.of(model).withReference(Reference.distribution(bg)).attribute(x, Target.index(0)).row(0);
        assertThat(phi[0]).isCloseTo(phi[1], within(1e-9)).isNotCloseTo(0, within(1e-3));
        assertThat(phi[2]).isCloseTo(0, within(1e-9));
        assertThat(phi[3]).isEqualTo(0.0);
    }

    @Test
    void sameSeedSameNumbersAndLargeBackgroundIsSummarised() {
        ExplainableModel model = TestModels.wrap(NET, D).model();
        INDArray x = TestModels.gaussian(1, D, 1.5, 10);
        INDArray bigBackground = TestModels.gaussian(300, D, 1.0, 12);
        KernelShap a = KernelShap.of(model).withReference(Reference.distribution(bigBackground)).withBackgroundLimit(10)
                .withSamples(50).withSeed(3);
        KernelShap b = KernelShap.of(model).withReference(Reference.distribution(bigBackground)).withBackgroundLimit(10)
                .withSamples(50).withSeed(3);
        Attributions first = a.attribute(x, Target.index(2));
        Reference.Distribution summary = first.reference().orElseThrow().distribution(x, model);
        assertThat(summary.size()).isEqualTo(10);
        assertThat(TestModels.sum(summary.weights())).isCloseTo(1.0, within(1e-12));
        assertThat(first.row(0)).containsExactly(b.attribute(x, Target.index(2)).row(0));
    }
}
