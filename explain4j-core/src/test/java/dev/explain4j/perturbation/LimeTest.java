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

    @Test
    void surrogateFiguresAreTheOnesLimeExplanationGaveAndFitTheLocalPrediction() {
        ExplainableModel net = TestModels.wrap(TestModels.network(8), 8).model();
        INDArray x = TestModels.gaussian(3, 8, 1.5, 1);
        Reference training = Reference.distribution(TestModels.gaussian(100, 8, 1, 7));
        // per row, as LimeExplanation's intercepts, scores and localPrediction gave them before they moved into Attributions
        long[][][] before = {
                {{0x3fe5b9d1d2e1f873L, 0x3fe624e299e90c32L, 0x3fe686be9083877fL},
                        {0x3fd3bf395823ae86L, 0x3fd86c6c01059a26L, 0x3fe047d9be439e4cL},
                        {0x3fe6ad866ce0ae2fL, 0x3fe61a4c76cc30a4L, 0x3fe4c636790f436eL}},
                {{0x3fe61372ffa24cbbL, 0x3fe62036f8394a42L, 0x3fe61ee6641eba95L},
                        {0x3fedfb4239772c32L, 0x3feebf2c173ebd76L, 0x3fef00a6784ffc3aL},
                        {0x3fe58af27d170b0fL, 0x3fe65617d48ee947L, 0x3fe4c28ae29fd9c4L}}};
        for (int discretized = 0; discretized < 2; discretized++) {
            Attributions a = Lime.of(net, training).withDiscretization(discretized == 0).withSamples(300).withSeed(4)
                    .attribute(x, Target.predicted());
            double[][] figures = {a.intercepts().orElseThrow(), a.fitScores().orElseThrow(), a.localPredictions().orElseThrow()};
            for (int k = 0; k < 3; k++) {
                for (int r = 0; r < 3; r++) {
                    assertThat(figures[k][r]).isCloseTo(Double.longBitsToDouble(before[discretized][k][r]),
                            TestModels.relative(before[discretized][k][r]));
                }
            }
            if (discretized == 0) {
                // the instance is all ones in the discretized space: its surrogate value is intercept + Σ coefficients
                for (int r = 0; r < 3; r++) {
                    assertThat(figures[2][r]).isCloseTo(figures[0][r] + TestModels.sum(a.row(r)), within(1e-12));
                }
            }
        }
    }

    @Test
    void imageSurrogateFiguresAreTheOnesLimeExplanationGave() {
        double[] w = new double[2 * 4 * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.sin(i);
        }
        INDArray weights = Nd4j.create(w, new long[]{w.length, 1}, DataType.DOUBLE);
        ExplainableModel model = ExplainableModel.of(b -> org.nd4j.linalg.ops.transforms.Transforms.tanh(
                b.reshape('c', b.size(0), -1).mmul(weights), true), new long[]{2, 4, 4}, 1, DataType.DOUBLE);
        INDArray x = TestModels.gaussian(2, 32, 1, 5).reshape('c', 2, 2, 4, 4);
        Attributions a = LimeImage.of(model).withGrid(2, 2).withReference(Reference.constant(0.25)).withSamples(100).withSeed(2)
                .attribute(x, Target.index(0));
        long[][] before = {{0xbf71edc217084f40L, 0xbfe69643fd51ce5aL}, {0x3fedf86e6f3e6bdbL, 0x3fdc8b562d916c08L},
                {0x3f8cc6d400bacc60L, 0xbff0848530c8b308L}};
        double[][] figures = {a.intercepts().orElseThrow(), a.fitScores().orElseThrow(), a.localPredictions().orElseThrow()};
        for (int k = 0; k < 3; k++) {
            for (int r = 0; r < 2; r++) {
                assertThat(figures[k][r]).isCloseTo(Double.longBitsToDouble(before[k][r]), TestModels.relative(before[k][r]));
            }
        }
        // the image is every superpixel on: intercept + Σ superpixel coefficients (one pixel of each 2×2 cell)
        INDArray values = a.values();
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int i = 0; i < 4; i += 2) {
                for (int j = 0; j < 4; j += 2) {
                    sum += values.getDouble(r, 0, i, j);
                }
            }
            assertThat(figures[2][r]).isCloseTo(figures[0][r] + sum, within(1e-12));
        }
    }
}
