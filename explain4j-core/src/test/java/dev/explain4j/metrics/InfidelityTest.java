package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.Baseline;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.FeatureAblation;
import dev.explain4j.testing.LinearNetworks;
import dev.explain4j.testing.Networks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;

class InfidelityTest {
    private final NetworkModel linear = NetworkModel.of(LinearNetworks.fiveToTwo());
    private final INDArray x = Networks.randomInput(3, 12, 5);
    private final INDArray b = Networks.randomInput(4, 1, 5);

    @Test
    void exactAttributionsOfALinearModelHaveZeroInfidelity() {
        Attributions gradient = Saliency.signed(linear).attribute(x, Target.index(1));
        double[] local = Infidelity.local(linear).withSeed(1).compute(x, gradient);
        Attributions ig = IntegratedGradients.of(linear).withBaseline(Baseline.rows(b)).attribute(x, Target.index(0));
        double[] relativeIg = Infidelity.relativeToBaseline(linear, b).withSeed(2).compute(x, ig);
        Attributions ablation = FeatureAblation.of(linear).withReference(Reference.rows(b)).attribute(x, Target.predicted());
        double[] relativeAblation = Infidelity.relativeToBaseline(linear, b).withSamples(25).compute(x, ablation);
        for (double[] values : new double[][]{local, relativeIg, relativeAblation}) {
            assertThat(values).hasSize(12);
            for (double v : values) {
                assertThat(v).isBetween(0.0, 1e-9);
            }
        }
        System.out.printf("linear model: max infidelity gradient %.2e, IG %.2e, ablation %.2e%n",
                max(local), max(relativeIg), max(relativeAblation));
    }

    @Test
    void wrongAttributionsHavePositiveInfidelityOfTheExpectedSize() {
        // gradient doubled: the error of each perturbation is w·I, so infidelity ≈ σ² ‖w‖² = 1e-2 × 12.065
        Attributions gradient = Saliency.signed(linear).attribute(x, Target.index(1));
        Attributions doubled = gradient.withValues(gradient.values().mul(2));
        double[] values = Infidelity.local(linear).withSigma(0.1).withSamples(400).withSeed(5).compute(x, doubled);
        double mean = java.util.Arrays.stream(values).average().orElseThrow();
        assertThat(mean).isBetween(0.8 * 0.12065, 1.2 * 0.12065);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(0);
    }
}
