package dev.explain4j.io;

import dev.explain4j.core.Attributions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttributionsCsvWriterTest {
    @TempDir
    Path dir;

    private static Attributions floatAttributions() {
        return Attributions.builder("saliency", Nd4j.createFromArray(new float[][] {{0.1f, -2f, 3.5e-7f}, {4f, 0f, -0.25f}}))
                .targets(new int[] {0, 2})
                .build();
    }

    @Test
    void writesOneRowPerInputRowUnderTheInputsHeader() throws IOException {
        Path out = dir.resolve("a.csv");

        AttributionsCsvWriter.write(floatAttributions(), Optional.of(List.of("x", "y, z", "w")), out);

        assertThat(Files.readAllLines(out)).containsExactly("x,\"y, z\",w", "0.1,-2.0,3.5E-7", "4.0,0.0,-0.25");
    }

    @Test
    void roundTripsThroughTheInputReader() {
        Path out = dir.resolve("a.csv");
        Attributions attributions = floatAttributions();

        AttributionsCsvWriter.write(attributions, Optional.of(List.of("a", "b", "c")), out);
        InputTable back = CsvInputReader.anyWidth().read(out);

        assertThat(back.featureNames()).contains(List.of("a", "b", "c"));
        // float values are written in float's shortest form, which reads back as the same float
        assertThat(back.toArray(DataType.FLOAT)).isEqualTo(attributions.values());
    }

    @Test
    void roundTripsDoublesExactly() {
        Path out = dir.resolve("d.csv");
        double[][] values = {{Math.PI, -1e-300, 1.0 / 3}};
        Attributions attributions = Attributions.builder("gradient", Nd4j.createFromArray(values)).build();

        AttributionsCsvWriter.write(attributions, out);

        assertThat(CsvInputReader.anyWidth().read(out).toMatrix()).isEqualTo(values);
    }

    @Test
    void flattensImageRowsRowMajor() throws IOException {
        Path out = dir.resolve("img.csv");
        // one sample of shape [2, 2, 1]: the flattened order is (0,0), (0,1), (1,0), (1,1)
        Attributions attributions = Attributions.builder("saliency",
                Nd4j.createFromArray(new double[] {1, 2, 3, 4}).reshape(1, 2, 2, 1)).build();

        AttributionsCsvWriter.write(attributions, out);

        assertThat(Files.readAllLines(out)).containsExactly("1.0,2.0,3.0,4.0");
    }

    @Test
    void refusesHeaderOfTheWrongWidthAndWritesNothing() {
        Path out = dir.resolve("a.csv");

        assertThatThrownBy(() -> AttributionsCsvWriter.write(floatAttributions(), Optional.of(List.of("a", "b")), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the header has 2 names but each row has 3 attribution values; expected one name per value");
        assertThat(out).doesNotExist();
    }

    @Test
    void reportsAnUnwritableDestinationInOneLine() {
        Path out = dir.resolve("no/such/dir/a.csv");

        assertThatThrownBy(() -> AttributionsCsvWriter.write(floatAttributions(), out))
                .isInstanceOf(OutputFileException.class)
                .hasMessage("cannot write " + out + ": directory " + dir.resolve("no/such/dir") + " does not exist");
    }
}
