package dev.explain4j.global;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobalAnalysisTest {
    private static final NetworkModel IRIS = ModelLoader.load(Path.of("models/iris-mlp.zip"), null);
    private static final InputTable SAMPLES = CsvInputReader.anyWidth().read(Path.of("models/iris-samples.csv"));
    private static final INDArray ROWS = SAMPLES.toArray(IRIS.dataType());
    private static final List<String> NAMES = SAMPLES.featureNames().orElseThrow();
    private static final int[] LABELS = {0, 0, 0, 1, 1, 1, 2, 2, 2};

    private static Attributions integratedGradients(INDArray rows) {
        return IntegratedGradients.of(IRIS).attribute(rows, Target.predicted());
    }

    /** Each part is what its own class computes with the analysis' settings, the seed passed to every seeded one. */
    @Test
    void partsAreTheirClassesResultsUnderTheSameSettings() {
        Attributions local = integratedGradients(ROWS);
        GlobalAnalysis.Result global = GlobalAnalysis.of(IRIS).withClusters(2).withMaxDepth(3).withSeed(5)
                .withFeatureNames(NAMES).analyse(ROWS, local, LABELS);

        double[][] a = local.values().toDoubleMatrix();
        for (int f = 0; f < 4; f++) {
            double sum = 0;
            for (double[] row : a) {
                sum += Math.abs(row[f]);
            }
            assertThat(global.importance().features().meanAbsolute()[f]).isEqualTo(sum / 9);
        }
        assertThat(global.importance().classKind()).isEqualTo("target");
        GlobalImportance byLabel = global.importanceByLabel().orElseThrow();
        assertThat(byLabel.classKind()).isEqualTo("label");
        assertThat(byLabel.perClass()).containsOnlyKeys(0, 1, 2);
        assertThat(byLabel.perClass().get(1).meanSigned())
                .isEqualTo(GlobalImportance.of(local, LABELS, "label").perClass().get(1).meanSigned());

        assertThat(global.clusterings()).extracting(AttributionClustering.Result::algorithm)
                .containsExactly(AttributionClustering.Algorithm.KMEANS, AttributionClustering.Algorithm.HIERARCHICAL_WARD);
        assertThat(global.clusterings().get(0).seed()).isEqualTo(5);
        assertThat(global.clusterings().get(0).assignments())
                .isEqualTo(AttributionClustering.of(2).withSeed(5).cluster(local).assignments());
        assertThat(global.clusterings().get(1).assignments()).isEqualTo(AttributionClustering.of(2)
                .withAlgorithm(AttributionClustering.Algorithm.HIERARCHICAL_WARD).cluster(local).assignments());

        SurrogateTree.Result tree = global.surrogate().orElseThrow();
        SurrogateTree.Result alone = SurrogateTree.of(IRIS).withMaxDepth(3).withSeed(5).withFeatureNames(NAMES).fit(ROWS);
        assertThat(tree.maxDepth()).isEqualTo(3);
        assertThat(tree.seed()).isEqualTo(5);
        assertThat(tree.describe()).isEqualTo(alone.describe()).contains("petal");

        PermutationImportance.Result permutation = global.permutationImportance().orElseThrow();
        assertThat(permutation.seed()).isEqualTo(5);
        assertThat(permutation.mean()).isEqualTo(PermutationImportance.of(IRIS).withSeed(5)
                .compute(ROWS, Nd4j.createFromArray(LABELS).castTo(DataType.DOUBLE)).mean());

        LinearWeights.Result weights = global.firstLayerWeights().orElseThrow();
        assertThat(weights.overall()).isEqualTo(LinearWeights.of(IRIS).compute(ROWS).overall());
        assertThat(weights.wholeModel()).isFalse();
        assertThat(global.firstLayerWeightsNote()).isEmpty();

        assertThat(global.toMap()).containsOnlyKeys("rows", "importance", "importance-by-label", "clusters", "surrogate",
                "permutation-importance", "first-layer-weights");
        assertThat(global.toMap().get("rows")).isEqualTo(9);
    }

    /**
     * Without labels there is no per-label view and no permutation importance; with no more rows than clusters no
     * clustering; under 4 rows no tree; a model that is not a network has no weights, and the map says why.
     */
    @Test
    void leavesOutWhatTheRowsOrTheModelCannotSupport() {
        INDArray three = ROWS.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
        ExplainableModel blackBox = ExplainableModel.of(IRIS::predict, IRIS.inputShape(), IRIS.outputSize(), IRIS.dataType());
        GlobalAnalysis.Result global = GlobalAnalysis.of(blackBox).analyse(three, integratedGradients(three));
        assertThat(global.rows()).isEqualTo(3);
        assertThat(global.importanceByLabel()).isEmpty();
        assertThat(global.permutationImportance()).isEmpty();
        assertThat(global.clusterings()).isEmpty();
        assertThat(global.surrogate()).isEmpty();
        assertThat(global.firstLayerWeights()).isEmpty();
        assertThat(global.toMap()).containsOnlyKeys("rows", "importance", "first-layer-weights")
                .containsEntry("first-layer-weights", "weight analysis needs a DL4J network");

        GlobalAnalysis.Result four = GlobalAnalysis.of(IRIS).withClusters(4)
                .analyse(ROWS.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()),
                        integratedGradients(ROWS.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all())));
        assertThat(four.clusterings()).isEmpty();
        assertThat(four.surrogate()).isPresent();
    }

    /** A result shared between threads stays as computed: its parts hand out copies and unmodifiable lists. */
    @Test
    void partsCannotBeChangedThroughWhatTheyHandOut() {
        GlobalAnalysis.Result global = GlobalAnalysis.of(IRIS).analyse(ROWS, integratedGradients(ROWS), LABELS);
        double meanAbs = global.importance().features().meanAbsolute()[0];
        global.importance().features().meanAbsolute()[0] = 99;
        global.importance().perClass().get(0).meanSigned()[0] = 99;
        global.clusterings().get(0).assignments()[0] = 99;
        global.clusterings().get(0).clusters().get(0).meanAttribution()[0] = 99;
        global.permutationImportance().orElseThrow().drops()[0][0] = 99;
        global.firstLayerWeights().orElseThrow().perOutput()[0][0] = 99;
        assertThat(global.importance().features().meanAbsolute()[0]).isEqualTo(meanAbs);
        assertThat(global.importance().perClass().get(0).meanSigned()[0]).isNotEqualTo(99);
        assertThat(global.clusterings().get(0).assignments()[0]).isNotEqualTo(99);
        assertThat(global.clusterings().get(0).clusters().get(0).meanAttribution()[0]).isNotEqualTo(99);
        assertThat(global.permutationImportance().orElseThrow().drops()[0][0]).isNotEqualTo(99);
        assertThat(global.firstLayerWeights().orElseThrow().perOutput()[0][0]).isNotEqualTo(99);
        assertThatThrownBy(() -> global.importance().perClass().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> global.surrogate().orElseThrow().rules().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> global.clusterings().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesAttributionsOfOtherRowsAndLabelsThatAreNotClasses() {
        GlobalAnalysis analysis = GlobalAnalysis.of(IRIS);
        Attributions local = integratedGradients(ROWS);
        assertThatThrownBy(() -> analysis.analyse(ROWS.get(NDArrayIndex.interval(0, 8), NDArrayIndex.all()), local))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attributions of the input rows");
        assertThatThrownBy(() -> analysis.analyse(ROWS, local, new int[]{0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 labels for 9 rows");
        assertThatThrownBy(() -> analysis.analyse(ROWS, local, new int[]{0, 0, 0, 1, 1, 1, 2, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 8 has label 3");
        assertThatThrownBy(() -> analysis.withClusters(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> analysis.withMaxDepth(21)).isInstanceOf(IllegalArgumentException.class);
    }
}
