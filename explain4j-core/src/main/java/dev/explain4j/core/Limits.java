package dev.explain4j.core;

/**
 * The largest counts the methods accept, one place for all of them. Every product of rows, steps, samples and
 * features is computed in {@code long}; these limits keep those products far from overflow (rows < 2^31 times any
 * limit here is < 2^62) and refuse, before any work, a request no machine would finish.
 */
public final class Limits {
    /** Integration steps (riemann rules): points are generated per chunk, so only time grows with them. */
    public static final long MAX_STEPS = 100_000_000L;
    /** Gauss–Legendre steps: the rule's nodes are held on the heap (16 bytes each) and built in O(n²). */
    public static final long MAX_GAUSS_LEGENDRE_STEPS = 10_000L;
    /** Samples, draws or coalitions per row of the stochastic methods and metrics. */
    public static final long MAX_SAMPLES = 100_000_000L;

    /**
     * Coalition mask entries (one byte per coalition and feature group) that Shapley sampling and KernelSHAP hold at
     * once, over all rows of a call: 64 MiB of heap.
     */
    public static final long MAX_COALITION_ENTRIES = 1L << 26;

    /**
     * Model outputs a partial-dependence or ALE computation holds at once (one double per grid point and row, the
     * ICE curves): 128 MiB of heap. Grid points × rows beyond it are refused before any model call.
     */
    public static final long MAX_EFFECT_EVALUATIONS = 1L << 24;
    /** Grid points per feature of partial dependence, intervals of ALE. */
    public static final long MAX_GRID_POINTS = 10_000L;

    private Limits() {
    }

    /**
     * Refuses {@code value} outside [min, max], naming {@code option} as the library and the CLI spell it
     * ({@code samples} is {@code --samples} on the command line). {@code max} must fit an {@code int}.
     */
    public static int check(String option, long value, long min, long max) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
        }
        if (value > max) {
            throw new IllegalArgumentException(option + " must be at most " + max + ", got " + value);
        }
        return (int) value;
    }
}
