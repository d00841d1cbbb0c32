package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ShapleySamplingTest {
    private static final int D = 8;

    @Test
    void landsWithinThreeStandardErrorsOfTheExactValues() {
        ExplainableModel model = TestModels.wrap(TestModels.network(D), D).model();
        INDArray x = TestModels.gaussian(1, D, 1.5, 21);
        Reference bg = Reference.distribution(TestModels.gaussian(3, D, 1.0, 22));
        double[] exact = ExactShapley.of(model).withReference(bg).attribute(x, Target.index(0)).row(0);
        Attributions result = ShapleySampling.of(model).withReference(bg).withSamples(30).withSeed(5)
                .attribute(x, Target.index(0));
        double[] phi = result.row(0);
        double[] se = TestModels.row(result.standardErrors().orElseThrow(), 0);
        double worst = 0;
        for (int f = 0; f < D; f++) {
            assertThat(se[f]).isPositive();
            assertThat(Math.abs(phi[f] - exact[f])).isLessThanOrEqualTo(3 * se[f]);
            worst = Math.max(worst, Math.abs(phi[f] - exact[f]) / se[f]);
        }
        System.out.printf("ShapleySampling worst |error|/SE over %d features: %.2f%n", D, worst);
        double gap = result.targetOutputs().orElseThrow()[0] - result.referenceOutputs().orElseThrow()[0];
        assertThat(TestModels.sum(phi)).isCloseTo(gap, within(1e-9));
        double[] again = ShapleySampling.of(model).withReference(bg).withSamples(30).withSeed(5).attribute(x, Target.index(0)).row(0);
        assertThat(again).containsExactly(phi);
    }
}
