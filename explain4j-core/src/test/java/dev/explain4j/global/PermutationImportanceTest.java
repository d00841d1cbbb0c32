package dev.explain4j.global;

import dev.explain4j.model.ExplainableModel;
import dev.explain4j.perturbation.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PermutationImportanceTest {

    @Test
    void ranksTheInformativeFeatureAboveNoise() {
        // label = [x0 > 0]; the model is a logistic function of x0 with a small weight on x1 (noise w.r.t. the label)
        int n = 400;
        INDArray data = TestModels.gaussian(n, 3, 1.0, 51);
        INDArray labels = data.getColumn(0).gt(0).castTo(DataType.DOUBLE);
        ExplainableModel model = ExplainableModel.of(b -> {
            INDArray p = Transforms.sigmoid(b.getColumn(0).mul(4).addi(b.getColumn(1).mul(0.1)), true).reshape(b.size(0), 1);
            return Nd4j.hstack(p.rsub(1), p);
        }, new long[]{3}, 2, DataType.DOUBLE);
        for (PermutationImportance.Metric metric : new PermutationImportance.Metric[]{
                PermutationImportance.Metric.ACCURACY, PermutationImportance.Metric.LOG_LOSS}) {
            PermutationImportance.Result r = PermutationImportance.of(model).withMetric(metric).withRepeats(5).withSeed(7).withBatchSize(500)
                    .compute(data, labels);
            System.out.printf("%s: baseline %.3f, mean drops %s, std %s%n", metric.name(), r.baselineScore(),
                    java.util.Arrays.toString(r.mean()), java.util.Arrays.toString(r.std()));
            assertThat(r.ranking()[0]).isEqualTo(0);
            assertThat(r.mean()[0]).isGreaterThan(10 * Math.abs(r.mean()[1]) + 3 * r.std()[0] / Math.sqrt(5));
            assertThat(r.mean()[2]).isEqualTo(0.0);
            assertThat(r.drops()[0]).hasSize(5);
        }
        PermutationImportance.Result a = PermutationImportance.of(model).withSeed(3).compute(data, labels);
        PermutationImportance.Result b = PermutationImportance.of(model).withSeed(3).compute(data, labels);
        assertThat(a.mean()).containsExactly(b.mean(), within(0.0));
    }
}
