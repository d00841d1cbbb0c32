package dev.explain4j.report;

/**
 * Where a one-row picture (waterfall, force) starts and ends: f(reference) ({@code referenceOutputs}) and f(x)
 * ({@code targetOutputs}), and the part of f(x) − f(reference) the attributions leave out. Without a reference output
 * the start is f(x) − Σ attributions, so there is no gap by construction. The gap is shown only above
 * {@link #GAP_TOLERANCE} of Σ |attribution|: below that it is rounding, not a claim of the method.
 *
 * @param gap f(x) − f(reference) − Σ attributions when worth showing, else exactly 0
 */
record RowOutputs(double base, double output, boolean measuredBase, double gap, double sum) {
    /** A gap below this share of Σ |attribution| is rounding, not worth a segment. */
    static final double GAP_TOLERANCE = 1e-3;

    /** @param picture what needs the output, for the message when the attributions carry none */
    static RowOutputs of(PlotData data, int row, String picture) {
        double output = data.attributions().targetOutputs().orElseThrow(() -> new IllegalArgumentException(
                "the " + data.attributions().method() + " attributions carry no model output f(x), which a " + picture
                        + " ends at"))[row];
        double sum = 0;
        double sumAbs = 0;
        for (int f = 0; f < data.width(); f++) {
            sum += data.value(row, f);
            sumAbs += Math.abs(data.value(row, f));
        }
        double[] reference = data.attributions().referenceOutputs().orElse(null);
        double base = reference != null ? reference[row] : output - sum;
        double gap = output - base - sum;
        boolean show = Math.abs(gap) > GAP_TOLERANCE * Math.max(sumAbs, Double.MIN_NORMAL);
        return new RowOutputs(base, output, reference != null, show ? gap : 0.0, sum);
    }

    /** How the start is named on the picture. */
    String baseName() {
        return measuredBase ? "f(reference)" : "f(x) − Σ attributions";
    }

    boolean hasGap() {
        return gap != 0.0;
    }
}
