package dev.explain4j.gradient;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.FeatureAblation;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** NoiseTunnel around methods that are not gradient methods: Captum's NoiseTunnel wraps any attribution method. */
class NoiseTunnelTest {
    private final NetworkModel model = NetworkModel.of(Networks.mlp());
    private final INDArray x = Networks.randomInput(61, 5, 5);

    @Test
    void aPerturbationMethodIsAveragedOverTheSameSeededNoiseAsTheDocumentedDraws() {
        FeatureAblation ablation = FeatureAblation.of(model);
        int samples = 4;
        double sigma = 0.3;
        int[] targets = model.predict(x).argMax(1).toIntVector();
        // by hand: each row's stream (seed, row values), sample by sample, feature by feature; the method on each
        // noisy row alone, for the target of the clean row; then the mean and the variance of the samples
        double[][] rows = Inputs.rowsAsDoubles(x.castTo(model.dataType()));
        double[][] mean = new double[rows.length][rows[0].length];
        double[][] meanSquare = new double[rows.length][rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            SplittableRandom random = RowRandom.of(11, rows[r]);
            for (int s = 0; s < samples; s++) {
                double[] noisy = rows[r].clone();
                for (int f = 0; f < noisy.length; f++) {
                    noisy[f] += sigma * random.nextGaussian();
                }
                double[] a = ablation.attribute(Nd4j.createFromArray(new double[][]{noisy}).castTo(model.dataType()),
                        Target.perRow(targets[r])).row(0);
                for (int f = 0; f < a.length; f++) {
                    mean[r][f] += a[f] / samples;
                    meanSquare[r][f] += a[f] * a[f] / samples;
                }
            }
        }
        double[][] variance = new double[rows.length][rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            for (int f = 0; f < rows[0].length; f++) {
                variance[r][f] = meanSquare[r][f] - mean[r][f] * mean[r][f];
            }
        }
        NoiseTunnel tunnel = NoiseTunnel.of(model, ablation).withSamples(samples).withAbsoluteSigma(sigma).withSeed(11);
        Attributions smooth = tunnel.attribute(x, Target.predicted());
        assertThat(FiniteDifferences.maxRelativeError(smooth.values(), Nd4j.createFromArray(mean), 1e-300)).isLessThan(1e-9);
        INDArray var = tunnel.withType(NoiseTunnel.Type.VARGRAD).attribute(x, Target.predicted()).values();
        assertThat(FiniteDifferences.maxRelativeError(var, Nd4j.createFromArray(variance), 1e-300)).isLessThan(1e-9);
        // the noise changed the attributions: the average is not the method at the clean input
        assertThat(FiniteDifferences.maxRelativeError(smooth.values(), ablation.attribute(x, Target.predicted()).values(), 1e-300))
                .isGreaterThan(1e-3);
        // outputs at the clean input, the wrapped method's name and parameters
        assertThat(smooth.targets().orElseThrow()).containsExactly(targets);
        double[] fx = smooth.targetOutputs().orElseThrow();
        for (int r = 0; r < targets.length; r++) {
            assertThat(fx[r]).isEqualTo(model.predict(x).getDouble(r, targets[r]));
        }
        assertThat(smooth.method()).isEqualTo("smoothgrad");
        assertThat(smooth.parameters()).containsEntry("method", "feature-ablation").containsEntry("samples", "4");
    }

    @Test
    void anyOtherMethodGetsTheNoiseOfTheStackedGradientPathAndKeepsItsPerRowReference() {
        Reference perRow = Reference.rows(Networks.randomInput(62, 5, 5));
        IntegratedGradients ig = IntegratedGradients.of(model).withSteps(6).withReference(perRow);
        // the same method seen only as an AttributionMethod: NoiseTunnel cannot stack it, it calls it per sample
        AttributionMethod opaque = new AttributionMethod() {
            @Override
            public Attributions attribute(INDArray inputs, Target target) {
                return ig.attribute(inputs, target);
            }

            @Override
            public String name() {
                return ig.name();
            }
        };
        for (NoiseTunnel.Type type : NoiseTunnel.Type.values()) {
            Attributions stacked = NoiseTunnel.of(model, ig).withType(type).withSamples(3).withSeed(5).attribute(x, Target.index(1));
            Attributions called = NoiseTunnel.of(model, opaque).withType(type).withSamples(3).withSeed(5).attribute(x, Target.index(1));
            assertThat(FiniteDifferences.maxRelativeError(called.values(), stacked.values(), 1e-300)).as("%s", type).isLessThan(1e-9);
            assertThat(called.reference()).containsSame(perRow);
            assertThat(stacked.reference()).containsSame(perRow);
            assertThat(called.targetOutputs().orElseThrow()).containsExactly(stacked.targetOutputs().orElseThrow());
        }
    }
}
