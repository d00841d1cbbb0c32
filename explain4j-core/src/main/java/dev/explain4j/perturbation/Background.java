package dev.explain4j.perturbation;

import dev.explain4j.model.Inputs;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.clustering.MultiKMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference rows that "absent" features take their values from, with a weight per row (summing to 1).
 *
 * <p>A single baseline row is a background of one. A large background can be summarised by k-means
 * ({@link #kmeans}), the way SHAP's {@code shap.kmeans} does it: cluster centres snapped, column by column, to the
 * nearest value that occurs in the data, weighted by cluster size.
 */
public final class Background {
    private final INDArray rows;
    private final double[] weights;

    private Background(INDArray rows, double[] weights) {
        this.rows = rows;
        this.weights = weights;
    }

    /** Equally weighted rows [n ≥ 1, ...the model's input shape]. */
    public static Background of(INDArray rows) {
        checkNotEmpty(rows);
        double[] w = new double[(int) rows.size(0)];
        Arrays.fill(w, 1.0 / w.length);
        return new Background(rows.dup(), w);
    }

    /** Rows with weights; weights must be non-negative with a positive sum and are normalised to sum to 1. */
    public static Background weighted(INDArray rows, double[] weights) {
        checkNotEmpty(rows);
        if (weights.length != rows.size(0)) {
            throw new IllegalArgumentException("background has " + rows.size(0) + " rows but " + weights.length + " weights");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("background weights must be finite and ≥ 0, got " + w);
            }
            sum += w;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("background weights sum to 0");
        }
        double[] normalised = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            normalised[i] = weights[i] / sum;
        }
        return new Background(rows.dup(), normalised);
    }

    /**
     * Summarises {@code data} by {@code k} weighted rows: k-means++ (best of 10 seeded restarts, Commons Math), each
     * centre's value in each column replaced by the nearest value of that column in the data, weight = cluster size.
     * With k ≥ rows the data is returned as it is.
     */
    public static Background kmeans(INDArray data, int k, long seed) {
        checkNotEmpty(data);
        if (k < 1) {
            throw new IllegalArgumentException("k-means needs k ≥ 1 clusters, got " + k);
        }
        int n = (int) data.size(0);
        if (k >= n) {
            return of(data);
        }
        long[] shape = data.shape();
        double[][] x = Inputs.rowsAsDoubles(data);
        List<DoublePoint> points = new ArrayList<>(n);
        for (double[] row : x) {
            points.add(new DoublePoint(row));
        }
        KMeansPlusPlusClusterer<DoublePoint> one = new KMeansPlusPlusClusterer<>(k, 300, new EuclideanDistance(),
                new Well19937c(seed));
        List<CentroidCluster<DoublePoint>> clusters = new MultiKMeansPlusPlusClusterer<>(one, 10).cluster(points);
        int d = x[0].length;
        double[][] sortedColumns = new double[d][n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                sortedColumns[j][i] = x[i][j];
            }
            Arrays.sort(sortedColumns[j]);
        }
        double[][] centres = new double[clusters.size()][];
        double[] weights = new double[clusters.size()];
        for (int c = 0; c < clusters.size(); c++) {
            double[] centre = clusters.get(c).getCenter().getPoint().clone();
            for (int j = 0; j < d; j++) {
                centre[j] = nearest(sortedColumns[j], centre[j]);
            }
            centres[c] = centre;
            weights[c] = clusters.get(c).getPoints().size();
        }
        long[] outShape = shape.clone();
        outShape[0] = centres.length;
        INDArray rows = Nd4j.create(centres).castTo(data.dataType()).reshape('c', outShape);
        return weighted(rows, weights);
    }

    private static double nearest(double[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i >= 0) {
            return sorted[i];
        }
        int hi = -i - 1;
        if (hi == 0) {
            return sorted[0];
        }
        if (hi == sorted.length) {
            return sorted[sorted.length - 1];
        }
        return value - sorted[hi - 1] <= sorted[hi] - value ? sorted[hi - 1] : sorted[hi];
    }

    private static void checkNotEmpty(INDArray rows) {
        if (rows == null || rows.rank() < 1 || rows.size(0) < 1 || rows.length() == 0) {
            throw new IllegalArgumentException("background is empty: it needs at least one row");
        }
    }

    /** A copy of the rows [n, ...input shape]. */
    public INDArray rows() {
        return rows.dup();
    }

    INDArray rowsView() {
        return rows;
    }

    /** The weights, summing to 1. */
    public double[] weights() {
        return weights.clone();
    }

    public int size() {
        return weights.length;
    }
}
