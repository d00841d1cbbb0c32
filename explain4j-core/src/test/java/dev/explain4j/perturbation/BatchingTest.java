package dev.explain4j.perturbation;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Reference;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every method runs its perturbations in at most ⌈evaluations / batch size⌉ model calls. */
class BatchingTest {
    private static final double[] W = {1, -2, 3, 0.5, 1.5};
    private static final int ROWS = 3;
    private static final int BG = 4;
    private static final int D = W.length;
    private static final int BATCH = 37;

    private record Case(String name, Function<TestModels.Counted, AttributionMethod> build, long evaluations) {
    }

    @Test
    void modelCallsAreAtMostEvaluationsOverBatchSize() {
        INDArray x = TestModels.gaussian(ROWS, D, 1, 41);
        Reference bg = Reference.distribution(TestModels.gaussian(BG, D, 1, 42));
        Reference training = Reference.distribution(TestModels.gaussian(50, D, 1, 43));
        long coalitions = (1L << D) - 2;
        List<Case> cases = List.of(
                new Case("exact-shapley", m -> ExactShapley.of(m.model()).withReference(bg).withBatchSize(BATCH),
                        ROWS + BG + ROWS * coalitions * BG),
                new Case("kernel-shap", m -> KernelShap.of(m.model()).withReference(bg).withBatchSize(BATCH),
                        ROWS + BG + ROWS * coalitions * BG),
                new Case("shapley-sampling", m -> ShapleySampling.of(m.model()).withReference(bg).withSamples(3).withBatchSize(BATCH),
                        ROWS + BG + ROWS * 6L * (D - 1) * BG),
                new Case("feature-ablation", m -> FeatureAblation.of(m.model()).withBatchSize(BATCH),
                        ROWS + 1 + (long) ROWS * D),
                new Case("occlusion", m -> Occlusion.of(m.model()).withWindow(2).withStrides(1).withBatchSize(BATCH),
                        ROWS + 1 + ROWS * (D - 1L)),
                new Case("lime", m -> Lime.of(m.model(), training).withSamples(300).withBatchSize(BATCH),
                        ROWS + ROWS * 300L));
        for (Case c : cases) {
            TestModels.Counted counted = TestModels.linear(W, 0);
            c.build().apply(counted).attribute(x, Target.index(0));
            long bound = (c.evaluations() + BATCH - 1) / BATCH;
            System.out.printf("%s: %d evaluations, %d model calls (bound %d)%n", c.name(), c.evaluations(), counted.calls().get(), bound);
            assertThat(counted.calls().get()).as(c.name()).isLessThanOrEqualTo((int) bound).isPositive();
        }
    }

    @Test
    void oneCallWhenTheBatchHoldsEverything() {
        TestModels.Counted counted = TestModels.linear(W, 0);
        KernelShap.of(counted.model()).withReference(Reference.rows(Nd4j.zeros(1, D)))
                .attribute(TestModels.gaussian(ROWS, D, 1, 44), Target.index(0));
        assertThat(counted.calls().get()).isEqualTo(1);
    }

    @Test
    void batchSizeBelowOneIsRejected() {
        TestModels.Counted counted = TestModels.linear(W, 0);
        assertThatThrownBy(() -> KernelShap.of(counted.model()).withBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize").hasMessageContaining("0");
        assertThatThrownBy(() -> new BatchedEvaluator(counted.model(), -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
    }
}
