package dev.explain4j.perturbation;

import dev.explain4j.core.Reference;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FeatureAblationTest {
    private static final double[] W = {1.5, -2.0, 0.5, 3.0};

    @Test
    void linearModelGivesWTimesXMinusBaseline() {
        INDArray x = Nd4j.create(new double[][]{{1, 2, 3, 4}, {0, -1, 5, 2}});
        INDArray b = Nd4j.create(new double[][]{{0.5, -1, 1, 0}});
        var a = FeatureAblation.of(TestModels.linear(W, 2).model()).withReference(Reference.rows(b)).attribute(x, Target.index(0));
        for (int r = 0; r < 2; r++) {
            for (int f = 0; f < W.length; f++) {
                assertThat(a.row(r)[f]).isCloseTo(W[f] * (x.getDouble(r, f) - b.getDouble(0, f)), within(1e-12));
            }
        }
    }

    @Test
    void groupsAreAblatedTogetherAndEveryMemberGetsTheGroupDrop() {
        INDArray x = Nd4j.create(new double[][]{{1, 2, 3, 4}});
        double[] phi = FeatureAblation.of(TestModels.linear(W, 0).model()).withReference(Reference.zeros()).withGroups(0, 0, 1, 1)
                .attribute(x, Target.index(0)).row(0);
        double first = W[0] * 1 + W[1] * 2;
        double second = W[2] * 3 + W[3] * 4;
        assertThat(phi).containsExactly(new double[]{first, first, second, second}, within(1e-12));
    }
}
