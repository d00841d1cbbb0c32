package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class InfidelityTest {
    private final NetworkModel linear = NetworkModel.of(LinearNetworks.fiveToTwo());
    private final INDArray x = Networks.randomInput(3, 12, 5);
    private final INDArray b = Networks.randomInput(4, 1, 5);

    @Test
    void exactAttributionsOfALinearModelHaveZeroInfidelity() {
        Attributions gradient = Saliency.signed(linear).attribute(x, Target.index(1));
        double[] local = Infidelity.of(linear).withSeed(1).compute(x, gradient);
        Attributions ig = IntegratedGradients.of(linear).withReference(Reference.rows(b)).attribute(x, Target.index(0));
        // IG's result carries its reference: infidelity perturbs along x − b without being told
        double[] relativeIg = Infidelity.of(linear).withSeed(2).compute(x, ig);
        assertThat(Infidelity.of(linear).perturbationFor(ig)).isEqualTo(Infidelity.Perturbation.ALONG_REFERENCE);
        assertThat(Infidelity.of(linear).perturbationFor(gradient)).isEqualTo(Infidelity.Perturbation.LOCAL);
        Attributions ablation = FeatureAblation.of(linear).withReference(Reference.rows(b)).attribute(x, Target.predicted());
        // the ablation result records its reference too; giving it again changes nothing
        double[] relativeAblation = Infidelity.of(linear).withReference(Reference.rows(b)).withSamples(25).compute(x, ablation);
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
        double[] values = Infidelity.of(linear).withSigma(0.1).withSamples(400).withSeed(5).compute(x, doubled);
        double mean = java.util.Arrays.stream(values).average().orElseThrow();
        assertThat(mean).isBetween(0.8 * 0.12065, 1.2 * 0.12065);
    }

    @Test
    void perRowReferencesOfTheResultArePairedWithTheirRows() {
        // IG of a linear model from one reference per row is exact along x − b_r: zero infidelity only if each row is
        // perturbed along its own reference; along zeros (or another row's reference) the same values are wrong
        INDArray perRow = Networks.randomInput(6, 12, 5);
        Attributions ig = IntegratedGradients.of(linear).withReference(Reference.rows(perRow)).attribute(x, Target.index(1));
        double[] own = Infidelity.of(linear).withSeed(3).compute(x, ig);
        double[] zeros = Infidelity.of(linear).withSeed(3).withReference(Reference.zeros()).compute(x, ig);
        for (int r = 0; r < own.length; r++) {
            assertThat(own[r]).as("row %d", r).isBetween(0.0, 1e-9);
            assertThat(zeros[r]).as("row %d", r).isGreaterThan(1e-6);
        }
        assertThatThrownBy(() -> Infidelity.of(linear).withPerturbation(Infidelity.Perturbation.ALONG_REFERENCE)
                .compute(x, Saliency.signed(linear).attribute(x, Target.index(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("records none");
    }

    @Test
    void aRowsFigureDoesNotDependOnTheOtherRowsOfTheCall() {
        NetworkModel mlp = NetworkModel.of(Networks.mlp());
        INDArray others = Networks.randomInput(14, 6, 5);
        INDArray row = Networks.randomInput(15, 1, 5);
        Saliency gradient = Saliency.signed(mlp);
        // batches of 7 perturbed rows: the row's samples straddle batch boundaries differently at each position
        Infidelity metric = Infidelity.of(mlp).withSigma(0.05).withSamples(20).withSeed(4).withBatchSize(7);
        double alone = metric.compute(row, gradient.attribute(row, Target.index(1)))[0];
        assertThat(alone).isGreaterThan(0);
        for (int position : new int[]{0, 3, 6}) {
            INDArray batch = Rows.insert(others, row, position);
            double there = metric.compute(batch, gradient.attribute(batch, Target.index(1)))[position];
            assertThat(there).as("at position %d", position).isCloseTo(alone, within(1e-9 * alone));
        }
        double[] repeated = metric.compute(row.repeat(0, 4), gradient.attribute(row.repeat(0, 4), Target.index(1)));
        for (double v : repeated) {
            assertThat(v).as("repeated").isCloseTo(alone, within(1e-9 * alone));
        }
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(0);
    }
}
