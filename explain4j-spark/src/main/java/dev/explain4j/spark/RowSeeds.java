package dev.explain4j.spark;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The seed of one row from the stage's seed and the row's key (the row-key column): a function of the two alone, so
 * a row gets the same draws whichever partition, chunk or task attempt explains it. The library then draws from this
 * seed and the row's values ({@code RowRandom}), as for any row.
 */
final class RowSeeds {
    private RowSeeds() {
    }

    /** @param key the key's value; its text form counts, so 7 as an int and as a long key alike */
    static long of(long seed, Object key) {
        long h = seed;
        for (byte b : key.toString().getBytes(StandardCharsets.UTF_8)) {
            h = Long.rotateLeft(h ^ (b & 0xff), 31) * 0x9E3779B97F4A7C15L;
        }
        // SplittableRandom mixes its seed: keys that differ in one byte still give unrelated seeds
        return new SplittableRandom(h).nextLong();
    }
}
