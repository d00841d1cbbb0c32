package dev.explain4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the stage refuses, by name, before or while it runs; and the job's one-line message for it. */
class BadInputTest {
    private static final double[][] ROWS = Arrays.copyOf(SparkTests.iris(), 12);

    private static AttributionTransformer ig() {
        return new AttributionTransformer().setModelPath("models/iris-mlp.zip").setInputCol("features")
                .setMethod("integrated-gradients");
    }

    @Test
    void anOptionTheMethodWouldIgnoreIsRefusedByName() {
        assertThatThrownBy(() -> ig().setSamples(10).transform(SparkTests.frame(ROWS, 1)))
                .hasMessage("samples does not apply to integrated-gradients; it takes [integration, reference, steps]");
    }

    @Test
    void aMethodWhoseDefaultBackgroundIsTheChunkNeedsOne() {
        AttributionTransformer lime = new AttributionTransformer().setModelPath("models/iris-mlp.zip")
                .setInputCol("features").setMethod("lime");
        assertThatThrownBy(() -> lime.transform(SparkTests.frame(ROWS, 1))).hasMessageStartingWith("lime needs a background on Spark");
    }

    @Test
    void theDriverRefusesWhatTheModelCannotTake() {
        assertThatThrownBy(() -> ig().setTarget(3).transform(SparkTests.frame(ROWS, 1)))
                .hasMessage("target 3 is out of range: the model has 3 outputs (0..2)");
        // the stage parses its target as the command line does (Target.parse)
        assertThatThrownBy(() -> ig().setTarget("setosa").transform(SparkTests.frame(ROWS, 1)))
                .hasMessageStartingWith("target 'setosa': expected 'predicted', an output index");
        assertThatThrownBy(() -> ig().setReferenceRows(new double[]{1, 2, 3}).transform(SparkTests.frame(ROWS, 1)))
                .hasMessageContaining("reference-rows has 3 values, which does not fit the model's input [4]");
        assertThatThrownBy(() -> ig().setInputCol("id").transform(SparkTests.frame(ROWS, 1)))
                .hasMessage("input-col column 'id' has type bigint; expected an ML vector or an array of numbers");
        assertThatThrownBy(() -> ig().setModelPath("models/none.zip").transform(SparkTests.frame(ROWS, 1)))
                .hasMessageStartingWith("model-path models/none.zip cannot be read");
    }

    @Test
    void aRowOfTheWrongWidthIsNamedInTheJobsOneLine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("rows.csv");
        Map<String, String> options = new LinkedHashMap<>(Map.of("model", "models/iris-mlp.zip", "input", csv.toString(),
                "method", "saliency", "out", dir.resolve("out.parquet").toString()));
        Files.writeString(csv, "5.1,3.5,1.4,0.2,7.0\n4.9,3.0,1.4,0.2,7.0\n");
        assertThatThrownBy(() -> ExplainJob.run(SparkTests.spark(), options))
                .satisfies(e -> assertThat(ExplainJob.rootMessage(e)).isEqualTo(
                        "input-col 'features', row 1 of partition 0 has 5 values, which does not fit the model's input [4]"
                                + " (-1 = any size)"));
    }

    @Test
    void theJobWritesParquetAndTheGlobalImportance(@TempDir Path dir) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("model", "models/iris-mlp.zip",
                "input", "models/iris-samples.csv", "header", "true", "method", "integrated-gradients", "steps", "16",
                "out", dir.resolve("ig.parquet").toString(), "global", dir.resolve("global.json").toString()));
        ExplainJob.run(SparkTests.spark(), options);
        Dataset<Row> written = SparkTests.spark().read().parquet(dir.resolve("ig.parquet").toString());
        assertThat(written.count()).isEqualTo(9);
        assertThat(dir.resolve("global.json")).content().contains("\"per-class\"");
    }
}
