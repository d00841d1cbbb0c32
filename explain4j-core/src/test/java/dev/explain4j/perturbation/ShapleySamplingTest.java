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

    @Test
    void standardErrorsAreTheOnesTheOldResultGaveAndShrinkAsOneOverRootSamples() {
        ExplainableModel model = TestModels.wrap(TestModels.network(D), D).model();
        INDArray x = TestModels.gaussian(3, D, 1.5, 1);
        Reference bg = Reference.distribution(TestModels.gaussian(5, D, 1.0, 2));
        Attributions a = ShapleySampling.of(model).withReference(bg).withSamples(30).withSeed(5).withBatchSize(13)
                .attribute(x, Target.index(0));
        // row 0 as ShapleySampling.Result.standardErrors() gave it before the errors moved into Attributions
        long[] before = {0x3f023d9e0aeedf28L, 0x3f413fed9ee84dc5L, 0x3f17d6370c6b5df9L, 0x3f3e2c50faba285dL,
                0x3f232357be02551dL, 0x3f429c4fa8cfde6cL, 0x3f202a978d258034L, 0x3f29d60dbffe89adL};
        double[] se = TestModels.row(a.standardErrors().orElseThrow(), 0);
        for (int f = 0; f < D; f++) {
            assertThat(se[f]).isCloseTo(Double.longBitsToDouble(before[f]), TestModels.relative(before[f]));
        }
        assertThat(a.standardErrors().orElseThrow().shape()).containsExactly(a.shape());

        // 16 times the samples: standard errors a quarter as large (their estimates scatter by ~1/√(2·samples))
        ShapleySampling sampling = ShapleySampling.of(model).withReference(bg).withSeed(7);
        double few = meanOf(sampling.withSamples(16).attribute(x, Target.index(0)).standardErrors().orElseThrow());
        double many = meanOf(sampling.withSamples(256).attribute(x, Target.index(0)).standardErrors().orElseThrow());
        System.out.printf("ShapleySampling mean standard error at 16 / 256 samples: %.3g / %.3g (ratio %.2f, expected 4)%n",
                few, many, few / many);
        assertThat(few / many).isBetween(3.2, 5.0);
        assertThat(ShapleySampling.of(model).withReference(bg).withSamples(1).attribute(x, Target.index(0))
                .standardErrors().orElseThrow().getDouble(0, 0)).isNaN();
    }

    private static double meanOf(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
    }
}
