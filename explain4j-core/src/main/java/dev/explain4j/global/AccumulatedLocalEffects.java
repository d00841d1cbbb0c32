package dev.explain4j.global;

import dev.explain4j.core.Limits;
import dev.explain4j.model.ExplainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * First-order accumulated local effects of one feature on one class's output (Apley and Zhu, 2020; as alibi's
 * {@code ale_num} computes them): the feature's range is cut at its quantiles into intervals; each data row in an
 * interval is moved to the interval's lower and upper edge, and the mean difference of the two outputs over the
 * interval's rows is its local effect; the effects are summed from the left edge and the sum is centred so that its
 * row-weighted mean is 0 (each interval weighted by its rows, at the mean of its two edge values).
 *
 * <p>Unlike partial dependence it only moves rows within their own interval, so a feature correlated with others
 * is not evaluated at combinations the data never shows. The edges are the 0, 1/K, .., 1 quantiles (interpolated
 * linearly, NumPy's default) with repeats removed; a row on the lowest edge belongs to the first interval. An
 * interval without rows (where rows share values, or there are fewer rows than intervals) is merged into the next
 * one: its edge is left out of the result, as alibi leaves it out. 2·n model evaluations in calls
 * of at most {@code batchSize} rows; any {@link ExplainableModel}. Immutable and thread-safe.
 */
public final class AccumulatedLocalEffects {
    private final FeatureSweep sweep;
    private final int intervals;

    private AccumulatedLocalEffects(FeatureSweep sweep, int intervals) {
        this.sweep = sweep;
        this.intervals = intervals;
    }

    /** Output 0, 20 intervals, 4096 rows per model call. */
    public static AccumulatedLocalEffects of(ExplainableModel model) {
        return new AccumulatedLocalEffects(FeatureSweep.of(model), 20);
    }

    /** The output (class) whose effects are measured (default 0). */
    public AccumulatedLocalEffects withTarget(int target) {
        return new AccumulatedLocalEffects(sweep.withTarget(target), intervals);
    }

    /** Quantile intervals, 1 .. {@link Limits#MAX_GRID_POINTS} (default 20); fewer when quantiles coincide. */
    public AccumulatedLocalEffects withIntervals(int intervals) {
        return new AccumulatedLocalEffects(sweep, Limits.check("intervals", intervals, 1, Limits.MAX_GRID_POINTS));
    }

    /** Rows per model call (default 4096); results do not depend on it. */
    public AccumulatedLocalEffects withBatchSize(int batchSize) {
        return new AccumulatedLocalEffects(sweep.withBatchSize(batchSize), intervals);
    }

    /** One name per flattened column, for the result (default x0, x1, ...). */
    public AccumulatedLocalEffects withFeatureNames(List<String> names) {
        return new AccumulatedLocalEffects(sweep.withFeatureNames(names), intervals);
    }

    /**
     * @param data    [n, ...the model's input shape]; features are the flattened columns
     * @param feature the column whose effect is measured
     */
    public FeatureEffect compute(INDArray data, int feature) {
        double[][] x = sweep.rows(data);
        int n = x.length;
        sweep.checkFeature(feature, x[0].length);
        double[] column = Quantiles.column(x, feature);
        double[] sorted = column.clone();
        Arrays.sort(sorted);
        double[] edges = Arrays.stream(sweep.inModelType(Arrays.stream(Quantiles.evenlySpaced(0, 1, intervals + 1))
                .map(p -> Quantiles.linear(sorted, p)).toArray())).distinct().toArray();
        if (edges.length < 2) {
            throw new IllegalArgumentException("feature " + sweep.name(feature) + " takes the single value " + edges[0]
                    + " in the data; ALE needs at least two");
        }
        int[] interval = new int[n];
        for (int r = 0; r < n; r++) {
            interval[r] = Math.max(1, firstAtLeast(edges, column[r]));
        }
        double[] out = sweep.outputs(x, new int[]{feature}, 2L * n, new FeatureSweep.Plan() {
            @Override
            public int row(long t) {
                return (int) (t % n);
            }

            @Override
            public double value(long t, int k) {
                int r = (int) (t % n);
                return t < n ? edges[interval[r] - 1] : edges[interval[r]];
            }
        });
        int k = edges.length - 1;
        double[] deltaSum = new double[k];
        int[] counts = new int[k];
        for (int r = 0; r < n; r++) {
            deltaSum[interval[r] - 1] += out[n + r] - out[r];
            counts[interval[r] - 1]++;
        }
        double[] accumulated = new double[k + 1];
        for (int i = 0; i < k; i++) {
            accumulated[i + 1] = accumulated[i] + (counts[i] == 0 ? 0 : deltaSum[i] / counts[i]);
        }
        double centre = 0;
        for (int i = 0; i < k; i++) {
            centre += counts[i] * 0.5 * (accumulated[i] + accumulated[i + 1]);
        }
        centre /= n;
        // an interval without rows is merged into the next one, as alibi drops its edge: the curve is the same
        int[] kept = java.util.stream.IntStream.rangeClosed(0, k).filter(i -> i == 0 || counts[i - 1] > 0).toArray();
        double[] keptEdges = new double[kept.length];
        double[] values = new double[kept.length];
        int[] keptCounts = new int[kept.length - 1];
        for (int j = 0; j < kept.length; j++) {
            keptEdges[j] = edges[kept[j]];
            values[j] = accumulated[kept[j]] - centre;
            if (j > 0) {
                keptCounts[j - 1] = counts[kept[j] - 1];
            }
        }
        return new FeatureEffect(FeatureEffect.Kind.ACCUMULATED_LOCAL_EFFECTS, new int[]{feature},
                List.of(sweep.name(feature)), new double[][]{keptEdges}, values, null, keptCounts,
                new double[][]{Quantiles.deciles(column)}, sweep.target(), n);
    }

    /** The first index whose edge is ≥ v (v is within the edges' range). */
    private static int firstAtLeast(double[] edges, double v) {
        int i = Arrays.binarySearch(edges, v);
        return i >= 0 ? i : -i - 1;
    }
}
