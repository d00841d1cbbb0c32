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

    /** The classes of {@link #spam}: 0 ham, 1 spam. */
    public static final List<String> SPAM_CLASSES = List.of("ham", "spam");

    /** Mails as one line of text each and their class, 0 ham or 1 spam. */
    public record Mails(List<String> texts, int[] labels) {
    }

    /**
     * 3000 mails of the SpamAssassin corpus, 1500 of each class: the subject and the first words of the body, from
     * {@code spam.tsv} (label, tab, text).
     */
    public static Mails spam(Path dataDirectory) {
        Path file = dataDirectory.resolve("spam.tsv");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> texts = new ArrayList<>(lines.size());
        int[] labels = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split("\t", 2);
            labels[i] = fields.length == 2 ? SPAM_CLASSES.indexOf(fields[0]) : -1;
            if (labels[i] < 0) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": expected 'spam' or 'ham', a tab, the text");
            }
            texts.add(fields[1]);
        }
        return new Mails(List.copyOf(texts), labels);
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
