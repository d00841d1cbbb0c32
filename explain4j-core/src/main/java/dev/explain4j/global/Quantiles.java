package dev.explain4j.global;

import java.util.Arrays;

/** The grids of the feature-effect methods, from one column of the data. */
final class Quantiles {
    private Quantiles() {
    }

    /** The column's distinct values, increasing. */
    static double[] distinct(double[] column) {
        return Arrays.stream(column).sorted().distinct().toArray();
    }

    /**
     * The p-quantile of the Hazen-like plotting positions α = β = 0.4 (SciPy's {@code mquantiles} default, which
     * scikit-learn's partial dependence takes its grid ends from): position n·p + 0.4 + 0.2·p counted from 1,
     * clamped to [1, n − 1], interpolated linearly between the neighbouring order statistics.
     */
    static double plottingPosition(double[] sorted, double p) {
        int n = sorted.length;
        if (n == 1) {
            return sorted[0];
        }
        double aleph = n * p + 0.4 + 0.2 * p;
        int k = (int) Math.floor(Math.min(Math.max(aleph, 1), n - 1));
        double gamma = Math.min(Math.max(aleph - k, 0), 1);
        return (1 - gamma) * sorted[k - 1] + gamma * sorted[k];
    }

    /** The p-quantile interpolated linearly between order statistics at (n − 1)·p (NumPy's default). */
    static double linear(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        return lo + 1 >= sorted.length ? sorted[sorted.length - 1] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /** The 10 %, .., 90 % quantiles of a column as {@link #plottingPosition} gives them (scikit-learn's plot rug). */
    static double[] deciles(double[] column) {
        double[] sorted = column.clone();
        Arrays.sort(sorted);
        double[] d = new double[9];
        for (int i = 0; i < 9; i++) {
            d[i] = plottingPosition(sorted, (i + 1) / 10.0);
        }
        return d;
    }

    /** {@code points} equally spaced values from {@code from} to {@code to}, both ends exact. */
    static double[] evenlySpaced(double from, double to, int points) {
        double[] grid = new double[points];
        double step = (to - from) / (points - 1);
        for (int i = 0; i < points; i++) {
            grid[i] = from + i * step;
        }
        grid[points - 1] = to;
        return grid;
    }

    static double[] column(double[][] rows, int feature) {
        double[] column = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            column[r] = rows[r][feature];
        }
        return column;
    }
}
