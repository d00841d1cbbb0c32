package dev.explain4j.perturbation;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.SingularValueDecomposition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.nd4j.linalg.inverse.InvertMatrix;

/** Solves the normal equations of the weighted least-squares fits of KernelSHAP and LIME. */
final class NormalEquations {
    private NormalEquations() {
    }

    /**
     * β with normal · β = rhs. When normal is singular (fewer distinct samples than features) the minimum-norm
     * least-squares solution through the SVD, as numpy's lstsq gives SHAP.
     *
     * @param normal [k, k], rhs [k, 1], both double
     */
    static double[] solve(INDArray normal, INDArray rhs) {
        INDArray inverse = null;
        try {
            inverse = InvertMatrix.invert(normal, false);
        } catch (RuntimeException singular) {
            // ND4J's LU refuses exactly singular matrices; handled below
        }
        if (inverse != null && !inverse.isNaN().any() && !inverse.isInfinite().any()) {
            return inverse.mmul(rhs).castTo(DataType.DOUBLE).toDoubleVector();
        }
        double[][] a = normal.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] b = rhs.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        return new SingularValueDecomposition(new Array2DRowRealMatrix(a, false)).getSolver()
                .solve(new ArrayRealVector(b, false)).toArray();
    }

}
