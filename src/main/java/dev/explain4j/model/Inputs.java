package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;

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

    /** Fails on NaN or infinity, naming the row and the (flattened, row-major) column of the first one. */
    public static void checkFinite(INDArray batch, String what) {
        INDArray flat = batch.reshape(batch.size(0), -1);
        if (flat.isInfinite().any() || flat.isNaN().any()) {
            // only on the failing path: find the first offending cell in plain Java
            double[] values = flat.dup('c').data().asDouble();
            int index = 0;
            while (Double.isFinite(values[index])) {
                index++;
            }
            long cols = flat.size(1);
            throw new IllegalArgumentException(what + " has a non-finite value (" + values[index] + ") at row "
                    + (index / cols) + ", column " + (index % cols) + "; every value must be a finite number");
        }
    }

    static String describe(long[] rowShape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rowShape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(rowShape[i] < 0 ? "any" : Long.toString(rowShape[i]));
        }
        return b.toString();
    }
}
