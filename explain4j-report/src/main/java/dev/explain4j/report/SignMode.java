package dev.explain4j.report;

import dev.explain4j.core.Attributions;

import java.util.Locale;

/**
 * Which attributions a heatmap shows, as Captum's {@code VisualizeSign}: both signs on a diverging scale, or one
 * sign (or the magnitude) on a sequential scale from 0 to 1.
 */
public enum SignMode {
    /** Signed values in [−1, 1]: blue lowers the target output, red raises it. */
    ALL,
    /** Positive values only, in [0, 1]. */
    POSITIVE,
    /** Negative values only, shown by magnitude in [0, 1]. */
    NEGATIVE,
    /** |value| in [0, 1]. */
    ABSOLUTE_VALUE;

    /**
     * The mode that shows these attributions truthfully when nobody asked for one: {@link #ABSOLUTE_VALUE} (the
     * sequential scale) when no value is negative, because such a method (saliency, occlusion magnitude, a Grad-CAM
     * after its ReLU) reports strength without direction and a diverging scale would show half of it unused and
     * suggest a sign it does not have; {@link #ALL} (the diverging scale) otherwise.
     */
    public static SignMode suitedTo(Attributions attributions) {
        return attributions.values().minNumber().doubleValue() >= 0 ? ABSOLUTE_VALUE : ALL;
    }

    /** The spelling the command line and the report use, e.g. {@code absolute_value}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SignMode fromCliName(String name) {
        for (SignMode mode : values()) {
            if (mode.cliName().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown sign mode '" + name + "'; expected all, positive, negative or absolute_value");
    }
}
