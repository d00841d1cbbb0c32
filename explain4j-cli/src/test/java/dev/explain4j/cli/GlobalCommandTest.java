package dev.explain4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.global.GlobalAnalysis;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.metrics.DeletionInsertion;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** `explain4j global` and `explain4j explain --metrics`, in-process: successful runs and bad input. */
class GlobalCommandTest {
    private static final String IRIS = "models/iris-mlp.zip";
    private static final String IRIS_ROWS = "models/iris-samples.csv";

    @TempDir
    static Path dir;

    private static Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void globalWritesImportanceClustersSurrogateAndMetrics() throws Exception {
        Path labels = file("labels.csv", "0\n0\n0\n1\n1\n1\n2\n2\n2\n");
        Path out = dir.resolve("global-iris");
        CliRun run = CliRun.of("global", "--model", IRIS, "--input", IRIS_ROWS, "--labels", labels.toString(), "--baseline", "mean",
                "--clusters", "2", "--out", out.toString());
        System.out.print(run.out());
        assertThat(run.exit()).as(run.err()).isZero();
        for (String name : List.of("importance.png", "importance.csv", "clusters.csv", "surrogate.txt", "metrics.json",
                "global.json", "global.html")) {
            assertThat(out.resolve(name)).as(name).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(out.resolve("importance.csv")).get(0)).startsWith("feature,mean_abs,mean_signed");
        assertThat(Files.readString(out.resolve("surrogate.txt"))).contains("→").contains("fidelity");
        JsonNode global = new ObjectMapper().readTree(out.resolve("global.json").toFile());
        assertThat(global.get("importance").get("overall").get("mean-absolute")).hasSize(4);
        assertThat(global.has("importance-by-label")).isTrue();
        assertThat(global.get("permutation-importance").get("mean")).hasSize(4);
        assertThat(global.get("first-layer-weights").get("overall")).hasSize(4);
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("deletion-auc").get("per-row")).hasSize(9);
        assertThat(metrics.get("infidelity").get("mean").asDouble()).isFinite();
        assertThat(run.out()).contains("surrogate tree").contains("metrics:").contains("petal");
        String html = Files.readString(out.resolve("global.html"));
        assertThat(html).contains("Global view").contains("Surrogate decision tree").contains("petal_length_cm ≤")
                .contains("Clusters of rows explained alike").contains("Explanation quality").contains("deletion-auc")
                .contains("id=\"sample-9\"").doesNotContain("id=\"sample-10\"");
    }

    /** The command writes the library's analysis: global.json is GlobalAnalysis' map behind the model and input. */
    @Test
    void globalJsonIsTheLibrarysAnalysisOfTheSameAttributions() throws Exception {
        Path labels = file("labels-library.csv", "0\n0\n0\n1\n1\n1\n2\n2\n2\n");
        Path out = dir.resolve("global-library");
        CliRun run = CliRun.of("global", "--model", IRIS, "--input", IRIS_ROWS, "--labels", labels.toString(), "--clusters", "2",
                "--depth", "3", "--seed", "7", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        NetworkModel model = ModelLoader.load(Path.of(IRIS), null);
        InputTable table = CsvInputReader.anyWidth().read(Path.of(IRIS_ROWS));
        INDArray rows = table.toArray(model.dataType());
        Attributions local = IntegratedGradients.of(model).attribute(rows, Target.predicted());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("model", IRIS);
        expected.put("input", IRIS_ROWS);
        expected.put("class-names", List.of("setosa", "versicolor", "virginica")); // from models/iris-mlp.classes
        expected.putAll(GlobalAnalysis.of(model).withClusters(2).withMaxDepth(3).withSeed(7)
                .withFeatureNames(table.featureNames().orElseThrow()).withClassNames(List.of("setosa", "versicolor", "virginica"))
                .analyse(rows, local, new int[]{0, 0, 0, 1, 1, 1, 2, 2, 2})
                .toMap());
        ObjectMapper json = new ObjectMapper();
        JsonNode written = json.readTree(out.resolve("global.json").toFile());
        assertThat(written).isEqualTo(json.readTree(dev.explain4j.io.JsonFiles.toJson(expected)));
        assertThat(written.get("clusters").get("kmeans").get("seed").asLong()).isEqualTo(7);
    }

    @Test
    void reportWithMetricsShowsAQualityTableAndFiguresPerSample() throws Exception {
        Path out = dir.resolve("report-metrics");
        CliRun run = CliRun.of("report", "--model", IRIS, "--input", IRIS_ROWS, "--methods", "integrated-gradients,saliency",
                "--metrics", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String html = Files.readString(out.resolve("iris-mlp-report.html"));
        assertThat(html).contains("Explanation quality").contains("<br>infidelity = ").contains("<br>max-sensitivity = ");
        // without --metrics the report stays as it was
        Path plain = dir.resolve("report-plain");
        assertThat(CliRun.of("report", "--model", IRIS, "--input", IRIS_ROWS, "--out", plain.toString()).exit()).isZero();
        assertThat(Files.readString(plain.resolve("iris-mlp-report.html"))).doesNotContain("Explanation quality");
    }

    @Test
    void explainWithMetricsWritesTheFiguresBesideTheResult() throws Exception {
        Path out = dir.resolve("ig-metrics.csv");
        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "integrated-gradients", "--metrics",
                "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        System.out.print(run.out());
        assertThat(out).isNotEmptyFile();
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("ig-metrics.metrics.json").toFile());
        assertThat(metrics.get("completeness-delta").get("per-row")).hasSize(9);
        assertThat(metrics.get("max-sensitivity").get("per-row")).hasSize(9);
        JsonNode insertion = metrics.get("insertion-auc");
        assertThat(insertion.get("per-row")).hasSize(9);
        double sum = 0;
        for (JsonNode auc : insertion.get("per-row")) {
            sum += auc.asDouble();
        }
        assertThat(insertion.get("mean").asDouble()).isCloseTo(sum / 9, within(1e-12));
        assertThat(run.out()).contains("infidelity").contains("deletion-auc");
    }

    /**
     * The issue-12 regression: with {@code --baseline rows.csv} the metrics were computed against zeros (the CLI
     * passed only zero or the inputs' mean to them), not against the rows Integrated Gradients integrated from.
     */
    @Test
    void explainMetricsAreEvaluatedAgainstTheBaselineRowsOfTheCsv() throws Exception {
        NetworkModel model = ModelLoader.load(Path.of(IRIS), null).withDataType(DataType.FLOAT);
        INDArray x = CsvInputReader.ofWidth(4, "iris").read(Path.of(IRIS_ROWS)).toArray(DataType.FLOAT);
        // one reference row per input row, far from zero
        INDArray rows = x.mul(0.5).addi(1);
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < rows.size(0); r++) {
            double[] v = rows.getRow(r).castTo(DataType.DOUBLE).toDoubleVector();
            csv.append(java.util.Arrays.stream(v).mapToObj(d -> String.format(Locale.ROOT, "%.9g", d))
                    .collect(java.util.stream.Collectors.joining(","))).append('\n');
        }
        Path baseline = file("rows.csv", csv.toString());
        Path out = dir.resolve("ig-rows.csv");
        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "integrated-gradients",
                "--baseline", baseline.toString(), "--metrics", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("ig-rows.metrics.json").toFile());
        assertThat(metrics.get("reference").asText()).isEqualTo("rows");
        assertThat(metrics.get("infidelity-perturbation").asText()).isEqualTo("along-reference");
        double[] written = new ObjectMapper().convertValue(metrics.get("deletion-auc").get("per-row"), double[].class);

        Reference csvRows = Reference.rows(CsvInputReader.ofWidth(4, "rows").read(baseline).toArray(DataType.FLOAT));
        Attributions ig = IntegratedGradients.of(model).withReference(csvRows).attribute(x, Target.predicted());
        double[] againstRows = DeletionInsertion.of(model).withReference(csvRows).compute(x, ig).deletionAuc();
        double[] againstZeros = DeletionInsertion.of(model).withReference(Reference.zeros()).compute(x, ig).deletionAuc();
        assertThat(written).containsExactly(againstRows, within(1e-12));
        double largest = 0;
        for (int r = 0; r < written.length; r++) {
            largest = Math.max(largest, Math.abs(written[r] - againstZeros[r]));
        }
        assertThat(largest).as("the zero-reference figures differ from the baseline rows' ones").isGreaterThan(0.05);
    }

    @Test
    void metricsOfALayerMethodSayWhyThereAreNone() throws Exception {
        Path out = dir.resolve("layer.json");
        CliRun run = CliRun.of("explain", "--model", "models/digits-cnn.zip", "--input", "models/digits-samples.csv", "--method",
                "layer-gradient-x-activation", "--layer", "conv2", "--metrics", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("metrics none: attributions are not shaped like the input");
        assertThat(new ObjectMapper().readTree(dir.resolve("layer.metrics.json").toFile()).has("note")).isTrue();
    }

    static Stream<Arguments> badInputs() throws IOException {
        return Stream.of(
                Arguments.of("missing model", args("--model", "nope.zip"), "nope.zip"),
                Arguments.of("missing input", args("--input", "nope.csv"), "nope.csv"),
                Arguments.of("wrong width", args("--input", file("wide.csv", "1,2,3,4,5\n").toString()), "wide.csv"),
                Arguments.of("unknown method", args("--method", "shapash"), "unknown method 'shapash'"),
                Arguments.of("layer method", args("--method", "layer-gradient-x-activation"), "--layer"),
                Arguments.of("one cluster", args("--clusters", "1"), "--clusters"),
                Arguments.of("depth zero", args("--depth", "0"), "--depth"),
                Arguments.of("labels of the wrong count", args("--labels", file("few.csv", "0\n1\n").toString()), "few.csv"),
                Arguments.of("label out of range", args("--labels", file("big.csv", "0\n0\n0\n1\n1\n1\n2\n2\n7\n").toString()), "big.csv"),
                Arguments.of("label not a number", args("--labels", file("word.csv", "0\n0\n0\n1\n1\n1\n2\n2\nsetosa\n").toString()), "setosa"),
                Arguments.of("missing labels", args("--labels", "nolabels.csv"), "nolabels.csv"),
                Arguments.of("unknown option", args("--depht", "3"), "--depht"));
    }

    private static String[] args(String... overrides) {
        List<String> base = new ArrayList<>(List.of("global", "--model", IRIS, "--input", IRIS_ROWS,
                "--out", dir.resolve("bad-global").toString()));
        for (int i = 0; i < overrides.length; i += 2) {
            int at = base.indexOf(overrides[i]);
            if (at >= 0) {
                base.set(at + 1, overrides[i + 1]);
            } else {
                base.addAll(List.of(overrides[i], overrides[i + 1]));
            }
        }
        return base.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGetsOneLineExitTwoAndNoOutput(String name, String[] args, String named) {
        CliRun run = CliRun.of(args);
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).as("one line").doesNotContain("\n").contains(named);
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(dir.resolve("bad-global")).doesNotExist();
    }
}
