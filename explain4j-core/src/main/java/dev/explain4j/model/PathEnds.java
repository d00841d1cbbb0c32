package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * The ends of straight paths as rows of two arrays: path p runs from {@code baselines[from[p]]} to
 * {@code inputs[to[p]]}. Paths share their ends (Integrated Gradients: one baseline for every row; Expected
 * Gradients: a few background rows and input rows for thousands of single-point paths), so a linear first layer is
 * computed once per distinct end row instead of once per path.
 *
 * @param baselines [baseline rows, ...]
 * @param inputs    [input rows, ...], the same row shape
 * @param from      baseline row of each path
 * @param to        input row of each path
 */
public record PathEnds(INDArray baselines, INDArray inputs, int[] from, int[] to) {

    public PathEnds {
        Objects.requireNonNull(baselines, "baselines");
        Objects.requireNonNull(inputs, "inputs");
        if (from.length != to.length || from.length == 0) {
            throw new IllegalArgumentException("paths: " + from.length + " baseline indices and " + to.length
                    + " input indices do not describe the same paths");
        }
        checkIndices(from, baselines.size(0), "baseline");
        checkIndices(to, inputs.size(0), "input");
    }

    /** One path per row pair: path p from {@code from[p]} to {@code to[p]}. */
    public static PathEnds pairwise(INDArray from, INDArray to) {
        int[] identity = java.util.stream.IntStream.range(0, (int) from.size(0)).toArray();
        return new PathEnds(from, to, identity, identity.clone());
    }

    private static void checkIndices(int[] indices, long rows, String what) {
        for (int i : indices) {
            if (i < 0 || i >= rows) {
                throw new IllegalArgumentException("path end " + i + " outside the " + rows + " " + what + " rows");
            }
        }
    }

    public int paths() {
        return from.length;
    }

    /** Distinct end rows: baselines plus inputs, as {@link #compact} keeps them. */
    long endRows() {
        return baselines.size(0) + inputs.size(0);
    }

    /** The same paths over only the rows they use, in order of first use. */
    PathEnds compact() {
        int[] newFrom = new int[from.length];
        int[] newTo = new int[to.length];
        INDArray b = usedRows(baselines, from, newFrom);
        INDArray x = usedRows(inputs, to, newTo);
        return new PathEnds(b, x, newFrom, newTo);
    }

    /** Each path's baseline row: [paths, ...]. */
    INDArray starts() {
        return gather(baselines, from);
    }

    /** Each path's input row: [paths, ...]. */
    INDArray ends() {
        return gather(inputs, to);
    }

    /** The same paths with both ends transformed row by row (a preprocessor that reshapes rows, say). */
    PathEnds map(java.util.function.UnaryOperator<INDArray> rows) {
        return new PathEnds(rows.apply(baselines), rows.apply(inputs), from, to);
    }

    /** Rows {@code indices} of {@code rows}, in that order, with the row shape kept. */
    static INDArray gather(INDArray rows, int[] indices) {
        long[] shape = rows.shape().clone();
        if (isIdentity(indices, shape[0])) {
            return rows;
        }
        INDArray flat = rows.reshape('c', shape[0], rows.length() / shape[0]);
        shape[0] = indices.length;
        return Nd4j.pullRows(flat, 1, indices).reshape('c', shape);
    }

    private static boolean isIdentity(int[] indices, long rows) {
        if (indices.length != rows) {
            return false;
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static INDArray usedRows(INDArray rows, int[] indices, int[] remapped) {
        int[] position = new int[(int) rows.size(0)];
        Arrays.fill(position, -1);
        int[] used = new int[Math.min(indices.length, position.length)];
        int count = 0;
        for (int p = 0; p < indices.length; p++) {
            int row = indices[p];
            if (position[row] < 0) {
                position[row] = count;
                used[count++] = row;
            }
            remapped[p] = position[row];
        }
        return gather(rows, Arrays.copyOf(used, count));
    }
}
