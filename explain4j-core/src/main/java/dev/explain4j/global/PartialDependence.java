package dev.explain4j.global;

import dev.explain4j.core.Limits;
import dev.explain4j.model.ExplainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Partial dependence of one class's output on one feature or a pair, with the individual conditional expectation
 * (ICE) curves it is the mean of: every data row is copied once per grid point with the feature(s) set to that
 * point, the copies run through the model, and each row's outputs form its ICE curve; the partial dependence is
 * their plain mean, so PD and ICE are one computation and cannot disagree.
 *
 * <p>The grid of a feature follows scikit-learn's {@code partial_dependence}: its distinct observed values when
 * there are fewer of them than grid points, else {@code gridPoints} evenly spaced values between two quantiles of
 * the column (5 % and 95 % by default, as SciPy's {@code mquantiles} computes them). A pair's grid is the product of
 * the two. Works on any {@link ExplainableModel}, in the output space the model gives; all copies go through the
 * model in calls of at most {@code batchSize} rows. Immutable and thread-safe.
 */
public final class PartialDependence {
    private final FeatureSweep sweep;
    private final int gridPoints;
    private final double lowerPercentile;
    private final double upperPercentile;

    private PartialDependence(FeatureSweep sweep, int gridPoints, double lowerPercentile, double upperPercentile) {
        this.sweep = sweep;
        this.gridPoints = gridPoints;
        this.lowerPercentile = lowerPercentile;
        this.upperPercentile = upperPercentile;
    }

    /** Output 0, 20 grid points between the 5 % and 95 % quantiles, 4096 rows per model call. */
    public static PartialDependence of(ExplainableModel model) {
        return new PartialDependence(FeatureSweep.of(model), 20, 0.05, 0.95);
    }

    /** The output (class) whose dependence is measured (default 0). */
    public PartialDependence withTarget(int target) {
        return new PartialDependence(sweep.withTarget(target), gridPoints, lowerPercentile, upperPercentile);
    }

    /** Grid points per feature, 2 .. {@link Limits#MAX_GRID_POINTS} (default 20). */
    public PartialDependence withGridPoints(int points) {
        return new PartialDependence(sweep, Limits.check("grid points", points, 2, Limits.MAX_GRID_POINTS),
                lowerPercentile, upperPercentile);
    }

    /** The quantiles of the grid's ends, 0 ≤ lower < upper ≤ 1 (default 0.05, 0.95). */
    public PartialDependence withPercentiles(double lower, double upper) {
        if (!(lower >= 0 && lower < upper && upper <= 1)) {
            throw new IllegalArgumentException("percentiles must satisfy 0 ≤ lower < upper ≤ 1, got " + lower + ", " + upper);
        }
        return new PartialDependence(sweep, gridPoints, lower, upper);
    }

    /** Rows per model call (default 4096); results do not depend on it. */
    public PartialDependence withBatchSize(int batchSize) {
        return new PartialDependence(sweep.withBatchSize(batchSize), gridPoints, lowerPercentile, upperPercentile);
    }

    /** One name per flattened column, for the result (default x0, x1, ...). */
    public PartialDependence withFeatureNames(List<String> names) {
        return new PartialDependence(sweep.withFeatureNames(names), gridPoints, lowerPercentile, upperPercentile);
    }

    /**
     * @param data    [n, ...the model's input shape]; features are the flattened columns
     * @param feature the column to sweep
     */
    public FeatureEffect compute(INDArray data, int feature) {
        return sweep(data, feature);
    }

    /** The 2-D partial dependence of the pair (first, second), first outer in the values. */
    public FeatureEffect compute(INDArray data, int first, int second) {
        if (first == second) {
            throw new IllegalArgumentException("a 2-D partial dependence needs two different features, got " + first + " twice");
        }
        return sweep(data, first, second);
    }

    private FeatureEffect sweep(INDArray data, int... features) {
        double[][] x = sweep.rows(data);
        int n = x.length;
        double[][] grids = new double[features.length][];
        double[][] deciles = new double[features.length][];
        for (int k = 0; k < features.length; k++) {
            sweep.checkFeature(features[k], x[0].length);
            double[] column = Quantiles.column(x, features[k]);
            grids[k] = sweep.inModelType(grid(column, sweep.name(features[k])));
            deciles[k] = Quantiles.deciles(column);
        }
        int inner = features.length == 2 ? grids[1].length : 1;
        int points = grids[0].length * inner;
        double[] out = sweep.outputs(x, features, (long) points * n, new FeatureSweep.Plan() {
            @Override
            public int row(long t) {
                return (int) (t % n);
            }

            @Override
            public double value(long t, int k) {
                int point = (int) (t / n);
                return k == 0 ? grids[0][point / inner] : grids[1][point % inner];
            }
        });
        double[][] ice = new double[n][points];
        double[] mean = new double[points];
        for (int p = 0; p < points; p++) {
            double sum = 0;
            for (int r = 0; r < n; r++) {
                ice[r][p] = out[p * n + r];
                sum += ice[r][p];
            }
            mean[p] = sum / n;
        }
        List<String> names = java.util.Arrays.stream(features).mapToObj(sweep::name).toList();
        return new FeatureEffect(FeatureEffect.Kind.PARTIAL_DEPENDENCE, features, names, grids, mean, ice, null,
                deciles, sweep.target(), n);
    }

    private double[] grid(double[] column, String name) {
        double[] distinct = Quantiles.distinct(column);
        if (distinct.length < gridPoints) {
            return distinct;
        }
        double[] sorted = column.clone();
        java.util.Arrays.sort(sorted);
        double lo = Quantiles.plottingPosition(sorted, lowerPercentile);
        double hi = Quantiles.plottingPosition(sorted, upperPercentile);
        if (Math.abs(hi - lo) <= 1e-8 + 1e-5 * Math.abs(hi)) {
            throw new IllegalArgumentException("feature " + name + ": its " + lowerPercentile + " and " + upperPercentile
                    + " quantiles are both " + lo + "; choose percentiles further apart");
        }
        return Quantiles.evenlySpaced(lo, hi, gridPoints);
    }
}
