package dev.explain4j.gradient;

import dev.explain4j.core.Reference;
import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

class IntegratedGradientsTest {

    private static MultiLayerNetwork reluNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Dense tanh, dense ReLU, softmax: the first layer is a plain dense layer. */
    private static MultiLayerNetwork tanhReluNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(12).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(12).nOut(9).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(9).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** A strided first convolution in Same mode (7 → 4, whose transposed convolution would give 8), then dense. */
    private static MultiLayerNetwork stridedConvolutionNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(7, 7, 2))
                .build());
        net.init();
        return net;
    }

    /** Flat rows of 36 reshaped into 1 × 6 × 6 images (a preprocessor, as the shipped digits CNN has), conv, dense. */
    private static MultiLayerNetwork flatInputConvolutionNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6).dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1))
                .build());
        net.init();
        return net;
    }

    /** (x − b) ⊙ Σ_s w_s ∂f/∂x(b + α_s (x − b)) with each point's gradient from the engine's plain gradient call. */
    private static INDArray quadratureOfGradients(NetworkModel model, INDArray x, INDArray b, int[] targets,
                                                  IntegrationRule rule, int steps) {
        double[] alphas = rule.alphas(steps);
        double[] weights = rule.weights(steps);
        INDArray sum = x.like();
        for (int s = 0; s < steps; s++) {
            INDArray point = b.add(x.sub(b).muli(alphas[s]));
            sum.addi(model.gradients(point, Target.perRow(targets)).inputGradient().muli(weights[s]));
        }
        return sum.muli(x.sub(b));
    }

    @Test
    void isTheQuadratureOfTheGradientsAtThePathPoints() {
        // first layers whose pre-activation IG computes from the path ends: dense, convolutions in either layout, with
        // the strided backward and behind a reshaping preprocessor; and a dilated convolution, which takes the general path
        assertIsTheQuadrature(NetworkModel.of(tanhReluNetwork()), Networks.randomInput(26, 6, 5).muli(2),
                Networks.randomInput(27, 6, 5));
        assertIsTheQuadrature(NetworkModel.of(Networks.cnn(CNN2DFormat.NHWC)), Networks.randomInput(28, 3, 6, 6, 2),
                Networks.randomInput(29, 3, 6, 6, 2));
        assertIsTheQuadrature(NetworkModel.of(Networks.cnn(CNN2DFormat.NCHW)), Networks.randomInput(30, 3, 2, 6, 6),
                Networks.randomInput(31, 3, 2, 6, 6));
        assertIsTheQuadrature(NetworkModel.of(stridedConvolutionNetwork()), Networks.randomInput(32, 3, 2, 7, 7),
                Networks.randomInput(33, 3, 2, 7, 7));
        assertIsTheQuadrature(NetworkModel.of(Networks.convolutions(CNN2DFormat.NCHW)), Networks.randomInput(34, 3, 2, 9, 9),
                Networks.randomInput(35, 3, 2, 9, 9));
        assertIsTheQuadrature(NetworkModel.of(flatInputConvolutionNetwork()), Networks.randomInput(36, 3, 36),
                Networks.randomInput(37, 3, 36));
        // graphs: a residual CNN whose input feeds one convolution (fused), and a dense graph whose input feeds two layers
        assertIsTheQuadrature(NetworkModel.of(Networks.convolutionGraph()), Networks.randomInput(38, 3, 8, 8, 2),
                Networks.randomInput(39, 3, 8, 8, 2));
        assertIsTheQuadrature(NetworkModel.of(Networks.graph(), "probs"), Networks.randomInput(40, 3, 5),
                Networks.randomInput(41, 3, 5));
    }

    private static void assertIsTheQuadrature(NetworkModel model, INDArray x, INDArray b) {
        int[] targets = java.util.stream.IntStream.range(0, (int) x.size(0)).map(r -> r % 3).toArray();
        for (IntegrationRule rule : new IntegrationRule[]{IntegrationRule.GAUSS_LEGENDRE, IntegrationRule.RIEMANN_LEFT}) {
            INDArray expected = quadratureOfGradients(model, x, b, targets, rule, 9);
            IntegratedGradients ig = IntegratedGradients.of(model).withRule(rule).withSteps(9).withReference(Reference.rows(b));
            // chunks of all points, of part of one path, and of two paths
            for (int size : new int[]{0, 4, 20}) {
                INDArray actual = ig.withBatchSize(size).attribute(x, Target.perRow(targets)).values();
                assertThat(FiniteDifferences.maxRelativeError(actual, expected, 1e-300)).as("%s, internal batch %d", rule, size)
                        .isLessThanOrEqualTo(1e-12);
            }
        }
    }

    @Test
    void completenessHoldsOnASmoothNetworkAt64GaussLegendreSteps() {
        NetworkModel model = NetworkModel.of(Networks.mlp());
        INDArray x = Networks.randomInput(21, 16, 5).muli(2);
        Attributions ig = IntegratedGradients.of(model).withSteps(64).attribute(x, Target.predicted());
        double[] delta = ig.completenessDelta().orElseThrow();
        double[] fx = ig.targetOutputs().orElseThrow();
        double[] fb = ig.referenceOutputs().orElseThrow();
        for (int r = 0; r < delta.length; r++) {
            assertThat(Math.abs(delta[r])).as("row %d", r).isLessThanOrEqualTo(1e-3 * Math.abs(fx[r] - fb[r]));
        }
        // the delta is what it says: Σ attributions − (f(x) − f(b)), with f from DL4J's own output()
        double sum0 = ig.values().getRow(0).sumNumber().doubleValue();
        INDArray out = Networks.mlp().output(x.getRow(0, true), false);
        assertThat(sum0 - (out.getDouble(0, ig.targets().orElseThrow()[0]) - fb[0])).isEqualTo(delta[0], org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void adaptiveModeReachesItsToleranceOnAReluNetwork() {
        NetworkModel model = NetworkModel.of(reluNetwork());
        INDArray x = Networks.randomInput(22, 8, 5).muli(3);
        double tolerance = 1e-3;
        Attributions fixed = IntegratedGradients.of(model).withSteps(4).attribute(x, Target.predicted());
        Attributions adaptive = IntegratedGradients.of(model).withSteps(4).withAdaptiveSteps(tolerance, 8192).attribute(x, Target.predicted());
        double[] delta = adaptive.completenessDelta().orElseThrow();
        double[] fx = adaptive.targetOutputs().orElseThrow();
        double[] fb = adaptive.referenceOutputs().orElseThrow();
        for (int r = 0; r < delta.length; r++) {
            assertThat(Math.abs(delta[r])).as("row %d", r).isLessThanOrEqualTo(Math.max(tolerance * Math.abs(fx[r] - fb[r]), 1e-7));
        }
        int[] steps = adaptive.stepsUsed().orElseThrow();
        assertThat(java.util.Arrays.stream(steps).allMatch(s -> s >= 4 && s <= 8192 && Integer.bitCount(s / 4) == 1)).isTrue();
        // 4 steps do not suffice for this network, so adaptivity did real work
        assertThat(dev.explain4j.testing.Stats.maxAbs(fixed.completenessDelta().orElseThrow()))
                .isGreaterThan(dev.explain4j.testing.Stats.maxAbs(delta));
        assertThat(java.util.Arrays.stream(steps).max().orElseThrow()).isGreaterThan(4);
    }

    @Test
    void internalBatchSizeDoesNotChangeTheNumbers() {
        NetworkModel model = NetworkModel.of(Networks.mlp());
        INDArray x = Networks.randomInput(23, 5, 5);
        IntegratedGradients ig = IntegratedGradients.of(model).withSteps(20);
        INDArray unlimited = ig.attribute(x, Target.predicted()).values();
        for (int size : new int[]{1, 7}) {
            INDArray chunked = ig.withBatchSize(size).attribute(x, Target.predicted()).values();
            assertThat(FiniteDifferences.maxRelativeError(chunked, unlimited, 1e-300)).as("internal batch %d", size).isLessThanOrEqualTo(1e-12);
        }
    }

    @Test
    void rowsAreIndependentWithBatchNormAndDropout() {
        NetworkModel model = NetworkModel.of(Networks.mlpWithDropoutAndBatchNorm());
        INDArray batch = Networks.randomInput(24, 64, 5);
        IntegratedGradients ig = IntegratedGradients.of(model).withSteps(16);
        INDArray together = ig.attribute(batch, Target.index(2)).values();
        for (int row : new int[]{0, 17, 63}) {
            INDArray alone = ig.attribute(batch.get(NDArrayIndex.interval(row, row + 1)), Target.index(2)).values();
            assertThat(FiniteDifferences.maxRelativeError(alone, together.get(NDArrayIndex.interval(row, row + 1)), 1e-300))
                    .as("row %d", row).isLessThanOrEqualTo(1e-12);
        }
    }

    @Test
    void blurredBaselineBlursImagesAndKeepsCompleteness() {
        NetworkModel model = NetworkModel.of(Networks.cnn(CNN2DFormat.NHWC));
        INDArray x = Networks.randomInput(25, 2, 6, 6, 2);
        INDArray constant = x.like().assign(0.7);
        assertThat(FiniteDifferences.maxRelativeError(Reference.blurred(1.5).resolve(constant, model), constant, 0)).isLessThan(1e-12);
        INDArray blurred = Reference.blurred(1.5).resolve(x, model);
        // channels are blurred separately: channel 1 of the blur depends only on channel 1 of the image
        INDArray changedOtherChannel = x.dup();
        changedOtherChannel.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).addi(5);
        INDArray blurredChanged = Reference.blurred(1.5).resolve(changedOtherChannel, model);
        INDArray ch1 = blurred.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1));
        assertThat(blurredChanged.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1))).isEqualTo(ch1);
        assertThat(blurred.std(1, 2).meanNumber().doubleValue()).isLessThan(x.std(1, 2).meanNumber().doubleValue());
        // max pooling makes the path integrand piecewise smooth: adaptive steps reach the tolerance
        Attributions ig = IntegratedGradients.of(model).withSteps(64).withAdaptiveSteps(1e-3, 8192).withReference(Reference.blurred(1.5))
                .attribute(x, Target.predicted());
        double[] fx = ig.targetOutputs().orElseThrow();
        double[] fb = ig.referenceOutputs().orElseThrow();
        double[] delta = ig.completenessDelta().orElseThrow();
        for (int r = 0; r < 2; r++) {
            assertThat(Math.abs(delta[r])).isLessThanOrEqualTo(1e-3 * Math.abs(fx[r] - fb[r]));
        }
    }
}
