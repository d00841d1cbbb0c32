package dev.explain4j.model;

import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.LayerGradientXActivation;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong input gets an IllegalArgumentException that names what is wrong and what was expected. */
class BadInputTest {
    private final NetworkModel mlp = NetworkModel.of(Networks.mlp());

    @Test
    void wrongWidth() {
        assertThatThrownBy(() -> Saliency.of(mlp).attribute(Nd4j.zeros(3, 4), Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 4]").hasMessageContaining("[rows, 5]");
    }

    @Test
    void wrongRankForAnImageNetwork() {
        NetworkModel cnn = NetworkModel.of(Networks.cnn(CNN2DFormat.NHWC));
        assertThatThrownBy(() -> Saliency.of(cnn).attribute(Nd4j.zeros(2, 2, 6, 6), Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[rows, any, any, 2]");
    }

    @Test
    void nanAndInfinityNameRowAndColumn() {
        INDArray x = Networks.randomInput(1, 3, 5);
        x.putScalar(2, 3, Double.NaN);
        assertThatThrownBy(() -> IntegratedGradients.of(mlp).attribute(x, Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN").hasMessageContaining("at row 3, column 4;"); // counted from 1
        x.putScalar(2, 3, 0);
        x.putScalar(1, 0, Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> Saliency.of(mlp).attribute(x, Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity").hasMessageContaining("at row 2, column 1;");
    }

    @Test
    void unknownLayerListsTheLayers() {
        assertThatThrownBy(() -> LayerGradientXActivation.of(mlp, "dense7"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dense7").hasMessageContaining("0:layer0")
                .hasMessageContaining("2:layer2");
    }

    @Test
    void targetOutOfRangeNamesTheRow() {
        assertThatThrownBy(() -> Saliency.of(mlp).attribute(Networks.randomInput(2, 4, 5), Target.perRow(0, 1, 3, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target 3 of row 2").hasMessageContaining("3 outputs");
        assertThatThrownBy(() -> Saliency.of(mlp).attribute(Networks.randomInput(2, 4, 5), Target.perRow(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 targets for 4 rows");
    }

    @Test
    void inputGradientThroughAnEmbeddingIsRefusedWithAWayOut() {
        NetworkModel embedding = NetworkModel.of(Networks.embedding());
        assertThatThrownBy(() -> Saliency.of(embedding).attribute(Nd4j.createFromArray(new double[][]{{1}}), Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'layer0' (EmbeddingLayer")
                .hasMessageContaining("layer method");
    }

    @Test
    void graphWithSeveralOutputsMustNameOne() {
        assertThatThrownBy(() -> NetworkModel.of(Networks.graph()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[probs, score]");
        assertThatThrownBy(() -> NetworkModel.of(Networks.graph(), "prob"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'prob'").hasMessageContaining("[probs, score]");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> IntegratedGradients.of(mlp).withSteps(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps");
        assertThatThrownBy(() -> IntegratedGradients.of(mlp).withBatchSize(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("internal batch size");
        assertThatThrownBy(() -> IntegratedGradients.of(mlp).withReference(dev.explain4j.core.Reference.rows(Nd4j.zeros(1, 4)))
                .attribute(Networks.randomInput(3, 2, 5), Target.predicted()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseline has row shape [4]");
    }
}
