package dev.explain4j.global;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.FeatureAblation;
import dev.explain4j.testing.LinearNetworks;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GlobalImportanceTest {

    /** For f = w·x + c, IG and feature ablation give w_i (x_i − b_i), so mean |a_i| = |w_i| · mean |x_i − b_i|. */
    @Test
    void linearModelImportanceIsWeightTimesMeanDistanceToTheBaseline() {
        MultiLayerNetwork net = LinearNetworks.fiveToTwo();
        NetworkModel model = NetworkModel.of(net);
        INDArray x = Networks.randomInput(11, 40, 5).muli(2).addi(0.5);
        INDArray b = Networks.randomInput(12, 1, 5);
        double[] w = LinearNetworks.weightsOf(net, 1).toDoubleVector();
        double[][] xs = x.toDoubleMatrix();
        double[] expectedAbs = new double[5];
        double[] expectedSigned = new double[5];
        for (double[] row : xs) {
            for (int i = 0; i < 5; i++) {
                double d = row[i] - b.getDouble(0, i);
                expectedAbs[i] += Math.abs(w[i]) * Math.abs(d) / xs.length;
                expectedSigned[i] += w[i] * d / xs.length;
            }
        }
        Attributions ig = IntegratedGradients.of(model).withReference(Reference.rows(b)).withSteps(8).attribute(x, Target.index(1));
        Attributions ablation = FeatureAblation.of(model).withReference(Reference.rows(b)).attribute(x, Target.index(1));
        for (Attributions a : new Attributions[]{ig, ablation}) {
            GlobalImportance g = GlobalImportance.of(a);
            assertThat(g.features().rows()).isEqualTo(40);
            assertThat(g.features().meanAbsolute()).as(a.method()).containsExactly(expectedAbs, within(1e-12));
            assertThat(g.features().meanSigned()).as(a.method()).containsExactly(expectedSigned, within(1e-12));
            assertThat(g.perClass()).containsOnlyKeys(1);
            assertThat(g.features().ranking()[0]).isEqualTo(2); // |w_2| = 3 is the largest weight of output 1
        }
    }

    @Test
    void perClassMeansUseOnlyThatClassesRows() {
        INDArray values = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][]{{1, -2}, {3, 4}, {-5, 6}});
        Attributions a = Attributions.builder("test", values).targets(new int[]{0, 1, 0}).build();
        GlobalImportance g = GlobalImportance.of(a);
        assertThat(g.perClass().get(0).meanAbsolute()).containsExactly(3, 4);
        assertThat(g.perClass().get(0).meanSigned()).containsExactly(-2, 2);
        assertThat(g.perClass().get(1).meanSigned()).containsExactly(3, 4);
        assertThat(g.features().meanAbsolute()).containsExactly(3, 4);
        GlobalImportance byLabel = GlobalImportance.of(a, new int[]{2, 2, 2}, "label");
        assertThat(byLabel.perClass()).containsOnlyKeys(2);
        assertThat(byLabel.classKind()).isEqualTo("label");
    }
}
