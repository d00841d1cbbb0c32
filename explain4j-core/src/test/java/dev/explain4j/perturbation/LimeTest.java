package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LimeTest {
    private static final double[] W = {2.0, -1.0, 0.5, 0.0};

    @Test
    void withoutDiscretizationRecoversALinearModelsCoefficients() {
        INDArray training = TestModels.gaussian(500, W.length, 1.0, 31).mulRowVector(Nd4j.create(new double[]{1, 2, 0.5, 3}));
        INDArray x = Nd4j.create(new double[][]{{0.3, -0.2, 1.0, 0.5}});
        Attributions e = Lime.of(TestModels.linear(W, 0.7).model(), Reference.distribution(training)).withDiscretization(false)
                .withSeed(1).attribute(x, Target.index(0));
        // lime fits on standardised features: the coefficient of feature j is w_j · std_j of the training data
        double[] std = training.std(false, 0).toDoubleVector();
        for (int f = 0; f < W.length; f++) {
            assertThat(e.row(0)[f]).isCloseTo(W[f] * std[f], within(1e-2));
        }
        assertThat(e.fitScores().orElseThrow()[0]).isGreaterThan(0.999);
        assertThat(e.localPredictions().orElseThrow()[0]).isCloseTo(e.targetOutputs().orElseThrow()[0], within(1e-2));
        assertThat(e.parameters()).doesNotContainKeys("intercept", "score", "localPrediction");
    }

    @Test
    void quartileDiscretizationRanksTheDominantFeatureFirstAndIsReproducible() {
        INDArray training = TestModels.gaussian(400, W.length, 1.0, 32);
        INDArray x = Nd4j.create(new double[][]{{1.5, 0.1, -0.2, 0.3}});
        ExplainableModel model = TestModels.linear(W, 0).model();
        Lime lime = Lime.of(model, Reference.distribution(training)).withSamples(2000).withSeed(9);
        Attributions e = lime.attribute(x, Target.index(0));
        double[] coefficients = e.row(0);
        for (int f = 1; f < W.length; f++) {
            assertThat(coefficients[0]).isGreaterThan(Math.abs(coefficients[f]));
        }
        assertThat(e.fitScores().orElseThrow()[0]).isBetween(0.0, 1.0);
        assertThat(lime.attribute(x, Target.index(0)).row(0)).containsExactly(coefficients);
    }

    @Test
    void imageLimeFindsTheSuperpixelTheModelLooksAt() {
        // f = mean of the top-left 4×4 cell of an 8×8 single-channel image
        ExplainableModel model = ExplainableModel.of(b -> b.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).reshape(b.size(0), 16).mean(1).reshape(b.size(0), 1),
                new long[]{1, 8, 8}, 1, DataType.DOUBLE);
        INDArray image = Nd4j.ones(DataType.DOUBLE, 1, 1, 8, 8);
        Attributions e = LimeImage.of(model).withGrid(4, 4).withReference(Reference.zeros()).withSamples(200).withSeed(2)
                .attribute(image, Target.index(0));
        INDArray values = e.values();
        // superpixels: the four 4×4 cells, each pixel carrying its cell's coefficient
        double[] coefficients = {values.getDouble(0, 0, 0, 0), values.getDouble(0, 0, 0, 4), values.getDouble(0, 0, 4, 0),
                values.getDouble(0, 0, 4, 4)};
        assertThat(coefficients[0]).isGreaterThan(0.9);
        for (int s = 1; s < 4; s++) {
            assertThat(Math.abs(coefficients[s])).isLessThan(0.05);
        }
        assertThat(values.getDouble(0, 0, 1, 1)).isEqualTo(coefficients[0]);
    }
}
