package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DeletionInsertionTest {

    @Test
    void integratedGradientsDeletesTheDigitFasterThanRandomAttributionsOnEverySample() {
        NetworkModel model = DigitsFixture.model();
        INDArray x = DigitsFixture.samples(model);
        Attributions ig = IntegratedGradients.of(model).attribute(x, Target.predicted());
        Random random = new Random(17);
        INDArray noise = Nd4j.create(DataType.DOUBLE, x.shape());
        for (long i = 0; i < noise.length(); i++) {
            noise.putScalar(i, random.nextGaussian());
        }
        Attributions randomAttributions = ig.withValues(noise.castTo(ig.values().dataType()));
        DeletionInsertion metric = DeletionInsertion.of(model);
        DeletionInsertion.Result igCurves = metric.compute(x, ig);
        DeletionInsertion.Result randomCurves = metric.compute(x, randomAttributions);
        System.out.println("deletion AUC, IG:     " + Arrays.toString(round(igCurves.deletionAuc())));
        System.out.println("deletion AUC, random: " + Arrays.toString(round(randomCurves.deletionAuc())));
        System.out.println("insertion AUC, IG:     " + Arrays.toString(round(igCurves.insertionAuc())));
        System.out.println("insertion AUC, random: " + Arrays.toString(round(randomCurves.insertionAuc())));
        assertThat(igCurves.steps()).isEqualTo(64);
        for (int r = 0; r < x.size(0); r++) {
            assertThat(igCurves.deletionAuc()[r]).as("row %d", r).isLessThan(randomCurves.deletionAuc()[r]);
            // both curves start at f(x) and end at f(baseline), whatever the order
            assertThat(igCurves.deletion()[r][0]).isEqualTo(randomCurves.deletion()[r][0], within(1e-6));
            assertThat(igCurves.insertion()[r][64]).isEqualTo(igCurves.deletion()[r][0], within(1e-6));
        }
        assertThat(igCurves.meanInsertionAuc()).isGreaterThan(randomCurves.meanInsertionAuc());
    }

    @Test
    void curvesFollowTheAttributionOrderOnASumModel() {
        // f = x0 + x1 + x2 on x = (1, 2, 3), baseline 0, attribution order 2, 0, 1
        ExplainableModel sum = ExplainableModel.of(b -> b.sum(true, 1), new long[]{3}, 1, DataType.DOUBLE);
        INDArray x = Nd4j.createFromArray(new double[][]{{1, 2, 3}});
        Attributions a = Attributions.builder("hand", Nd4j.createFromArray(new double[][]{{5, 1, 9}})).targets(new int[]{0}).build();
        DeletionInsertion.Result r = DeletionInsertion.of(sum).compute(x, a);
        assertThat(r.deletion()[0]).containsExactly(6, 3, 2, 0);
        assertThat(r.insertion()[0]).containsExactly(0, 3, 4, 6);
        assertThat(r.deletionAuc()[0]).isEqualTo((6 + 3 + 3 + 2 + 2 + 0) / 6.0, within(1e-12));
    }

    @Test
    void curvesMoveTowardsTheResultsReferenceRowByRowUnlessAnotherIsGiven() {
        // f = x0 + x1 + x2; row 0 from (1, 2, 3) towards its reference (0, 1, 1), row 1 from (4, 4, 4) towards (2, 2, 2)
        ExplainableModel sum = ExplainableModel.of(b -> b.sum(true, 1), new long[]{3}, 1, DataType.DOUBLE);
        INDArray x = Nd4j.createFromArray(new double[][]{{1, 2, 3}, {4, 4, 4}});
        Reference perRow = Reference.rows(Nd4j.createFromArray(new double[][]{{0, 1, 1}, {2, 2, 2}}));
        Attributions a = Attributions.builder("hand", Nd4j.createFromArray(new double[][]{{5, 1, 9}, {1, 3, 2}}))
                .targets(new int[]{0, 0}).reference(perRow).build();
        DeletionInsertion.Result r = DeletionInsertion.of(sum).compute(x, a);
        // row 0 order 2, 0, 1: 6 → 1+2+1 → 0+2+1 → 0+1+1; row 1 order 1, 2, 0: 12 → 10 → 8 → 6
        assertThat(r.deletion()[0]).containsExactly(6, 4, 3, 2);
        assertThat(r.insertion()[0]).containsExactly(2, 4, 5, 6);
        assertThat(r.deletion()[1]).containsExactly(12, 10, 8, 6);
        assertThat(DeletionInsertion.of(sum).referenceFor(a)).isSameAs(perRow);
        // given a reference, it replaces the result's; a result without one deletes to zeros
        DeletionInsertion.Result zeros = DeletionInsertion.of(sum).withReference(Reference.zeros()).compute(x, a);
        assertThat(zeros.deletion()[1]).containsExactly(12, 8, 4, 0);
        Attributions bare = Attributions.builder("hand", a.values()).targets(new int[]{0, 0}).build();
        assertThat(DeletionInsertion.of(sum).compute(x, bare).deletion()[0]).containsExactly(6, 3, 2, 0);
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(e -> Math.round(e * 1000) / 1000.0).toArray();
    }
}
