package dev.explain4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(global.get("importance").get("overall").get("meanAbsolute")).hasSize(4);
        assertThat(global.has("importanceByLabel")).isTrue();
        assertThat(global.get("permutationImportance").get("mean")).hasSize(4);
        assertThat(global.get("firstLayerWeights").get("overall")).hasSize(4);
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("deletionAuc").get("perRow")).hasSize(9);
        assertThat(metrics.get("infidelity").get("mean").asDouble()).isFinite();
        assertThat(run.out()).contains("surrogate tree").contains("metrics:").contains("petal");
        String html = Files.readString(out.resolve("global.html"));
        assertThat(html).contains("Global view").contains("Surrogate decision tree").contains("petal_length_cm ≤")
                .contains("Clusters of rows explained alike").contains("Explanation quality").contains("deletionAuc")
                .contains("id=\"sample-9\"").doesNotContain("id=\"sample-10\"");
    }

    @Test
    void reportWithMetricsShowsAQualityTableAndFiguresPerSample() throws Exception {
        Path out = dir.resolve("report-metrics");
        CliRun run = CliRun.of("report", "--model", IRIS, "--input", IRIS_ROWS, "--methods", "integrated-gradients,saliency",
                "--metrics", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String html = Files.readString(out.resolve("iris-mlp-report.html"));
        assertThat(html).contains("Explanation quality").contains("<br>infidelity = ").contains("<br>maxSensitivity = ");
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
        assertThat(metrics.get("completeness-delta").get("perRow")).hasSize(9);
        assertThat(metrics.get("maxSensitivity").get("perRow")).hasSize(9);
        JsonNode insertion = metrics.get("insertionAuc");
        assertThat(insertion.get("perRow")).hasSize(9);
        double sum = 0;
        for (JsonNode auc : insertion.get("perRow")) {
            sum += auc.asDouble();
        }
        assertThat(insertion.get("mean").asDouble()).isCloseTo(sum / 9, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(run.out()).contains("infidelity").contains("deletionAuc");
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
