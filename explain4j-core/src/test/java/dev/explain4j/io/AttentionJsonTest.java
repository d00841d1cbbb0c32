package dev.explain4j.io;

import dev.explain4j.core.Attributions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The attention extra: written per layer with its shape, read back to the last bit, and the file is the same. */
class AttentionJsonTest {
    @TempDir
    Path dir;

    @Test
    void attentionWeightsRoundTripPerLayerInOrder() throws IOException {
        Map<String, INDArray> attention = new LinkedHashMap<>();
        attention.put("summary", Nd4j.createFromArray(new float[]{0.25f, 0.75f, 1f, 0f}).reshape(2, 1, 1, 2));
        attention.put("attention", Nd4j.linspace(DataType.FLOAT, 1, 16, 1).divi(10).reshape(2, 2, 2, 2));
        Attributions original = Attributions.builder("saliency", Nd4j.createFromArray(new float[]{1, 2, 3, 4}).reshape(2, 2))
                .build().withAttention(attention);
        Path first = dir.resolve("attention.json");
        AttributionsJsonWriter.write(original, first);
        String text = Files.readString(first);
        assertThat(text).contains("\"attention\" : {").contains("\"summary\" : {").contains("\"weights\" : [ [ 0.25, 0.75 ], [ 1.0, 0.0 ] ]");

        Attributions back = AttributionsJsonReader.read(first).attributions();
        assertThat(back.attention().orElseThrow().keySet()).containsExactly("summary", "attention");
        back.attention().get().forEach((layer, weights) -> assertThat(weights).as(layer).isEqualTo(attention.get(layer)));
        Path second = dir.resolve("again.json");
        AttributionsJsonWriter.write(back, second);
        assertThat(Files.readString(second)).isEqualTo(text);
        assertThat(back.withValues(back.values().mul(2)).attention()).isPresent();
    }

    @Test
    void weightsOfAnotherRowCountAreRefusedNamingTheLayer() {
        Attributions a = Attributions.builder("saliency", Nd4j.zeros(DataType.FLOAT, 3, 2)).build();
        assertThatThrownBy(() -> a.withAttention(Map.of("attention", Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2))))
                .hasMessage("attention weights of layer 'attention' have shape [2, 1, 2, 2], expected [3, heads, queries, keys]");
        assertThat(a.attention()).isEmpty();
    }
}
