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

class MaxSensitivityTest {

    @Test
    void gradientsOfALinearModelDoNotMoveAndGradientTimesInputMovesWithinTheRadius() {
        NetworkModel linear = NetworkModel.of(LinearNetworks.fiveToTwo());
        INDArray x = Networks.randomInput(8, 6, 5);
        Attributions gradient = Saliency.signed(linear).attribute(x, Target.index(0));
        assertThat(MaxSensitivity.of(Saliency.signed(linear)).compute(x, gradient)).containsOnly(0.0);
        // w ⊙ (x + δ) − w ⊙ x = w ⊙ δ with |δ_i| ≤ r: at most r ‖w‖ / ‖w ⊙ x‖, and above 0
        Attributions gxi = GradientXInput.of(linear).attribute(x, Target.index(0));
        double[] s = MaxSensitivity.of(GradientXInput.of(linear)).withRadius(0.05).withSeed(2).compute(x, gxi);
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
        double[] s = MaxSensitivity.of(Saliency.signed(mlp)).withRadius(0.5).compute(x, a);
        assertThat(java.util.Arrays.stream(s).min().orElseThrow()).isGreaterThan(1e-4);
    }

    private static double norm(double[] v) {
        return Math.sqrt(java.util.Arrays.stream(v).map(e -> e * e).sum());
    }
}
