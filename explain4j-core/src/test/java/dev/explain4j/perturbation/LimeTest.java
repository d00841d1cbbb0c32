package dev.explain4j.perturbation;

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
        LimeExplanation e = Lime.builder(TestModels.linear(W, 0.7).model(), training).discretize(false).seed(1).build()
                .explain(x, Target.index(0));
        // lime fits on standardised features: the coefficient of feature j is w_j · std_j of the training data
        double[] std = training.std(false, 0).toDoubleVector();
        for (int f = 0; f < W.length; f++) {
            assertThat(e.coefficients()[0][f]).isCloseTo(W[f] * std[f], within(1e-2));
        }
        assertThat(e.scores()[0]).isGreaterThan(0.999);
        assertThat(e.localPrediction()[0]).isCloseTo(e.attributions().targetOutputs().orElseThrow()[0], within(1e-2));
        assertThat(e.attributions().parameters()).containsKeys("intercept", "score", "localPrediction");
    }

    @Test
    void quartileDiscretizationRanksTheDominantFeatureFirstAndIsReproducible() {
        INDArray training = TestModels.gaussian(400, W.length, 1.0, 32);
        INDArray x = Nd4j.create(new double[][]{{1.5, 0.1, -0.2, 0.3}});
        ExplainableModel model = TestModels.linear(W, 0).model();
        Lime lime = Lime.builder(model, training).samples(2000).seed(9).build();
        LimeExplanation e = lime.explain(x, Target.index(0));
        assertThat(e.selected()[0][0]).isEqualTo(0);
        assertThat(e.coefficients()[0][0]).isPositive();
        assertThat(e.scores()[0]).isBetween(0.0, 1.0);
        assertThat(lime.explain(x, Target.index(0)).coefficients()[0]).containsExactly(e.coefficients()[0]);
    }

    @Test
    void imageLimeFindsTheSuperpixelTheModelLooksAt() {
        // f = mean of the top-left 4×4 cell of an 8×8 single-channel image
        ExplainableModel model = ExplainableModel.of(b -> b.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).reshape(b.size(0), 16).mean(1).reshape(b.size(0), 1),
                new long[]{1, 8, 8}, 1, DataType.DOUBLE);
        INDArray image = Nd4j.ones(DataType.DOUBLE, 1, 1, 8, 8);
        LimeExplanation e = LimeImage.builder(model).grid(4, 4).hideBy(0).samples(200).seed(2).build().explain(image, Target.index(0));
        double[] coefficients = e.coefficients()[0];
        assertThat(coefficients[0]).isGreaterThan(0.9);
        for (int s = 1; s < 4; s++) {
            assertThat(Math.abs(coefficients[s])).isLessThan(0.05);
        }
        assertThat(e.attributions().values().getDouble(0, 0, 1, 1)).isEqualTo(coefficients[0]);
    }
}
