package dev.explain4j.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * How numbers are written for people in pictures and in the report: a few significant digits without trailing
 * zeros, scientific notation only for very small or very large magnitudes, never dependent on the locale.
 */
final class Numbers {

    private Numbers() {
    }

    /** E.g. 42, 0.0123, −3.5e−05, 1.235e+06; "n/a" for NaN. */
    static String plain(double v, int digits) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros();
        double a = Math.abs(rounded.doubleValue());
        String s;
        if (a >= 1e-3 && a < 1e5) {
            s = rounded.toPlainString();
        } else {
            String e = String.format(java.util.Locale.ROOT, "%." + Math.max(0, digits - 1) + "e", v);
            s = e.replaceFirst("\\.?0*e", "e");
        }
        return s.replace('-', '−');
    }

    /** Like {@link #plain} with an explicit + on positive values, for scale ends and signed attributions. */
    static String signed(double v, int digits) {
        String s = plain(v, digits);
        return v > 0 ? "+" + s : s;
    }

    /** The same writing as a {@link NumberFormat}, for chart axes and bar labels. */
    static NumberFormat format(int digits, boolean signed) {
        return new NumberFormat() {
            @Override
            public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
                return toAppendTo.append(signed ? signed(number, digits) : plain(number, digits));
            }

            @Override
            public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
                return format((double) number, toAppendTo, pos);
            }

            @Override
            public Number parse(String source, ParsePosition parsePosition) {
                throw new UnsupportedOperationException("for display only");
            }
        };
    }
}
