package dev.explain4j.models;

import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the data sets in {@code models/data/} (see SOURCES.md there for where they come from). */
public final class ShippedData {
    /** Column names for the iris features, in the file's order; lengths in centimetres. */
    public static final List<String> IRIS_FEATURES =
            List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm");
    public static final List<String> IRIS_CLASSES = List.of("setosa", "versicolor", "virginica");
    public static final int DIGITS_SIDE = 8;

    private ShippedData() {
    }

    /** 150 iris flowers: 4 measurements each, class 0 setosa, 1 versicolor, 2 virginica. */
    public static LabelledData iris(Path dataDirectory) {
        Path file = dataDirectory.resolve("iris.dat");
        InputTable table = CsvInputReader.ofWidth(5, "4 measurements and the class").read(file);
        return labelled(table, IRIS_FEATURES, 3);
    }

    /**
     * 1797 digits: 64 pixel counts 0..16 each, an 8×8 image row-major (pixel (r, c) at index 8r + c); class = digit.
     */
    public static LabelledData digits(Path dataDirectory) {
        Path file = dataDirectory.resolve("digits.csv.gz");
        try (Reader reader = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8)) {
            InputTable table = CsvInputReader.ofWidth(DIGITS_SIDE * DIGITS_SIDE + 1, "64 pixels and the digit")
                    .read(reader, file.toString());
            List<String> names = new ArrayList<>();
            for (int r = 0; r < DIGITS_SIDE; r++) {
                for (int c = 0; c < DIGITS_SIDE; c++) {
                    names.add("pixel_" + r + "_" + c);
                }
            }
            return labelled(table, names, 10);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static LabelledData labelled(InputTable table, List<String> names, int classes) {
        List<InputTable> parts = table.splitColumns(table.width() - 1);
        double[][] features = parts.get(0).toMatrix();
        int[] labels = new int[table.rows()];
        for (int row = 0; row < labels.length; row++) {
            double label = parts.get(1).row(row)[0];
            if (label != Math.rint(label) || label < 0 || label >= classes) {
                throw new IllegalArgumentException(table.source() + ": row " + (row + 1) + " has class " + label
                        + ", expected an integer 0.." + (classes - 1));
            }
            labels[row] = (int) label;
        }
        return new LabelledData(names, features, labels, classes);
    }
}
