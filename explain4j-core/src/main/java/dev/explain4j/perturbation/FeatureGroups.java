package dev.explain4j.perturbation;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * Which features enter and leave coalitions together: every feature on its own, or a group id per flattened feature
 * (any non-negative ints; features with the same id are one player, e.g. the sub-word tokens of one word). Every
 * feature of a group gets the group's value. Immutable.
 */
public final class FeatureGroups {
    private static final FeatureGroups EACH = new FeatureGroups(null);

    /** Null: each feature its own group. */
    private final int[] ids;

    private FeatureGroups(int[] ids) {
        this.ids = ids;
    }

    /** Every feature its own group. */
    public static FeatureGroups each() {
        return EACH;
    }

    /** One group id per flattened input feature. */
    public static FeatureGroups of(int... ids) {
        for (int id : ids) {
            if (id < 0) {
                throw new IllegalArgumentException("feature group ids must be ≥ 0, got " + id);
            }
        }
        return new FeatureGroups(ids.clone());
    }

    public boolean isEach() {
        return ids == null;
    }

    /** The group id of each feature, or null for {@link #each()}. */
    public int[] ids() {
        return ids == null ? null : ids.clone();
    }

    /**
     * Dense group index per feature, 0..G-1: the ids renumbered in increasing order.
     *
     * @throws IllegalArgumentException unless there is one id per feature
     */
    int[] dense(int features) {
        if (ids == null) {
            int[] own = new int[features];
            Arrays.setAll(own, i -> i);
            return own;
        }
        if (ids.length != features) {
            throw new IllegalArgumentException("feature groups has " + ids.length + " entries, expected one per input feature ("
                    + features + ")");
        }
        int[] sorted = new TreeSet<>(Arrays.stream(ids).boxed().toList()).stream().mapToInt(Integer::intValue).toArray();
        int[] dense = new int[features];
        for (int i = 0; i < features; i++) {
            dense[i] = Arrays.binarySearch(sorted, ids[i]);
        }
        return dense;
    }

    /** How results record them: "features", or "N groups". */
    public String describe() {
        return ids == null ? "features" : Arrays.stream(ids).distinct().count() + " groups";
    }

    /** A perturbation method whose players may be groups of features. */
    public interface Grouped<M extends Grouped<M>> {
        M withGroups(FeatureGroups groups);
    }
}
