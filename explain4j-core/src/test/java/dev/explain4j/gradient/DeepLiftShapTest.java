package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import dev.explain4j.testing.RuleNetworks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class DeepLiftShapTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void withOneBackgroundRowIsDeepLiftAgainstThatRow(DataType type) {
        NetworkModel model = NetworkModel.of(RuleNetworks.cnn(CNN2DFormat.NHWC, Activation.RELU, PoolingType.MAX, true))
                .withDataType(type);
        INDArray x = Networks.randomInput(31, 4, 7, 7, 2).castTo(type);
        INDArray row = Networks.randomInput(32, 1, 7, 7, 2).castTo(type);
        Attributions shap = DeepLiftShap.of(model, Reference.distribution(row)).attribute(x, Target.predicted());
        Attributions dl = DeepLift.of(model).withReference(Reference.rows(row)).attribute(x, Target.predicted());
        assertThat(FiniteDifferences.maxRelativeError(shap.values(), dl.values(), 1e-6))
                .isLessThan(type == DataType.DOUBLE ? 1e-12 : 1e-5);
        assertThat(shap.referenceOutputs().orElseThrow()).containsExactly(dl.referenceOutputs().orElseThrow(),
                org.assertj.core.data.Offset.offset(1e-6));
    }

    /** The weighted mean of DeepLIFT against each background row, each computed on its own; chunked small. */
    @Test
    void averagesDeepLiftOverTheBackgroundWithItsWeights() {
        NetworkModel model = NetworkModel.of(Networks.graph(), "score");
        INDArray x = Networks.randomInput(33, 5, 5);
        INDArray background = Networks.randomInput(34, 3, 5);
        double[] weights = {0.5, 0.3, 0.2};
        Attributions shap = DeepLiftShap.of(model.withMemoryBudget(4_000), Reference.distribution(background, weights))
                .attribute(x, Target.index(1));
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 5, 5);
        for (int j = 0; j < 3; j++) {
            INDArray b = background.get(NDArrayIndex.interval(j, j + 1)).repeat(0, 5);
            expected.addi(DeepLift.of(model).withReference(Reference.rows(b)).attribute(x, Target.index(1)).values().muli(weights[j]));
        }
        assertThat(FiniteDifferences.maxRelativeError(shap.values(), expected, 1e-12)).isLessThan(1e-12);
        assertThat(Arrays.stream(shap.completenessDelta().orElseThrow()).map(Math::abs).max().orElseThrow()).isLessThan(1e-9);
    }

    @Test
    void completenessHoldsAgainstTheBackgroundMeanOutputOnAConvolutionalNetwork() {
        NetworkModel model = NetworkModel.of(Networks.cnn(CNN2DFormat.NCHW)).withOutputSpace(OutputSpace.LOGIT);
        INDArray x = Networks.randomInput(35, 3, 2, 6, 6);
        INDArray background = Networks.randomInput(36, 4, 2, 6, 6);
        Attributions shap = DeepLiftShap.of(model, Reference.distribution(background)).attribute(x, Target.predicted());
        INDArray meanOutput = model.predict(background).mean(0);
        int[] t = shap.targets().orElseThrow();
        double[] fx = shap.targetOutputs().orElseThrow();
        for (int r = 0; r < 3; r++) {
            double sum = Arrays.stream(shap.row(r)).sum();
            assertThat(sum).isCloseTo(fx[r] - meanOutput.getDouble(t[r]), org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
