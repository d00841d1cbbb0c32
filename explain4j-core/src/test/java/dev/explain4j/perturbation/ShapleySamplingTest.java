package dev.explain4j.perturbation;

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
        Background bg = Background.of(TestModels.gaussian(3, D, 1.0, 22));
        double[] exact = ExactShapley.builder(model).background(bg).build().attribute(x, Target.index(0)).row(0);
        ShapleySampling.Result result = ShapleySampling.builder(model).background(bg).pairs(30).seed(5).build()
                .attributeWithErrors(x, Target.index(0));
        double[] phi = result.attributions().row(0);
        double[] se = TestModels.row(result.standardErrors(), 0);
        double worst = 0;
        for (int f = 0; f < D; f++) {
            assertThat(se[f]).isPositive();
            assertThat(Math.abs(phi[f] - exact[f])).isLessThanOrEqualTo(3 * se[f]);
            worst = Math.max(worst, Math.abs(phi[f] - exact[f]) / se[f]);
        }
        System.out.printf("ShapleySampling worst |error|/SE over %d features: %.2f%n", D, worst);
        double gap = result.attributions().targetOutputs().orElseThrow()[0] - result.attributions().referenceOutputs().orElseThrow()[0];
        assertThat(TestModels.sum(phi)).isCloseTo(gap, within(1e-9));
        double[] again = ShapleySampling.builder(model).background(bg).pairs(30).seed(5).build().attribute(x, Target.index(0)).row(0);
        assertThat(again).containsExactly(phi);
    }
}
