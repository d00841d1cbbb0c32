package dev.explain4j.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.core.Attributions;
import dev.explain4j.global.GlobalAnalysis;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.io.JsonFiles;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "The Java equivalent of {@code explain4j global}" program, on explain4j-core alone, and what it
 * prints holds up.
 */
class GlobalAnalysisUseTest {

    @Test
    void theReadmeGlobalProgramRunsOnCoreAlone() throws Exception {
        NetworkModel model = ModelLoader.load(Path.of("models/iris-mlp.zip"), null);
        InputTable table = CsvInputReader.anyWidth().read(Path.of("models/iris-samples.csv"));
        INDArray rows = table.toArray(model.dataType());
        int[] labels = {0, 0, 0, 1, 1, 1, 2, 2, 2}; // optional: the true classes
        Attributions local = IntegratedGradients.of(model).attribute(rows, Target.predicted());
        GlobalAnalysis.Result global = GlobalAnalysis.of(model).withFeatureNames(table.featureNames().orElse(null))
                .withClusters(3).withMaxDepth(4).withSeed(0).analyse(rows, local, labels);
        System.out.print(global.surrogate().orElseThrow().describe());
        System.out.println(JsonFiles.toJson(global.toMap()));

        // the shipped MLP leans on the petals, as the CLI's global run on these rows reports (petal length first)
        assertThat(global.importance().features().ranking()[0]).isEqualTo(2);
        assertThat(global.clusterings()).hasSize(2);
        assertThat(global.surrogate().orElseThrow().describe()).contains("petal").contains("fidelity");
        // the network classifies all nine rows right, so shuffling a column can only lose accuracy
        assertThat(global.permutationImportance().orElseThrow().baselineScore()).isEqualTo(1.0);
        assertThat(java.util.Arrays.stream(global.permutationImportance().orElseThrow().mean()).min().orElseThrow())
                .isNotNegative();
        assertThat(new ObjectMapper().readTree(JsonFiles.toJson(global.toMap()))
                .get("first-layer-weights").get("per-output")).hasSize(16);
    }
}
