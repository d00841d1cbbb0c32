package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.ExactShapley;
import dev.explain4j.testing.Networks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CompletenessTest {

    @Test
    void readsTheIgDeltaAndComputesTheShapleyEfficiencyGap() {
        NetworkModel mlp = NetworkModel.of(Networks.mlp());
        INDArray x = Networks.randomInput(2, 5, 5);
        Attributions ig = IntegratedGradients.of(mlp).attribute(x, Target.predicted());
        Completeness c = Completeness.of(ig).orElseThrow();
        assertThat(c.kind()).isEqualTo("completeness-delta");
        assertThat(c.gap()).containsExactly(ig.completenessDelta().orElseThrow(), within(1e-6));
        Attributions shapley = ExactShapley.of(mlp).withReference(Reference.rows(Nd4j.zeros(x.dataType(), 1, 5)))
                .attribute(x, Target.predicted());
        Completeness gap = Completeness.of(shapley).orElseThrow();
        assertThat(gap.kind()).isEqualTo("efficiency-gap");
        assertThat(gap.maxAbs()).isLessThan(1e-9);
        // attributions that do not add up are caught
        Attributions halved = shapley.withValues(shapley.values().mul(0.5));
        assertThat(Completeness.of(halved).orElseThrow().maxAbs()).isGreaterThan(1e-3);
        assertThat(Completeness.of(Attributions.builder("bare", x).build())).isEmpty();
    }
}
