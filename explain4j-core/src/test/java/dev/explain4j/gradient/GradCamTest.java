package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.GradCamByHand;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GradCamTest {

    /**
     * Grad-CAM computed by hand in plain loops from DL4J's own conv activations and finite-difference gradients of
     * the rest of the network.
     */
    @ParameterizedTest
    @EnumSource(value = CNN2DFormat.class)
    void matchesTheDefinitionComputedFromFiniteDifferences(CNN2DFormat format) {
        MultiLayerNetwork net = Networks.cnn(format);
        INDArray x = format == CNN2DFormat.NCHW ? Networks.randomInput(31, 3, 2, 6, 6) : Networks.randomInput(31, 3, 6, 6, 2);
        Attributions cam = GradCam.of(NetworkModel.of(net)).withLayer("layer0").withRelu(false).attribute(x, Target.predicted());
        int[] targets = cam.targets().orElseThrow();

        INDArray expected = GradCamByHand.map(net, x, targets, format);
        assertThat(FiniteDifferences.maxRelativeError(cam.values(), expected, 1e-3)).isLessThan(1e-6);
        INDArray withRelu = GradCam.of(NetworkModel.of(net)).withLayer("layer0").attribute(x, Target.predicted()).values();
        assertThat(FiniteDifferences.maxRelativeError(withRelu, org.nd4j.linalg.ops.transforms.Transforms.relu(expected, true), 1e-3)).isLessThan(1e-6);
    }

    @Test
    void upsamplingBringsTheMapToTheInputSize() {
        NetworkModel model = NetworkModel.of(Networks.cnn(CNN2DFormat.NCHW));
        INDArray x = Networks.randomInput(32, 2, 2, 6, 6);
        GradCam cam = GradCam.of(model).withLayer("layer0").withRelu(false);
        INDArray small = cam.attribute(x, Target.index(0)).values();
        INDArray nearest = cam.withUpsampling(GradCam.Upsampling.NEAREST).attribute(x, Target.index(0)).values();
        INDArray bilinear = cam.withUpsampling(GradCam.Upsampling.BILINEAR).attribute(x, Target.index(0)).values();
        assertThat(nearest.shape()).containsExactly(2, 6, 6);
        assertThat(bilinear.shape()).containsExactly(2, 6, 6);
        // nearest, align_corners=False: output pixel i reads input floor(i · 4/6)
        int[] source = {0, 0, 1, 2, 2, 3};
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertThat(nearest.getDouble(1, i, j)).isEqualTo(small.getDouble(1, source[i], source[j]), org.assertj.core.api.Assertions.within(1e-12));
            }
        }
        // bilinear with half-pixel centres: output (0,0) maps to input (−1/6, −1/6), clamped to (0,0)
        assertThat(bilinear.getDouble(0, 0, 0)).isCloseTo(small.getDouble(0, 0, 0), org.assertj.core.api.Assertions.within(1e-9));
        // output 1 maps to input (1 + 0.5)·4/6 − 0.5 = 0.5: the mean of input 0 and 1 along each axis
        double expected = (small.getDouble(0, 0, 0) + small.getDouble(0, 0, 1) + small.getDouble(0, 1, 0) + small.getDouble(0, 1, 1)) / 4;
        assertThat(bilinear.getDouble(0, 1, 1)).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void theDefaultLayerIsTheLastConvolutionNotThePoolingOrNormalisationAfterIt() {
        // layer0 convolution, layer1 max pooling, layer2 batch normalisation: all three have spatial output
        NetworkModel model = NetworkModel.of(Networks.cnn(CNN2DFormat.NHWC));
        assertThat(model.layers().stream().filter(dev.explain4j.model.LayerInfo::spatial).map(dev.explain4j.model.LayerInfo::name))
                .containsExactly("layer0", "layer1", "layer2");
        INDArray x = Networks.randomInput(33, 2, 6, 6, 2);
        Attributions cam = GradCam.of(model).attribute(x, Target.predicted());
        assertThat(cam.parameters()).containsEntry("layer", "layer0");
        assertThat(cam.values()).isEqualTo(GradCam.of(model).withLayer("layer0").attribute(x, Target.predicted()).values());
        // the shipped digits CNN: conv1, conv2, pool, dense
        NetworkModel digits = dev.explain4j.model.ModelLoader.load(java.nio.file.Path.of("models/digits-cnn.zip"), null);
        assertThat(GradCam.of(digits).attribute(Nd4j.zeros(DataType.FLOAT, 1, 64), Target.index(0)).parameters())
                .containsEntry("layer", "conv2");
        assertThatThrownBy(() -> GradCam.of(NetworkModel.of(Networks.mlp())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("convolutional layer");
    }

    @Test
    void refusesALayerThatIsNotConvolutional() {
        NetworkModel model = NetworkModel.of(Networks.cnn(CNN2DFormat.NCHW));
        assertThatThrownBy(() -> GradCam.of(model).withLayer("layer3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer3").hasMessageContaining("DenseLayer").hasMessageContaining("layer0");
    }
}
