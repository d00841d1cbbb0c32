package dev.explain4j.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.UnaryOperator;

/** Central finite differences in double precision: the independent truth the gradient engine is checked against. */
public final class FiniteDifferences {
    private static final double H = 1e-5;

    private FiniteDifferences() {
    }

    /**
     * ∂f_target/∂x by (f(x + h·e_i) − f(x − h·e_i)) / 2h for every row and feature, all perturbed rows in one batch.
     *
     * @param f       batch [n, ...] → outputs [n, k], in double
     * @param targets output index per row
     */
    public static INDArray gradient(UnaryOperator<INDArray> f, INDArray x, int[] targets) {
        long rows = x.size(0);
        long features = x.length() / rows;
        INDArray flat = x.reshape(rows, features).castTo(DataType.DOUBLE);
        INDArray perturbed = Nd4j.create(DataType.DOUBLE, rows * features * 2, features);
        for (long r = 0; r < rows; r++) {
            for (long i = 0; i < features; i++) {
                long k = (r * features + i) * 2;
                perturbed.getRow(k).assign(flat.getRow(r));
                perturbed.getRow(k + 1).assign(flat.getRow(r));
                perturbed.putScalar(k, i, flat.getDouble(r, i) + H);
                perturbed.putScalar(k + 1, i, flat.getDouble(r, i) - H);
            }
        }
        long[] shape = x.shape().clone();
        shape[0] = rows * features * 2;
        INDArray out = f.apply(perturbed.reshape(shape));
        INDArray gradient = Nd4j.create(DataType.DOUBLE, rows, features);
        for (long r = 0; r < rows; r++) {
            for (long i = 0; i < features; i++) {
                long k = (r * features + i) * 2;
                int t = targets[(int) r];
                gradient.putScalar(r, i, (out.getDouble(k, t) - out.getDouble(k + 1, t)) / (2 * H));
            }
        }
        return gradient.reshape(x.shape());
    }

    /** Largest |a − b| / (max(|a|, |b|) + floor) over all entries. */
    public static double maxRelativeError(INDArray a, INDArray b, double floor) {
        double[] x = a.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[] y = b.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        if (x.length != y.length) {
            throw new AssertionError("lengths differ: " + x.length + " vs " + y.length);
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]) / (Math.max(Math.abs(x[i]), Math.abs(y[i])) + floor));
        }
        return worst;
    }
}
