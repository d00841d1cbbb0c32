package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** Which output index to explain for each row: the predicted one, a fixed one, or one given per row. */
public final class Target {
    private static final Target PREDICTED = new Target(null, -1);
    private final int[] perRow;
    private final int fixed;

    private Target(int[] perRow, int fixed) {
        this.perRow = perRow;
        this.fixed = fixed;
    }

    /** The arg-max output of each row. */
    public static Target predicted() {
        return PREDICTED;
    }

    /** The same output index for every row (a class, or a regression unit). */
    public static Target index(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("target index must be ≥ 0, got " + index);
        }
        return new Target(null, index);
    }

    /** One output index per row. */
    public static Target perRow(int... indices) {
        return new Target(indices.clone(), -1);
    }

    /**
     * A target as people write it (command line, Spark parameter): {@code predicted}, an output index, or one of
     * {@code classNames} (exact spelling). The one parser of target text, so every front end accepts the same words.
     *
     * @param classNames the model's outputs by index; empty when none are known
     * @throws IllegalArgumentException "target 'TEXT': expected ..." naming what is accepted
     */
    public static Target parse(String text, java.util.List<String> classNames) {
        return parse("target", text, classNames);
    }

    /** As {@link #parse(String, java.util.List)}, the message naming {@code option} as the caller spells it. */
    public static Target parse(String option, String text, java.util.List<String> classNames) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("predicted")) {
            return predicted();
        }
        int named = classNames.indexOf(trimmed);
        if (named >= 0) {
            return index(named);
        }
        if (trimmed.matches("\\d{1,9}")) {
            return index(Integer.parseInt(trimmed));
        }
        throw new IllegalArgumentException(option + " '" + text + "': expected 'predicted', an output index"
                + (classNames.isEmpty() ? " (no class names are known)"
                : " or a class name " + classNames));
    }

    /** The fixed output index, when this target is one index for every row. */
    public java.util.OptionalInt fixedIndex() {
        return perRow == null && !isPredicted() ? java.util.OptionalInt.of(fixed) : java.util.OptionalInt.empty();
    }

    public boolean isPredicted() {
        return this == PREDICTED;
    }

    /**
     * The index per row, checked against the outputs.
     *
     * @param outputs [rows, outputSize] the model's outputs for the rows being explained
     */
    public int[] resolve(INDArray outputs) {
        return resolve(outputs, 0);
    }

    /**
     * As {@link #resolve(INDArray)}, for a chunk of a larger batch.
     *
     * @param firstRow the chunk's first row in the whole batch; error messages count rows from there
     */
    public int[] resolve(INDArray outputs, int firstRow) {
        int rows = (int) outputs.size(0);
        int outputSize = (int) outputs.size(1);
        checkRows(rows);
        int[] indices;
        if (isPredicted()) {
            indices = outputs.argMax(1).toIntVector();
        } else if (perRow == null) {
            indices = new int[rows];
            Arrays.fill(indices, fixed);
        } else {
            indices = perRow.clone();
        }
        for (int row = 0; row < rows; row++) {
            if (indices[row] < 0 || indices[row] >= outputSize) {
                throw new IllegalArgumentException("target " + indices[row] + " of row " + (firstRow + row)
                        + " is out of range: the model has " + outputSize + " outputs (0.." + (outputSize - 1) + ")");
            }
        }
        return indices;
    }

    /** Fails unless this target fits a batch of {@code rows} rows. */
    public void checkRows(int rows) {
        if (perRow != null && perRow.length != rows) {
            throw new IllegalArgumentException("got " + perRow.length + " targets for " + rows + " rows; expected one per row");
        }
    }

    /** The part of this target that applies to rows [from, to) of the batch. */
    public Target rows(int from, int to) {
        return perRow == null ? this : new Target(Arrays.copyOfRange(perRow, from, to), -1);
    }

    /** The part of this target that applies to the given rows of the batch, in their order. */
    public Target select(int[] rows) {
        if (perRow == null) {
            return this;
        }
        int[] selected = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = perRow[rows[i]];
        }
        return new Target(selected, -1);
    }

    /** This target with each row's entry repeated {@code times} times in a row (for stacked copies of the rows). */
    public Target repeatRows(int times) {
        if (perRow == null) {
            return this;
        }
        int[] repeated = new int[perRow.length * times];
        for (int i = 0; i < repeated.length; i++) {
            repeated[i] = perRow[i / times];
        }
        return new Target(repeated, -1);
    }

    @Override
    public String toString() {
        return isPredicted() ? "predicted" : perRow == null ? Integer.toString(fixed) : Arrays.toString(perRow);
    }
}
