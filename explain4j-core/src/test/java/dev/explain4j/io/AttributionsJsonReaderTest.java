package dev.explain4j.io;

import dev.explain4j.core.Attributions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writer → reader → writer: every field comes back, to the last bit, and the second file is the first. */
class AttributionsJsonReaderTest {
    @TempDir
    Path dir;

    private static Attributions floats() {
        return Attributions.builder("integrated-gradients",
                        Nd4j.createFromArray(new float[] {0.5f, -0.125f, 0.1f, 0f, 2f, 3f, 1f / 3f, -1f}).reshape(2, 2, 2))
                .parameter("steps", 50)
                .parameter("integration", "gausslegendre")
                .targets(new int[] {1, 0})
                .targetOutputs(new double[] {0.9, 0.6})
                .referenceOutputs(new double[] {0.1, 0.2})
                .completenessDelta(new double[] {1e-4, -2e-5})
                .stepsUsed(new int[] {16, 32})
                .intercepts(new double[] {0.25, -0.5}).fitScores(new double[] {0.75, 0.5})
                .localPredictions(new double[] {0.875, 0.125})
                .seed(7)
                .build();
    }

    @Test
    void readsBackEveryFieldTheWriterWrote() throws IOException {
        Path first = dir.resolve("a.json");
        Attributions original = floats();
        AttributionsJsonWriter.write(original, Optional.of(List.of("a", "b", "c", "d")), first);

        AttributionsJsonReader.Contents read = AttributionsJsonReader.read(first);
        Attributions back = read.attributions();

        assertThat(back.method()).isEqualTo("integrated-gradients");
        assertThat(back.parameters()).containsExactlyEntriesOf(original.parameters());
        assertThat(back.seed()).contains(7L);
        assertThat(back.shape()).containsExactly(2, 2, 2);
        assertThat(back.values().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(back.values()).isEqualTo(original.values());
        assertThat(back.targets().orElseThrow()).containsExactly(1, 0);
        assertThat(back.targetOutputs().orElseThrow()).containsExactly(0.9, 0.6);
        assertThat(back.referenceOutputs().orElseThrow()).containsExactly(0.1, 0.2);
        assertThat(back.completenessDelta().orElseThrow()).containsExactly(1e-4, -2e-5);
        assertThat(back.stepsUsed().orElseThrow()).containsExactly(16, 32);
        assertThat(back.intercepts().orElseThrow()).containsExactly(0.25, -0.5);
        assertThat(back.fitScores().orElseThrow()).containsExactly(0.75, 0.5);
        assertThat(back.localPredictions().orElseThrow()).containsExactly(0.875, 0.125);
        assertThat(read.featureNames()).contains(List.of("a", "b", "c", "d"));

        Path second = dir.resolve("b.json");
        AttributionsJsonWriter.write(back, read.featureNames(), second);
        assertThat(Files.readString(second)).isEqualTo(Files.readString(first));
    }

    @Test
    void doublesStayDoublesToTheLastBitAndAbsentFieldsStayAbsent() {
        double[] values = {Math.PI, -Math.E / 7, 1e-17, Math.sqrt(2)};
        Attributions original = Attributions.builder("saliency", Nd4j.createFromArray(values).reshape(2, 2)).build();
        Path file = dir.resolve("d.json");
        AttributionsJsonWriter.write(original, file);

        AttributionsJsonReader.Contents read = AttributionsJsonReader.read(file);

        assertThat(read.attributions().values().dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(read.attributions().values().reshape(-1).toDoubleVector()).containsExactly(values);
        assertThat(read.attributions().targets()).isEmpty();
        assertThat(read.attributions().referenceOutputs()).isEmpty();
        assertThat(read.attributions().seed()).isEmpty();
        assertThat(read.featureNames()).isEmpty();
    }

    @Test
    void readsAHandWrittenFileByItsKebabCaseKeys() throws IOException {
        Path file = Files.writeString(dir.resolve("k.json"), "{\"method\":\"kernel-shap\",\"shape\":[1,2],"
                + "\"feature-names\":[\"p\",\"q\"],\"reference-outputs\":[0.25],\"attributions\":[[1.5,-0.5]]}");
        AttributionsJsonReader.Contents read = AttributionsJsonReader.read(file);
        assertThat(read.attributions().referenceOutputs().orElseThrow()).containsExactly(0.25);
        assertThat(read.featureNames()).contains(List.of("p", "q"));
    }

    @Test
    void tokensComeBackPerRowWithPaddingAsNullAndTheFileIsTheSame() throws IOException {
        List<List<String>> tokens = List.of(Arrays.asList(null, "free", "mon\"ey<b>"), List.of("a", "b", "c"));
        Attributions original = Attributions.builder("occlusion", Nd4j.createFromArray(new float[] {0, 1, 2, 3, 4, 5})
                .reshape(2, 3)).build().withTokens(tokens);
        Path first = dir.resolve("tokens.json");
        AttributionsJsonWriter.write(original, first);
        assertThat(Files.readString(first)).contains("\"tokens\" : [ [ null, \"free\", \"mon\\\"ey<b>\" ], [ \"a\", \"b\", \"c\" ] ]");
        Attributions back = AttributionsJsonReader.read(first).attributions();
        assertThat(back.tokens()).contains(tokens);
        Path second = dir.resolve("tokens-again.json");
        AttributionsJsonWriter.write(back, second);
        assertThat(Files.readString(second)).isEqualTo(Files.readString(first));
        assertThat(floats().tokens()).isEmpty();

        Path wrongWidth = Files.writeString(dir.resolve("w.json"),
                "{\"method\":\"m\",\"shape\":[1,2],\"tokens\":[[\"a\"]],\"attributions\":[[1,2]]}");
        assertThatThrownBy(() -> AttributionsJsonReader.read(wrongWidth))
                .hasMessage(wrongWidth + ": tokens of row 1 are 1, expected one per value (2)");
        Path notStrings = Files.writeString(dir.resolve("ns.json"),
                "{\"method\":\"m\",\"shape\":[1,1],\"tokens\":[[3]],\"attributions\":[[1]]}");
        assertThatThrownBy(() -> AttributionsJsonReader.read(notStrings))
                .hasMessage(notStrings + ": key 'tokens': row 1: expected strings or null, got 3");
    }

    @Test
    void refusesMalformedFilesNamingFileAndKey() throws IOException {
        Path missing = dir.resolve("none.json");
        assertThatThrownBy(() -> AttributionsJsonReader.read(missing)).hasMessageContaining("none.json: no such file");
        Path notJson = Files.writeString(dir.resolve("x.json"), "method,shape\n");
        assertThatThrownBy(() -> AttributionsJsonReader.read(notJson)).hasMessageStartingWith(notJson + ": not JSON");
        Path shortRow = Files.writeString(dir.resolve("s.json"), "{\"method\":\"m\",\"shape\":[1,3],\"attributions\":[[1,2]]}");
        assertThatThrownBy(() -> AttributionsJsonReader.read(shortRow))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 'attributions': row 1 has 2 values, expected 3");
        Path noShape = Files.writeString(dir.resolve("n.json"), "{\"method\":\"m\",\"attributions\":[[1,2]]}");
        assertThatThrownBy(() -> AttributionsJsonReader.read(noShape)).hasMessageContaining("key 'shape': missing");
        Path badTargets = Files.writeString(dir.resolve("t.json"),
                "{\"method\":\"m\",\"shape\":[1,1],\"targets\":[1,2],\"attributions\":[[1]]}");
        assertThatThrownBy(() -> AttributionsJsonReader.read(badTargets)).hasMessageContaining("targets has 2 entries");
    }
}
