package dev.explain4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.core.Attributions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttributionsJsonWriterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static Attributions integratedGradients() {
        return Attributions.builder("integrated-gradients",
                        Nd4j.createFromArray(new float[] {0.5f, -0.125f, 0.1f, 0f, 2f, 3f, 1f, -1f}).reshape(2, 2, 2))
                .parameter("steps", 50)
                .parameter("integration", "gausslegendre")
                .targets(new int[] {1, 0})
                .targetOutputs(new double[] {0.9, 0.6})
                .referenceOutputs(new double[] {0.1, 0.2})
                .completenessDelta(new double[] {1e-4, -2e-5})
                .build();
    }

    @Test
    void writesEveryFieldOfTheAttributions() throws IOException {
        Path out = dir.resolve("ig.json");

        AttributionsJsonWriter.write(integratedGradients(), Optional.of(List.of("a", "b", "c", "d")), out);
        JsonNode json = MAPPER.readTree(out.toFile());

        assertThat(json.get("method").asText()).isEqualTo("integrated-gradients");
        assertThat(json.get("parameters").get("steps").asText()).isEqualTo("50");
        assertThat(json.get("parameters").get("integration").asText()).isEqualTo("gausslegendre");
        assertThat(json.get("seed").isNull()).isTrue();
        assertThat(MAPPER.convertValue(json.get("shape"), long[].class)).containsExactly(2, 2, 2);
        assertThat(MAPPER.convertValue(json.get("feature-names"), String[].class)).containsExactly("a", "b", "c", "d");
        assertThat(MAPPER.convertValue(json.get("targets"), int[].class)).containsExactly(1, 0);
        assertThat(MAPPER.convertValue(json.get("outputs"), double[].class)).containsExactly(0.9, 0.6);
        assertThat(MAPPER.convertValue(json.get("reference-outputs"), double[].class)).containsExactly(0.1, 0.2);
        assertThat(MAPPER.convertValue(json.get("completeness-delta"), double[].class)).containsExactly(1e-4, -2e-5);
        assertThat(json.get("steps-used").isNull()).isTrue();
        assertThat(MAPPER.convertValue(json.get("attributions"), double[][].class))
                .isEqualTo(new double[][] {{0.5, -0.125, 0.1, 0}, {2, 3, 1, -1}});
    }

    @Test
    void keepsTheParametersInTheOrderTheMethodSetThem() throws IOException {
        Path out = dir.resolve("ig.json");

        AttributionsJsonWriter.write(integratedGradients(), out);

        assertThat(MAPPER.readTree(out.toFile()).get("parameters").fieldNames())
                .toIterable().containsExactly("steps", "integration");
    }

    @Test
    void writesNullForWhatTheMethodDoesNotProvideAndForNonFiniteValues() throws IOException {
        Path out = dir.resolve("s.json");
        Attributions attributions = Attributions.builder("shapley-sampling",
                Nd4j.createFromArray(new double[][] {{1.5, Double.NaN}})).seed(42).build();

        AttributionsJsonWriter.write(attributions, out);
        JsonNode json = MAPPER.readTree(out.toFile());

        assertThat(json.get("seed").asLong()).isEqualTo(42);
        for (String absent : List.of("reference", "feature-names", "targets", "outputs", "reference-outputs",
                "completeness-delta", "steps-used", "intercepts", "fit-scores", "local-predictions", "standard-errors")) {
            assertThat(json.has(absent)).as(absent + " present").isTrue();
            assertThat(json.get(absent).isNull()).as(absent + " null").isTrue();
        }
        assertThat(json.get("attributions").get(0).get(0).asDouble()).isEqualTo(1.5);
        assertThat(json.get("attributions").get(0).get(1).isNull()).isTrue();
    }

    @Test
    void writesTheReferenceAndTheTypedExtras() throws IOException {
        Path out = dir.resolve("e.json");
        Attributions attributions = Attributions.builder("lime", Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}))
                .reference(dev.explain4j.core.Reference.mean(Nd4j.ones(3, 2)))
                .standardErrors(Nd4j.createFromArray(new double[][] {{0.5, 0.25}, {0.125, 0}}))
                .intercepts(new double[] {0.1, 0.2}).fitScores(new double[] {0.9, 0.8})
                .localPredictions(new double[] {0.7, 0.6}).build();

        AttributionsJsonWriter.write(attributions, out);
        JsonNode json = MAPPER.readTree(out.toFile());

        assertThat(json.get("reference").asText()).isEqualTo("mean");
        assertThat(MAPPER.convertValue(json.get("standard-errors"), double[][].class))
                .isEqualTo(new double[][] {{0.5, 0.25}, {0.125, 0}});
        assertThat(MAPPER.convertValue(json.get("intercepts"), double[].class)).containsExactly(0.1, 0.2);
        assertThat(MAPPER.convertValue(json.get("fit-scores"), double[].class)).containsExactly(0.9, 0.8);
        assertThat(MAPPER.convertValue(json.get("local-predictions"), double[].class)).containsExactly(0.7, 0.6);
    }

    @Test
    void writesFloatsInTheirShortForm() throws IOException {
        Path out = dir.resolve("f.json");

        AttributionsJsonWriter.write(integratedGradients(), out);

        assertThat(Files.readString(out)).contains("0.1,").doesNotContain("0.10000000149");
    }

    @Test
    void refusesFeatureNamesOfTheWrongCount() {
        Path out = dir.resolve("ig.json");

        assertThatThrownBy(() -> AttributionsJsonWriter.write(integratedGradients(), Optional.of(List.of("a")), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the header has 1 names but each row has 4 attribution values");
        assertThat(out).doesNotExist();
    }

    @Test
    void reportsAnUnwritableDestinationInOneLineAndLeavesNothing() throws IOException {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        Path out = blocker.resolve("ig.json");

        assertThatThrownBy(() -> AttributionsJsonWriter.write(integratedGradients(), out))
                .isInstanceOf(OutputFileException.class)
                .hasMessage("cannot write " + out + ": " + blocker + " is not a directory")
                .message().doesNotContain("\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(blocker);
        }
    }
}
