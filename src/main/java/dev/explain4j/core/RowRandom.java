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
            // + 0.0 makes −0.0 and 0.0 one value, as they are for the model
            h = 31 * h + Double.doubleToLongBits(v + 0.0);
        }
        // SplittableRandom mixes its seed itself; a second stream keyed by the seed keeps equal hashes of different
        // seeds apart
        return new SplittableRandom(h ^ new SplittableRandom(seed).nextLong());
    }
}
