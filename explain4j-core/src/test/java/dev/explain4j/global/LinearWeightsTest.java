package dev.explain4j.global;

import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.testing.LinearNetworks;
import dev.explain4j.testing.Networks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LinearWeightsTest {

    @Test
    void weightTimesStandardDeviationOfALinearModel() {
        NetworkModel model = NetworkModel.of(LinearNetworks.fiveToTwo());
        INDArray x = Networks.randomInput(31, 50, 5).mulRowVector(org.nd4j.linalg.factory.Nd4j.createFromArray(1.0, 2, 0.5, 3, 1));
        LinearWeights.Result r = LinearWeights.of(model).compute(x);
        double[][] w = {{0.5, -1}, {-2, 0.25}, {1.5, 3}, {0, -0.75}, {-0.3, 1.2}};
        double[][] xs = x.toDoubleMatrix();
        for (int j = 0; j < 5; j++) {
            double mean = 0;
            for (double[] row : xs) {
                mean += row[j] / xs.length;
            }
            double var = 0;
            for (double[] row : xs) {
                var += (row[j] - mean) * (row[j] - mean) / xs.length;
            }
            double std = Math.sqrt(var);
            assertThat(r.std()[j]).isEqualTo(std, within(1e-12));
            for (int k = 0; k < 2; k++) {
                assertThat(r.perOutput()[k][j]).isEqualTo(Math.abs(w[j][k]) * std, within(1e-12));
            }
            assertThat(r.overall()[j]).isEqualTo((Math.abs(w[j][0]) + Math.abs(w[j][1])) * std / 2, within(1e-12));
        }
        assertThat(r.wholeModel()).isTrue();
        // the same weights under a softmax are not the whole model
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork softmax = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1)
                        .dataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE).list()
                        .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(5).nOut(2)
                                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build()).build());
        softmax.init();
        assertThat(LinearWeights.of(NetworkModel.of(softmax)).compute(x).wholeModel()).isFalse();
    }

    @Test
    void firstDenseLayerOfADeeperNetworkAndRefusalForAConvolution() {
        NetworkModel iris = ModelLoader.load(Path.of("models/iris-mlp.zip"), null);
        LinearWeights.Result r = LinearWeights.of(iris).compute(Networks.randomInput(1, 20, 4));
        assertThat(r.wholeModel()).isFalse();
        assertThat(r.perOutput()).hasNumberOfRows(16);
        NetworkModel digits = ModelLoader.load(Path.of("models/digits-cnn.zip"), null);
        assertThatThrownBy(() -> LinearWeights.of(digits).compute(Networks.randomInput(1, 3, 64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ConvolutionLayer");
    }
}
