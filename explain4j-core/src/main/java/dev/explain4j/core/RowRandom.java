package dev.explain4j.core;

import java.util.SplittableRandom;

/**
 * The random stream of one row of a seeded method: a function of the seed and of the row's values, never of the row's
 * position in the batch. A row then gets the same noise, samples or coalitions whether it is explained alone,
 * repeated or among other rows (one stream split per position made the same row's SmoothGrad differ by 250% between
 * positions 1 and 10), while distinct rows still get independent streams.
 */
public final class RowRandom {
    private RowRandom() {
    }

    /** @param row the row's values (as the method sees them, e.g. in the model's precision) */
    public static SplittableRandom of(long seed, double[] row) {
        long h = seed;
        for (double v : row) {
            // + 0.0 makes −0.0 and 0.0 one value, as they are for the model; each step is a bijection of h, so
            // different seeds give different keys for the same row
            h = Long.rotateLeft(h ^ Double.doubleToLongBits(v + 0.0), 31) * 0x9E3779B97F4A7C15L;
        }
        // SplittableRandom mixes its seed into every output: nearby keys still give unrelated streams
        return new SplittableRandom(h);
    }
}
