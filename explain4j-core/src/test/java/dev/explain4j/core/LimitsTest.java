package dev.explain4j.core;

import dev.explain4j.gradient.ExpectedGradients;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.gradient.NoiseTunnel;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.metrics.DeletionInsertion;
import dev.explain4j.metrics.Infidelity;
import dev.explain4j.metrics.MaxSensitivity;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.KernelShap;
import dev.explain4j.perturbation.Lime;
import dev.explain4j.perturbation.LimeImage;
import dev.explain4j.perturbation.ShapleySampling;
import dev.explain4j.perturbation.TestModels;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import dev.explain4j.testing.Stats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every method at the limits of its options: the limit itself is accepted, one more is refused before any work with
 * a message naming the option as the library and the command line call it.
 */
class LimitsTest {
    private final NetworkModel model = NetworkModel.of(Networks.mlp());
    private final INDArray x = Networks.randomInput(41, 4, 5);

    @Test
    void integratedGradientsStepsAreLimitedPerRule() {
        IntegratedGradients ig = IntegratedGradients.of(model);
        ig.withSteps((int) Limits.MAX_GAUSS_LEGENDRE_STEPS);
        assertThatThrownBy(() -> ig.withSteps((int) Limits.MAX_GAUSS_LEGENDRE_STEPS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps").hasMessageContaining("gausslegendre").hasMessageContaining("at most 10000");
        IntegratedGradients middle = ig.withRule(IntegrationRule.RIEMANN_MIDDLE);
        middle.withSteps((int) Limits.MAX_STEPS);
        assertThatThrownBy(() -> middle.withSteps((int) Limits.MAX_STEPS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps").hasMessageContaining("at most");
        assertThatThrownBy(() -> ig.withAdaptiveSteps(1e-3, (int) Limits.MAX_GAUSS_LEGENDRE_STEPS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-steps");
    }

    @Test
    void integratedGradientsRunsGaussLegendrePastHipparchusLimit() {
        // `--steps 1001` failed with Hipparchus' 1000-point limit
        Attributions a = IntegratedGradients.of(model).withSteps(1001).attribute(x, Target.predicted());
        assertThat(Stats.maxAbs(a.completenessDelta().orElseThrow())).isLessThan(1e-5);
    }

    @Test
    void expectedGradientsSamplesAreLimited() {
        ExpectedGradients eg = ExpectedGradients.of(model, Reference.distribution(x));
        eg.withSamples((int) Limits.MAX_SAMPLES);
        // 477218589 samples × 9 rows overflowed an int and gave all-zero attributions
        assertThatThrownBy(() -> eg.withSamples(477_218_589))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples").hasMessageContaining("at most");
    }

    @Test
    void noiseTunnelSamplesAreLimited() {
        NoiseTunnel smooth = NoiseTunnel.of(model, Saliency.signed(model));
        smooth.withSamples((int) Limits.MAX_SAMPLES);
        assertThatThrownBy(() -> smooth.withSamples((int) Limits.MAX_SAMPLES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples").hasMessageContaining("at most");
    }

    @Test
    void noiseTunnelGivesTheSameNumbersWhateverTheBlocking() {
        NetworkModel exact = NetworkModel.of(TestModels.network(5));
        INDArray rows = TestModels.gaussian(3, 5, 1, 11);
        for (NoiseTunnel.Type type : NoiseTunnel.Type.values()) {
            NoiseTunnel all = NoiseTunnel.of(exact, Saliency.signed(exact)).withType(type).withSamples(7).withSeed(5);
            // a budget of one byte gives one noisy copy per call of the wrapped method
            NetworkModel tiny = exact.withMemoryBudget(1);
            NoiseTunnel one = NoiseTunnel.of(tiny, Saliency.signed(tiny)).withType(type)
                    .withSamples(7).withSeed(5);
            assertThat(FiniteDifferences.maxRelativeError(one.attribute(rows, Target.predicted()).values(),
                    all.attribute(rows, Target.predicted()).values(), 1e-300)).as("%s", type).isLessThan(1e-12);
        }
    }

    @Test
    void infidelitySamplesAreLimited() {
        Infidelity local = Infidelity.of(model);
        local.withSamples((int) Limits.MAX_SAMPLES);
        assertThatThrownBy(() -> local.withSamples((int) Limits.MAX_SAMPLES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples").hasMessageContaining("at most");
    }

    @Test
    void maxSensitivitySamplesAndDeletionStepsAreLimited() {
        MaxSensitivity sensitivity = MaxSensitivity.of(model, Saliency.of(model));
        sensitivity.withSamples((int) Limits.MAX_SAMPLES);
        assertThatThrownBy(() -> sensitivity.withSamples((int) Limits.MAX_SAMPLES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples").hasMessageContaining("at most");
        DeletionInsertion curves = DeletionInsertion.of(model);
        curves.withSteps((int) Limits.MAX_STEPS);
        // steps + 1 points per curve overflowed at Integer.MAX_VALUE
        assertThatThrownBy(() -> curves.withSteps(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps").hasMessageContaining("at most");
    }

    @Test
    void shapleySamplingRefusesMoreCoalitionsThanItMayHold() {
        TestModels.Counted counted = TestModels.linear(new double[64], 0);
        INDArray rows = TestModels.gaussian(2, 64, 1, 3);
        assertThatThrownBy(() -> ShapleySampling.of(counted.model()).withSamples((int) Limits.MAX_SAMPLES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples");
        // 2 · 10^7 orderings × 63 prefixes × 64 features overflowed the int size of one row's mask array
        ShapleySampling sampling = ShapleySampling.of(counted.model()).withReference(Reference.rows(rows.getRow(0, true)))
                .withSamples(10_000_000);
        assertThatThrownBy(() -> sampling.attribute(rows, Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples").hasMessageContaining("use at most");
        assertThat(counted.calls().get()).isZero();
    }

    @Test
    void limeSamplesAreLimited() {
        TestModels.Counted counted = TestModels.linear(new double[4], 0);
        Lime.of(counted.model(), Reference.distribution(TestModels.gaussian(5, 4, 1, 3))).withSamples((int) Limits.MAX_SAMPLES);
        assertThatThrownBy(() -> LimeImage.of(counted.model()).withSamples((int) Limits.MAX_SAMPLES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples").hasMessageContaining("at most");
    }

    @Test
    @Timeout(60)
    void kernelShapRefusesMoreCoalitionsThanItMayHold() {
        TestModels.Counted counted = TestModels.linear(new double[64], 0);
        INDArray rows = TestModels.gaussian(2, 64, 1, 3);
        assertThatThrownBy(() -> KernelShap.of(counted.model()).withSamples((int) Limits.MAX_SAMPLES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples");
        // rows go through in blocks, but one row's 200,000 coalitions × 64 features do not fit its regression
        KernelShap shap = KernelShap.of(counted.model()).withReference(Reference.rows(rows.getRow(0, true)))
                .withSamples(200_000);
        assertThatThrownBy(() -> shap.attribute(rows, Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples").hasMessageContaining("use at most");
        assertThat(counted.calls().get()).isZero();
    }
}
