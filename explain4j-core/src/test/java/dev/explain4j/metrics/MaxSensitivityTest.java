package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.GradientXInput;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.LinearNetworks;
import dev.explain4j.testing.Networks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MaxSensitivityTest {

    @Test
    void gradientsOfALinearModelDoNotMoveAndGradientTimesInputMovesWithinTheRadius() {
        NetworkModel linear = NetworkModel.of(LinearNetworks.fiveToTwo());
        INDArray x = Networks.randomInput(8, 6, 5);
        Attributions gradient = Saliency.signed(linear).attribute(x, Target.index(0));
        assertThat(MaxSensitivity.of(linear, Saliency.signed(linear)).compute(x, gradient)).containsOnly(0.0);
        // w ⊙ (x + δ) − w ⊙ x = w ⊙ δ with |δ_i| ≤ r: at most r ‖w‖ / ‖w ⊙ x‖, and above 0
        Attributions gxi = GradientXInput.of(linear).attribute(x, Target.index(0));
        double[] s = MaxSensitivity.of(linear, GradientXInput.of(linear)).withRadius(0.05).withSeed(2).compute(x, gxi);
        double[] w = LinearNetworks.weightsOf(LinearNetworks.fiveToTwo(), 0).toDoubleVector();
        for (int r = 0; r < s.length; r++) {
            double[] a = gxi.row(r);
            double bound = 0.05 * norm(w) / norm(a);
            assertThat(s[r]).isGreaterThan(0).isLessThanOrEqualTo(bound + 1e-12);
        }
    }

    @Test
    void aNonlinearNetworksGradientsAreSensitive() {
        NetworkModel mlp = NetworkModel.of(Networks.mlp());
        INDArray x = Networks.randomInput(9, 4, 5);
        Attributions a = Saliency.signed(mlp).attribute(x, Target.predicted());
        double[] s = MaxSensitivity.of(mlp, Saliency.signed(mlp)).withRadius(0.5).compute(x, a);
        assertThat(java.util.Arrays.stream(s).min().orElseThrow()).isGreaterThan(1e-4);
    }

    @Test
    void aRowsFigureDoesNotDependOnTheOtherRowsOfTheCall() {
        NetworkModel mlp = NetworkModel.of(Networks.mlp());
        INDArray others = Networks.randomInput(16, 6, 5);
        INDArray row = Networks.randomInput(17, 1, 5);
        Saliency gradient = Saliency.signed(mlp);
        MaxSensitivity metric = MaxSensitivity.of(mlp, gradient).withRadius(0.3).withSamples(6).withSeed(4);
        double alone = metric.compute(row, gradient.attribute(row, Target.index(2)))[0];
        assertThat(alone).isGreaterThan(1e-4);
        for (int position : new int[]{0, 3, 6}) {
            INDArray batch = Rows.insert(others, row, position);
            double there = metric.compute(batch, gradient.attribute(batch, Target.index(2)))[position];
            assertThat(there).as("at position %d", position).isCloseTo(alone, within(1e-9 * alone));
        }
    }

    private static double norm(double[] v) {
        return Math.sqrt(java.util.Arrays.stream(v).map(e -> e * e).sum());
    }
}
