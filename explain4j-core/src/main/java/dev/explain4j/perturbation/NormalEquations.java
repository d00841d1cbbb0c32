package dev.explain4j.perturbation;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.linear.SingularValueDecomposition;

/**
 * Solves the normal equations of the weighted least-squares fits of KernelSHAP and LIME. The systems are small (one
 * row per feature or player), so they are solved on the heap: an ND4J op costs microseconds of JNI overhead alone.
 */
final class NormalEquations {
    private NormalEquations() {
    }

    /**
     * β with normal · β = rhs. When normal is singular (fewer distinct samples than features) the minimum-norm
     * least-squares solution through the SVD, as numpy's lstsq gives SHAP.
     *
     * @param normal [k][k], rhs [k]
     */
    static double[] solve(double[][] normal, double[] rhs) {
        RealMatrix a = new Array2DRowRealMatrix(normal, false);
        RealVector b = new ArrayRealVector(rhs, false);
        DecompositionSolver lu = new LUDecomposition(a).getSolver();
        DecompositionSolver solver = lu.isNonSingular() ? lu : new SingularValueDecomposition(a).getSolver();
        return solver.solve(b).toArray();
    }
}
