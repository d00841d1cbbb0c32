package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.LayerGradientXActivation;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.Networks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QualityReportTest {
    private final NetworkModel mlp = NetworkModel.of(Networks.mlp());
    private final INDArray x = Networks.randomInput(71, 6, 5);

    @Test
    void figuresAreTheMetricsEvaluatedAgainstTheResultsReference() {
        Reference perRow = Reference.rows(Networks.randomInput(72, 6, 5));
        IntegratedGradients ig = IntegratedGradients.of(mlp).withSteps(16).withReference(perRow);
        Attributions result = ig.attribute(x, Target.predicted());
        QualityReport.Figures figures = QualityReport.of(mlp, ig).withSeed(5).compute(x, result);
        Map<String, double[]> perRowFigures = figures.perRow();
        assertThat(perRowFigures).containsOnlyKeys("completeness-delta", "infidelity", "max-sensitivity", "deletion-auc",
                "insertion-auc");
        assertThat(figures.reference()).isEqualTo("rows");
        assertThat(figures.perturbation()).isEqualTo("along-reference");
        assertThat(perRowFigures.get("completeness-delta")).containsExactly(result.completenessDelta().orElseThrow(), within(1e-9));
        assertThat(perRowFigures.get("infidelity")).containsExactly(Infidelity.of(mlp).withSeed(5).withReference(perRow)
                .withPerturbation(Infidelity.Perturbation.ALONG_REFERENCE).compute(x, result));
        assertThat(perRowFigures.get("max-sensitivity")).containsExactly(MaxSensitivity.of(mlp, ig).withSeed(5).compute(x, result));
        DeletionInsertion.Result curves = DeletionInsertion.of(mlp).withReference(perRow).compute(x, result);
        assertThat(perRowFigures.get("deletion-auc")).containsExactly(curves.deletionAuc());
        assertThat(perRowFigures.get("insertion-auc")).containsExactly(curves.insertionAuc());
        // against zeros the same attributions get other figures
        QualityReport.Figures zeros = QualityReport.of(mlp, ig).withSeed(5).withReference(Reference.zeros()).compute(x, result);
        assertThat(zeros.reference()).isEqualTo("zero");
        assertThat(zeros.perRow().get("deletion-auc")).isNotEqualTo(perRowFigures.get("deletion-auc"));
        // the JSON tree: kebab-case keys, completeness as its mean |gap|
        Map<String, Object> json = figures.toMap();
        assertThat(json).containsEntry("method", "integrated-gradients").containsEntry("reference", "rows")
                .containsEntry("infidelity-perturbation", "along-reference");
        @SuppressWarnings("unchecked")
        Map<String, Object> completeness = (Map<String, Object>) json.get("completeness-delta");
        assertThat(completeness).containsOnlyKeys("mean-abs", "per-row");
        double meanAbs = java.util.Arrays.stream(result.completenessDelta().orElseThrow()).map(Math::abs).average().orElseThrow();
        assertThat((Double) completeness.get("mean-abs")).isCloseTo(meanAbs, within(1e-9));
        assertThat(figures.means().get("deletion-auc")).isEqualTo(curves.meanDeletionAuc(), within(1e-15));
    }

    @Test
    void aResultWithoutReferenceIsPerturbedLocallyAndALayerResultGetsANote() {
        Saliency saliency = Saliency.signed(mlp);
        QualityReport.Figures gradient = QualityReport.of(mlp, saliency).compute(x, saliency.attribute(x, Target.index(0)));
        assertThat(gradient.perturbation()).isEqualTo("local");
        assertThat(gradient.reference()).isEqualTo("zero");
        assertThat(gradient.perRow()).containsOnlyKeys("infidelity", "max-sensitivity", "deletion-auc", "insertion-auc");
        LayerGradientXActivation layer = LayerGradientXActivation.of(mlp, "layer0");
        QualityReport.Figures none = QualityReport.of(mlp, layer).compute(x, layer.attribute(x, Target.index(0)));
        assertThat(none.perRow()).isEmpty();
        assertThat(none.note()).contains("not shaped like the input");
        assertThat(none.toMap()).containsOnlyKeys("method", "note");
    }
}
