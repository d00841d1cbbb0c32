package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.GradCamByHand;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guided Grad-CAM = guided backpropagation × the Grad-CAM map upsampled to the input, element by element. */
class GuidedGradCamTest {

    /**
     * The map computed by hand from DL4J's own activations of the convolution and finite-difference gradients of the
     * layers after it (ReLU'd channel-weighted sum), upsampled 4 × 4 → 6 × 6 by PyTorch's nearest rule
     * (source = ⌊destination · 4/6⌋), times guided backpropagation channel by channel.
     */
    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void isGuidedBackpropTimesTheNearestUpsampledGradCamMap(CNN2DFormat format) {
        MultiLayerNetwork net = Networks.cnn(format);
        NetworkModel model = NetworkModel.of(net);
        boolean nchw = format == CNN2DFormat.NCHW;
        INDArray x = nchw ? Networks.randomInput(51, 3, 2, 6, 6) : Networks.randomInput(51, 3, 6, 6, 2);
        Attributions result = GuidedGradCam.of(model).withLayer("layer0").attribute(x, Target.predicted());
        int[] targets = result.targets().orElseThrow();
        INDArray guided = GuidedBackprop.of(model).attribute(x, Target.perRow(targets)).values();

        INDArray cam = GradCamByHand.map(net, x, targets, format);
        if (!nchw) {
            guided = guided.permute(0, 3, 1, 2).dup();
        }
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 3, 2, 6, 6);
        double positive = 0;
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    double map = Math.max(0, cam.getDouble(r, i * 4 / 6, j * 4 / 6));
                    positive += map > 0 ? 1 : 0;
                    for (int c = 0; c < 2; c++) {
                        expected.putScalar(new int[]{r, c, i, j}, guided.getDouble(r, c, i, j) * map);
                    }
                }
            }
        }
        assertThat(positive).as("pixels the ReLU'd map keeps").isBetween(1.0, 3 * 36 - 1.0);
        INDArray actual = nchw ? result.values() : result.values().permute(0, 3, 1, 2);
        assertThat(FiniteDifferences.maxRelativeError(actual, expected, 1e-4)).isLessThan(1e-6);
        assertThat(result.parameters()).containsEntry("layer", "layer0").containsEntry("upsampling", "nearest");
    }

    @Test
    void bilinearUpsamplingIsGradCamsBilinearMapAndNoneIsRefused() {
        NetworkModel model = NetworkModel.of(Networks.cnn(CNN2DFormat.NCHW));
        INDArray x = Networks.randomInput(52, 2, 2, 6, 6);
        Attributions result = GuidedGradCam.of(model).withUpsampling(GradCam.Upsampling.BILINEAR).attribute(x, Target.index(1));
        INDArray map = GradCam.of(model).withUpsampling(GradCam.Upsampling.BILINEAR).attribute(x, Target.index(1)).values();
        INDArray guided = GuidedBackprop.of(model).attribute(x, Target.index(1)).values();
        INDArray expected = guided.mul(map.reshape(2, 1, 6, 6).broadcast(guided.shape()));
        assertThat(FiniteDifferences.maxRelativeError(result.values(), expected, 1e-9)).isLessThan(1e-12);
        assertThat(result.parameters()).containsEntry("upsampling", "bilinear");
        assertThatThrownBy(() -> GuidedGradCam.of(model).withUpsampling(GradCam.Upsampling.NONE))
                .hasMessageContaining("not none");
    }
}
