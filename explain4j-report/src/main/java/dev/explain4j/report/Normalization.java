package dev.explain4j.report;

import java.util.Arrays;

/**
 * Scales a map of attributions into [−1, 1] the way Captum's {@code visualize_image_attr} does, so that explain4j's
 * heatmaps look like the ones Python users know.
 *
 * <p>The scale is the attribution value at which the cumulative sum of the (sorted, non-negative) values reaches
 * {@code 100 − outlierPercent} percent of their total; everything above it is clipped to 1. One saturated pixel
 * therefore cannot wash out the rest of the map. Per sign mode: {@link SignMode#ALL} thresholds |a| and keeps the
 * sign; {@link SignMode#POSITIVE} zeroes negatives; {@link SignMode#NEGATIVE} zeroes positives and divides by the
 * (negative) threshold, so the result is in [0, 1]; {@link SignMode#ABSOLUTE_VALUE} takes |a|.
 *
 * <p>Where Captum refuses a zero threshold (nothing of the requested sign), the map here is all zeros with scale 0, so
 * a report still renders and its legend says there was nothing to show.
 */
public final class Normalization {

    /** Captum's default: the top values that make up 2% of the total are clipped. */
    public static final double DEFAULT_OUTLIER_PERCENT = 2.0;

    private Normalization() {
    }

    /**
     * A map after normalisation.
     *
     * @param values in [−1, 1] for {@link SignMode#ALL}, in [0, 1] otherwise; same order as the input
     * @param scale  the attribution value that maps to ±1 (negative for {@link SignMode#NEGATIVE}); 0 when the map
     *               had nothing of the requested sign
     */
    public record NormalizedMap(double[] values, double scale, SignMode sign) {
        public boolean empty() {
            return scale == 0.0;
        }
    }

    /** The share of the total |attribution| treated as outliers, checked to lie in [0, 100]. */
    static double checkOutlierPercent(double percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("outlier percent must be in [0, 100], got " + percent);
        }
        return percent;
    }

    /**
     * The smallest value whose cumulative sum (values sorted ascending) reaches {@code percentile}% of the total.
     *
     * @param nonNegative values ≥ 0
     */
    public static double cumulativeSumThreshold(double[] nonNegative, double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        if (nonNegative.length == 0) {
            return 0.0;
        }
        double[] sorted = nonNegative.clone();
        Arrays.sort(sorted);
        double[] cumulative = new double[sorted.length];
        double sum = 0;
        for (int i = 0; i < sorted.length; i++) {
            sum += sorted[i];
            cumulative[i] = sum;
        }
        // same association order as numpy's total * 0.01 * percentile, so ties at the boundary fall the same way
        double bound = cumulative[cumulative.length - 1] * 0.01 * percentile;
        for (int i = 0; i < sorted.length; i++) {
            if (cumulative[i] >= bound) {
                return sorted[i];
            }
        }
        return sorted[sorted.length - 1];
    }

    public static NormalizedMap normalize(double[] attributions, SignMode sign) {
        return normalize(attributions, sign, DEFAULT_OUTLIER_PERCENT);
    }

    /** @param attributions a map already reduced over channels (Captum sums them) */
    public static NormalizedMap normalize(double[] attributions, SignMode sign, double outlierPercent) {
        double[] selected = new double[attributions.length];
        double[] magnitude = new double[attributions.length];
        for (int i = 0; i < attributions.length; i++) {
            double a = attributions[i];
            selected[i] = switch (sign) {
                case ALL -> a;
                case POSITIVE -> a > 0 ? a : 0.0;
                case NEGATIVE -> a < 0 ? a : 0.0;
                case ABSOLUTE_VALUE -> Math.abs(a);
            };
            magnitude[i] = Math.abs(selected[i]);
        }
        double threshold = cumulativeSumThreshold(magnitude, 100.0 - outlierPercent);
        double scale = sign == SignMode.NEGATIVE ? -threshold : threshold;
        double[] out = new double[attributions.length];
        if (scale != 0.0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.max(-1.0, Math.min(1.0, selected[i] / scale));
            }
        }
        return new NormalizedMap(out, scale, sign);
    }
}
