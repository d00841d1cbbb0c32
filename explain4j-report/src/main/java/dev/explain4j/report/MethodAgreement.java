package dev.explain4j.report;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

import java.util.List;

/**
 * How much methods agree on one sample: the Spearman rank correlation of their flattened attributions (ties get
 * their average rank, as in scipy's {@code spearmanr}). Rank correlation because methods live on different scales
 * (a gradient, a Shapley value, a Grad-CAM map) while their orderings of the features are comparable.
 */
public final class MethodAgreement {

    private MethodAgreement() {
    }

    /**
     * @param vectors one per method; null where a method has nothing comparable
     * @return a symmetric matrix, 1 on the diagonal of comparable methods; NaN where a pair is not comparable
     *         (missing, different lengths, fewer than two values, or a constant vector, whose ranks carry no order)
     */
    public static double[][] spearman(List<double[]> vectors) {
        int n = vectors.size();
        double[][] rho = new double[n][n];
        SpearmansCorrelation spearman = new SpearmansCorrelation();
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double[] a = vectors.get(i);
                double[] b = vectors.get(j);
                double value;
                if (a == null || b == null || a.length != b.length || a.length < 2 || constant(a) || constant(b)) {
                    value = Double.NaN;
                } else if (i == j) {
                    value = 1.0;
                } else {
                    value = spearman.correlation(a, b);
                }
                rho[i][j] = value;
                rho[j][i] = value;
            }
        }
        return rho;
    }

    private static boolean constant(double[] v) {
        for (double x : v) {
            if (Double.compare(x, v[0]) != 0) {
                return false;
            }
        }
        return true;
    }
}
