package dev.explain4j.io;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rows of an input CSV: one sample per row, each flattened row-major in the model's input layout, every value
 * finite, all rows the same width; and the feature names when the file had a header row. Immutable.
 */
public final class InputTable {
    private final String source;
    private final List<String> featureNames;
    private final double[][] rows;
    /** The 1-based line of the file each row was read from, for messages. */
    private final int[] lines;
    private final int width;

    InputTable(String source, List<String> featureNames, List<double[]> rows, int[] lines, int width) {
        this.source = Objects.requireNonNull(source);
        this.featureNames = featureNames == null ? null : List.copyOf(featureNames);
        this.rows = rows.toArray(new double[0][]);
        this.lines = lines.clone();
        this.width = width;
    }

    /** The file (or stream name) the rows came from, for messages. */
    public String source() {
        return source;
    }

    /** The header row's names, one per column, when the file had a header. */
    public Optional<List<String>> featureNames() {
        return Optional.ofNullable(featureNames);
    }

    /** Number of samples (the header not counted). */
    public int rows() {
        return rows.length;
    }

    /** Values per sample. */
    public int width() {
        return width;
    }

    /** A copy of one sample's values. */
    public double[] row(int index) {
        return rows[index].clone();
    }

    /** A copy of all values, [rows][width]. */
    public double[][] toMatrix() {
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }

    /** The values as a [rows, width] array of the given type (float32 is what the models use by default). */
    public INDArray toArray(DataType type) {
        switch (type) {
            case FLOAT -> checkRange("float32", Float.MAX_VALUE);
            case HALF -> checkRange("float16", 65504);
            default -> {
                // double holds every value the reader accepts
            }
        }
        return Nd4j.createFromArray(rows).castTo(type);
    }

    /** Fails unless every value is an integer token id in [0, vocabulary), naming the file, line and column. */
    public void checkTokenIds(long vocabulary) {
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < width; c++) {
                double v = rows[r][c];
                if (v != Math.rint(v) || v < 0 || v >= vocabulary) {
                    throw CsvInputException.ofCell(source, lines[r], c + 1, featureNames == null ? null : featureNames.get(c),
                            v + " is not a token id: the model takes integer ids in [0, " + vocabulary + ")");
                }
            }
        }
    }

    /** A value beyond the type's range would become infinite in the cast; refused where the user can find it. */
    private void checkRange(String typeName, double max) {
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < width; c++) {
                if (Math.abs(rows[r][c]) > max) {
                    throw CsvInputException.ofCell(source, lines[r], c + 1, featureNames == null ? null : featureNames.get(c),
                            rows[r][c] + " is beyond the range of " + typeName + " (±" + max
                                    + "); rescale the input or compute in double precision");
                }
            }
        }
    }

    /** The first {@code columns} values of every row and the rest, e.g. features and a label column. */
    public List<InputTable> splitColumns(int columns) {
        if (columns <= 0 || columns >= width) {
            throw new IllegalArgumentException("cannot split " + width + " columns after column " + columns);
        }
        List<double[]> left = new ArrayList<>(rows.length);
        List<double[]> right = new ArrayList<>(rows.length);
        for (double[] row : rows) {
            left.add(Arrays.copyOfRange(row, 0, columns));
            right.add(Arrays.copyOfRange(row, columns, width));
        }
        List<String> leftNames = featureNames == null ? null : featureNames.subList(0, columns);
        List<String> rightNames = featureNames == null ? null : featureNames.subList(columns, width);
        return List.of(new InputTable(source, leftNames, left, lines, columns),
                new InputTable(source, rightNames, right, lines, width - columns));
    }

    @Override
    public String toString() {
        return "InputTable[" + source + ": " + rows.length + " × " + width
                + (featureNames == null ? "" : ", header " + featureNames) + "]";
    }
}
