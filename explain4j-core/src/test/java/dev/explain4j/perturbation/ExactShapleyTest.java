package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExactShapleyTest {
    private static final double[] W = {1.5, -2.0, 0.5, 3.0, 0.0};

    @Test
    void linearModelWithOneBaselineGivesWTimesXMinusB() {
        INDArray x = Nd4j.create(new double[][]{{1, 2, 3, 4, 5}, {-1, 0.5, 2, -3, 1}});
        INDArray b = Nd4j.create(new double[][]{{0.5, -1, 1, 0, 2}});
        Attributions a = ExactShapley.of(TestModels.linear(W, 0.3).model()).withReference(Reference.rows(b))
                .attribute(x, Target.index(0));
        for (int r = 0; r < 2; r++) {
            double[] phi = a.row(r);
            for (int f = 0; f < W.length; f++) {
                assertThat(phi[f]).isCloseTo(W[f] * (x.getDouble(r, f) - b.getDouble(0, f)), within(1e-12));
            }
        }
    }

    @Test
    void linearModelWithBackgroundGivesWTimesXMinusBackgroundMean() {
        INDArray x = Nd4j.create(new double[][]{{1, 2, 3, 4, 5}});
        INDArray bg = TestModels.gaussian(7, 5, 1.0, 3);
        double[] mean = bg.mean(0).toDoubleVector();
        double[] phi = ExactShapley.of(TestModels.linear(W, 0).model()).withReference(Reference.distribution(bg))
                .attribute(x, Target.index(0)).row(0);
        for (int f = 0; f < W.length; f++) {
            assertThat(phi[f]).isCloseTo(W[f] * (x.getDouble(0, f) - mean[f]), within(1e-12));
        }
    }

    @Test
    void efficiencySymmetryAndDummyOnANonlinearModel() {
        // f = sigmoid(x0·x1 + x2·x3 + x0 + x1), x4 unused; x0 and x1 enter symmetrically
        ExplainableModel model = ExplainableModel.of(b -> {
            INDArray z = b.getColumn(0).mul(b.getColumn(1)).addi(b.getColumn(2).mul(b.getColumn(3)))
                    .addi(b.getColumn(0)).addi(b.getColumn(1));
            return org.nd4j.linalg.ops.transforms.Transforms.sigmoid(z, true).reshape(b.size(0), 1);
        }, new long[]{5}, 1, DataType.DOUBLE);
        INDArray x = Nd4j.create(new double[][]{{0.7, 0.7, -1.2, 0.4, 9.0}});
        INDArray bg = Nd4j.create(new double[][]{{0, 0, 0, 0, 0}, {0.2, 0.2, 1, -1, 3}, {-0.5, -0.5, 0.3, 0.1, -2}});
        Attributions a = ExactShapley.of(model).withReference(Reference.distribution(bg)).attribute(x, Target.index(0));
        double[] phi = a.row(0);
        double expectedGap = a.targetOutputs().orElseThrow()[0] - a.referenceOutputs().orElseThrow()[0];
        assertThat(TestModels.sum(phi)).isCloseTo(expectedGap, within(1e-9));
        assertThat(a.completenessDelta().orElseThrow()[0]).isCloseTo(0, within(1e-9));
        assertThat(phi[0]).isCloseTo(phi[1], within(1e-12));
        assertThat(phi[4]).isCloseTo(0, within(1e-12));
        assertThat(Math.abs(phi[0])).isGreaterThan(1e-3);
    }

    @Test
    void badInputsFailWithMessagesNamingTheProblem() {
        ExplainableModel wide = TestModels.linear(new double[21], 0).model();
        INDArray x21 = Nd4j.zeros(DataType.DOUBLE, 1, 21);
        assertThatThrownBy(() -> ExactShapley.of(wide).withReference(Reference.constant(1))
                .attribute(x21, Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many coalitions").hasMessageContaining("21");
        ExplainableModel model = TestModels.linear(W, 0).model();
        assertThatThrownBy(() -> ExactShapley.of(model).withReference(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference must not be null");
        assertThatThrownBy(() -> Reference.distribution(Nd4j.zeros(DataType.DOUBLE, 0, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("background set is empty");
        assertThatThrownBy(() -> ExactShapley.of(model).withReference(Reference.distribution(Nd4j.zeros(DataType.DOUBLE, 2, 4)))
                .attribute(Nd4j.zeros(DataType.DOUBLE, 1, 5), Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("background has row shape [4]");
        assertThatThrownBy(() -> ExactShapley.of(model).withReference(Reference.distribution(Nd4j.zeros(DataType.DOUBLE, 2, 5)))
                .attribute(Nd4j.zeros(DataType.DOUBLE, 1, 6), Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs has shape [1, 6]");
    }
}
