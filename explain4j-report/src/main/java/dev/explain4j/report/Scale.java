package dev.explain4j.report;

/** A linear map from values to pixel positions, with round tick values. */
final class Scale {
    private final double low;
    private final double high;
    private final double from;
    private final double to;

    private Scale(double low, double high, double from, double to) {
        this.low = low;
        this.high = high;
        this.from = from;
        this.to = to;
    }

    /** Covers [min, max] with 5% room on each side, mapped onto pixels [from, to] (to &lt; from flips it). */
    static Scale of(double min, double max, double from, double to) {
        double span = max - min;
        if (!(span > 0)) {
            double pad = Math.max(Math.abs(min) * 0.1, 1e-6);
            return new Scale(min - pad, max + pad, from, to);
        }
        return new Scale(min - 0.05 * span, max + 0.05 * span, from, to);
    }

    /** Exactly [low, high] onto [from, to], no room added: for pixel grids, where value i is a pixel's edge. */
    static Scale exact(double low, double high, double from, double to) {
        return new Scale(low, high, from, to);
    }

    double pixel(double value) {
        return from + (value - low) / (high - low) * (to - from);
    }

    double low() {
        return low;
    }

    double high() {
        return high;
    }

    /** Multiples of 1, 2 or 5 × 10^k inside the range, about five of them. */
    double[] ticks() {
        double raw = (high - low) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 5, 10}) {
            step = m * magnitude;
            if (step >= raw) {
                break;
            }
        }
        long first = (long) Math.ceil(low / step);
        long last = (long) Math.floor(high / step);
        double[] ticks = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = (first + i) * step;
        }
        return ticks;
    }
}
