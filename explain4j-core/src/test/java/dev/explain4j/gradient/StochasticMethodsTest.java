package dev.explain4j.gradient;

import dev.explain4j.core.Reference;
import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded randomness: same seed, same numbers; another seed, other numbers; and what each estimator converges to. */
class StochasticMethodsTest {
    private final NetworkModel model = NetworkModel.of(Networks.mlp());
    private final INDArray x = Networks.randomInput(41, 4, 5);

    @Test
    void noiseTunnelIsSeeded() {
        NoiseTunnel smooth = NoiseTunnel.of(model, Saliency.signed(model)).withSamples(10);
        INDArray a = smooth.withSeed(1).attribute(x, Target.predicted()).values();
        assertThat(smooth.withSeed(1).attribute(x, Target.predicted()).values()).isEqualTo(a);
        assertThat(smooth.withSeed(2).attribute(x, Target.predicted()).values()).isNotEqualTo(a);
    }

    @Test
    void smoothGradWithoutNoiseIsTheWrappedMethodAndVarGradIsZero() {
        IntegratedGradients ig = IntegratedGradients.of(model).withSteps(8).withReference(Reference.rows(Networks.randomInput(42, 4, 5)));
        INDArray plain = ig.attribute(x, Target.predicted()).values();
        NoiseTunnel silent = NoiseTunnel.of(model, ig).withSamples(3).withAbsoluteSigma(0);
        assertThat(FiniteDifferences.maxRelativeError(silent.attribute(x, Target.predicted()).values(), plain, 1e-300)).isLessThan(1e-12);
        INDArray var = silent.withType(NoiseTunnel.Type.VARGRAD).attribute(x, Target.predicted()).values();
        assertThat(org.nd4j.linalg.ops.transforms.Transforms.abs(var).maxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void smoothGradAveragesGradientsAtTheNoisyPoints() {
        // with one sample and a fixed seed, SmoothGrad² is the square of SmoothGrad (both see the same noisy point)
        NoiseTunnel one = NoiseTunnel.of(model, Saliency.signed(model)).withSamples(1).withAbsoluteSigma(0.3).withSeed(9);
        INDArray mean = one.attribute(x, Target.predicted()).values();
        INDArray squared = one.withType(NoiseTunnel.Type.SMOOTHGRAD_SQUARED).attribute(x, Target.predicted()).values();
        assertThat(FiniteDifferences.maxRelativeError(squared, mean.mul(mean), 1e-300)).isLessThan(1e-12);
        // and with noise it differs from the plain gradient
        assertThat(mean).isNotEqualTo(Saliency.signed(model).attribute(x, Target.predicted()).values());
    }

    @Test
    void expectedGradientsIsSeededAndApproachesCompleteness() {
        INDArray background = Networks.randomInput(43, 20, 5);
        ExpectedGradients eg = ExpectedGradients.of(model, Reference.distribution(background)).withSamples(50);
        Attributions a = eg.withSeed(1).attribute(x, Target.predicted());
        assertThat(eg.withSeed(1).attribute(x, Target.predicted()).values()).isEqualTo(a.values());
        assertThat(eg.withSeed(2).attribute(x, Target.predicted()).values()).isNotEqualTo(a.values());
        double few = dev.explain4j.testing.Stats.maxAbs(eg.withSamples(20).attribute(x, Target.predicted()).completenessDelta().orElseThrow());
        double many = dev.explain4j.testing.Stats.maxAbs(eg.withSamples(5000).attribute(x, Target.predicted()).completenessDelta().orElseThrow());
        assertThat(many).isLessThan(few);
        assertThat(many).isLessThan(0.01);
    }

    @Test
    void expectedGradientsIsTheMeanOfGradientTimesDifferenceAtItsSamples() {
        INDArray background = Networks.randomInput(45, 7, 5);
        int samples = 6;
        int[] targets = {2, 0, 1, 1};
        // the sampling ExpectedGradients documents: per row and sample, a background row, then α, from the row's stream
        double[][] rows = dev.explain4j.model.Inputs.rowsAsDoubles(x.castTo(model.dataType()));
        INDArray expected = x.like();
        for (int r = 0; r < x.size(0); r++) {
            java.util.SplittableRandom random = dev.explain4j.core.RowRandom.of(3, rows[r]);
            for (int k = 0; k < samples; k++) {
                INDArray b = background.getRow(random.nextInt((int) background.size(0)), true);
                INDArray xr = x.getRow(r, true);
                INDArray point = b.add(xr.sub(b).muli(random.nextDouble()));
                INDArray gradient = model.gradients(point, Target.perRow(targets[r])).inputGradient();
                expected.getRow(r, true).addi(gradient.muli(xr.sub(b)).divi(samples));
            }
        }
        for (int size : new int[]{0, 5}) {
            INDArray actual = ExpectedGradients.of(model, Reference.distribution(background)).withSamples(samples).withSeed(3)
                    .withBatchSize(size).attribute(x, Target.perRow(targets)).values();
            assertThat(FiniteDifferences.maxRelativeError(actual, expected, 1e-300)).as("internal batch %d", size).isLessThan(1e-12);
        }
    }

    @Test
    void expectedGradientsDrawsAWeightedBackgroundByWeight() {
        INDArray background = Networks.randomInput(46, 5, 5);
        double[] weights = {0.4, 0, 0.1, 0.35, 0.15};
        int samples = 7;
        int[] targets = {1, 2, 0, 2};
        // the documented draw for unequal weights: u uniform, the first row whose cumulative weight exceeds u, then α
        double[][] rows = dev.explain4j.model.Inputs.rowsAsDoubles(x.castTo(model.dataType()));
        INDArray expected = x.like();
        for (int r = 0; r < x.size(0); r++) {
            java.util.SplittableRandom random = dev.explain4j.core.RowRandom.of(8, rows[r]);
            for (int k = 0; k < samples; k++) {
                double u = random.nextDouble();
                int index = 0;
                double cumulative = weights[0];
                while (cumulative <= u) {
                    cumulative += weights[++index];
                }
                assertThat(index).isNotEqualTo(1);
                INDArray b = background.getRow(index, true);
                INDArray xr = x.getRow(r, true);
                INDArray point = b.add(xr.sub(b).muli(random.nextDouble()));
                INDArray gradient = model.gradients(point, Target.perRow(targets[r])).inputGradient();
                expected.getRow(r, true).addi(gradient.muli(xr.sub(b)).divi(samples));
            }
        }
        Attributions a = ExpectedGradients.of(model, Reference.distribution(background, weights)).withSamples(samples)
                .withSeed(8).attribute(x, Target.perRow(targets));
        assertThat(FiniteDifferences.maxRelativeError(a.values(), expected, 1e-300)).isLessThan(1e-12);
        // the reference output is the weighted mean of f over the background
        INDArray f = model.predict(background);
        double[] fb = a.referenceOutputs().orElseThrow();
        for (int r = 0; r < targets.length; r++) {
            double mean = 0;
            for (int i = 0; i < weights.length; i++) {
                mean += weights[i] * f.getDouble(i, targets[r]);
            }
            assertThat(fb[r]).isEqualTo(mean, org.assertj.core.api.Assertions.within(1e-12));
        }
        // equal weights given explicitly are the uniform draws, to the last bit
        INDArray uniform = ExpectedGradients.of(model, Reference.distribution(background)).withSamples(samples).withSeed(8)
                .attribute(x, Target.perRow(targets)).values();
        INDArray equal = ExpectedGradients.of(model, Reference.distribution(background, new double[]{2, 2, 2, 2, 2}))
                .withSamples(samples).withSeed(8).attribute(x, Target.perRow(targets)).values();
        assertThat(equal).isEqualTo(uniform);
        assertThat(a.reference().orElseThrow().isDistribution()).isTrue();
    }

    @Test
    void expectedGradientsFromOneReferenceRowIsThatRowsDistributionOfOne() {
        INDArray row = Networks.randomInput(47, 1, 5);
        Attributions one = ExpectedGradients.of(model, Reference.rows(row)).withSamples(9).withSeed(2).attribute(x, Target.index(0));
        Attributions distribution = ExpectedGradients.of(model, Reference.distribution(row)).withSamples(9).withSeed(2)
                .attribute(x, Target.index(0));
        assertThat(one.values()).isEqualTo(distribution.values());
        assertThat(one.parameters()).containsEntry("background-rows", "1");
    }

    @Test
    void perRowBaselinesFollowTheirRowsThroughTheNoiseTunnel() {
        INDArray baselines = Networks.randomInput(44, 4, 5);
        IntegratedGradients ig = IntegratedGradients.of(model).withSteps(8).withReference(Reference.rows(baselines));
        INDArray tunnel = NoiseTunnel.of(model, ig).withSamples(2).withAbsoluteSigma(0).attribute(x, Target.predicted()).values();
        INDArray row2 = ig.withReference(Reference.rows(baselines.get(NDArrayIndex.interval(2, 3))))
                .attribute(x.get(NDArrayIndex.interval(2, 3)), Target.perRow(model.predict(x).argMax(1).getInt(2))).values();
        assertThat(FiniteDifferences.maxRelativeError(tunnel.get(NDArrayIndex.interval(2, 3)), row2, 1e-300)).isLessThan(1e-12);
    }
}
