package dev.explain4j.testing;

import java.util.Arrays;

public final class Stats {
    private Stats() {
    }

    public static double maxAbs(double[] values) {
        return Arrays.stream(values).map(Math::abs).max().orElse(0);
    }
}
