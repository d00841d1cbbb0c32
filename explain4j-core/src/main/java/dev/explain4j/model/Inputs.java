package dev.explain4j.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import java.util.Arrays;

/** Checks on user-supplied arrays, with messages that say what was expected. */
public final class Inputs {
    private Inputs() {
    }

    /**
     * Fails unless {@code batch} is [rows ≥ 1, ...rowShape] (a -1 in rowShape accepts any size) and every value is
     * finite; the message names the first offending row and column.
     */
    public static void checkShape(INDArray batch, long[] rowShape, String what) {
        long[] shape = batch.shape();
        boolean ok = shape.length == rowShape.length + 1 && shape[0] >= 1;
        for (int i = 0; ok && i < rowShape.length; i++) {
            ok = rowShape[i] < 0 || rowShape[i] == shape[i + 1];
        }
        if (!ok) {
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape) + ", expected [rows, "
                    + describe(rowShape) + "]");
        }
        checkFinite(batch, what);
    }

    /**
     * Fails on NaN or infinity, naming the row and the (flattened, row-major) column of the first one, both counted
     * from 1 as the command line counts a file's lines and columns.
     */
    public static void checkFinite(INDArray batch, String what) {
        long index = firstNonFinite(batch);
        if (index >= 0) {
            long cols = batch.length() / batch.size(0);
            double value = batch.dup('c').reshape(-1).getDouble(index);
            throw new IllegalArgumentException(what + " has a non-finite value (" + value + ") at row "
                    + (index / cols + 1) + ", column " + (index % cols + 1) + "; every value must be a finite number");
        }
    }

    /**
     * Fails unless every value is an integer token id in [0, vocabulary), naming the row and the (flattened,
     * row-major) column of the first one that is not, both counted from 1.
     */
    public static void checkTokenIds(INDArray batch, long vocabulary, String what) {
        double[] values = batch.dup('c').data().asDouble();
        long cols = batch.length() / Math.max(1, batch.size(0));
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v != Math.rint(v) || v < 0 || v >= vocabulary) {
                throw new IllegalArgumentException(what + " has " + (v == Math.rint(v) ? "token id " : "a non-integer token id ")
                        + v + " at row " + (i / cols + 1) + ", column " + (i % cols + 1) + "; token ids must be integers in [0, "
                        + vocabulary + ")");
            }
        }
    }

    /**
     * Row-major index of the first NaN or infinity, or -1. A plain loop over the buffer: ND4J's isNaN()/isInfinite()
     * copy the batch twice and its condition reductions are no faster; on the stacked IG batch they cost 10–20% of
     * a forward+backward pass.
     */
    static long firstNonFinite(INDArray batch) {
        DataType type = batch.dataType();
        if (!type.isFPType()) {
            return -1;
        }
        INDArray c = batch;
        if (type != DataType.DOUBLE && type != DataType.FLOAT) {
            c = c.castTo(DataType.FLOAT);
        }
        // read the buffer as it is when the array is all of it in row-major order (a reshape of a batch still is)
        if (c.ordering() != 'c' || c.offset() != 0 || c.elementWiseStride() != 1 || c.data().length() != c.length()) {
            c = c.dup('c');
        }
        if (c.dataType() == DataType.DOUBLE) {
            DoubleBuffer values = c.data().asNioDouble();
            for (int i = 0, n = values.limit(); i < n; i++) {
                if (!Double.isFinite(values.get(i))) {
                    return i;
                }
            }
        } else {
            FloatBuffer values = c.data().asNioFloat();
            for (int i = 0, n = values.limit(); i < n; i++) {
                if (!Float.isFinite(values.get(i))) {
                    return i;
                }
            }
        }
        return -1;
    }

    static String describe(long[] rowShape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rowShape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(rowShape[i] < 0 ? "any" : Long.toString(rowShape[i]));
        }
        return b.toString();
    }

    /**
     * [rows][values per row] of an array whose first dimension is the rows, read as one buffer: ND4J's
     * {@code toDoubleMatrix} makes one row view per row, which was ~25% of KernelSHAP on a small tabular model (JFR). The buffer is widened to double on the heap: ND4J's
     * cast op took longer than the forward pass of that model (JFR of LIME).
     */
    public static double[][] rowsAsDoubles(INDArray outputs) {
        int rows = (int) outputs.size(0);
        int cols = (int) (outputs.length() / Math.max(1, rows));
        double[] flat = outputs.dup('c').data().asDouble();
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }
}
