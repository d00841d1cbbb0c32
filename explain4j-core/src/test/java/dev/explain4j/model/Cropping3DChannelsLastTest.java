package dev.explain4j.model;

import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The channels-last 3-D cropping ModelLoader puts in place of DL4J's (which crops the wrong axes of [n, d, h, w, c]):
 * its output against the crop written out index by index, and the engine's ∂f/∂x through it against central finite
 * differences of DL4J's own output in double.
 */
class Cropping3DChannelsLastTest {
    /** d before, d after, h before, h after, w before, w after. */
    private static final int[] CROPPING = {1, 0, 0, 1, 1, 1};

    /** [n, 3, 4, 5, 2] → crop → [n, 2, 3, 3, 2] → tanh dense → softmax of 3. */
    static MultiLayerNetwork network() {
        Cropping3DChannelsLast cropping = new Cropping3DChannelsLast(CROPPING);
        cropping.setLayerName("crop");
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE).list()
                .layer(cropping)
                .layer(new DenseLayer.Builder().nIn(2 * 3 * 3 * 2).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX).build())
                .inputPreProcessor(1, new Cnn3DToFeedForwardPreProcessor(2, 3, 3, 2, false))
                .build());
        net.init();
        return net;
    }

    @Test
    void cropsDepthHeightAndWidthAndKeepsTheChannels() {
        MultiLayerNetwork net = network();
        INDArray x = Networks.randomInput(3, 2, 3, 4, 5, 2);
        INDArray cropped = net.feedForwardToLayer(0, x, false).get(1);
        assertThat(cropped.shape()).containsExactly(2, 2, 3, 3, 2);
        for (int n = 0; n < 2; n++) {
            for (int d = 0; d < 2; d++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 3; w++) {
                        for (int c = 0; c < 2; c++) {
                            assertThat(cropped.getDouble(n, d, h, w, c)).isEqualTo(x.getDouble(n, d + 1, h, w + 1, c));
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        MultiLayerNetwork net = network();
        INDArray x = Networks.randomInput(5, 3, 3, 4, 5, 2);
        GradientBatch batch = NetworkModel.of(net).gradients(x, Target.predicted());
        INDArray expected = FiniteDifferences.gradient(b -> net.output(b, false), x, batch.targets());
        assertThat(FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, 1e-3)).isLessThan(1e-6);
        // what the cropping drops gets no gradient
        assertThat(batch.inputGradient().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).amaxNumber().doubleValue()).isZero();
    }

    @Test
    void survivesDl4jsCopiesOfTheConfiguration() {
        // convertDataType copies the configuration through JSON
        MultiLayerNetwork net = network();
        INDArray x = Networks.randomInput(9, 1, 3, 4, 5, 2);
        assertThat(net.convertDataType(DataType.FLOAT).output(x.castTo(DataType.FLOAT), false).castTo(DataType.DOUBLE)
                .sub(net.output(x, false)).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void refusesACroppingThatLeavesNothing() {
        MultiLayerNetwork net = network();
        INDArray x = Networks.randomInput(1, 1, 1, 4, 5, 2);
        assertThatThrownBy(() -> NetworkModel.of(net).predict(x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'crop' (Cropping3D, channels_last)").hasMessageContaining("output is empty");
    }
}
