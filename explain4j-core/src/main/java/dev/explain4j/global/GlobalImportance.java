package dev.explain4j.global;

import dev.explain4j.core.Attributions;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * What a model leans on over a data set, from any local method's {@link Attributions}: per feature the mean
 * |attribution| (how much it moves the output) and the mean signed attribution (in which direction), over all rows and
 * per class. Features are the attributions' values flattened row-major.
 *
 * @param features   the values over all rows
 * @param perClass   the values over the rows of each class, by class index in increasing order
 * @param classKind  what the classes are: "target" (the output each row explained) or "label" (given per row)
 */
public record GlobalImportance(String method, Summary features, Map<Integer, Summary> perClass, String classKind) {
    public GlobalImportance {
        perClass = Collections.unmodifiableMap(new TreeMap<>(perClass));
    }

    /**
     * Mean |attribution| and mean attribution per feature over {@code rows} rows.
     *
     * @param meanAbsolute mean over rows of |a_rf|
     * @param meanSigned   mean over rows of a_rf
     */
    public record Summary(int rows, double[] meanAbsolute, double[] meanSigned) {
        public Summary {
            meanAbsolute = meanAbsolute.clone();
            meanSigned = meanSigned.clone();
        }

        @Override
        public double[] meanAbsolute() {
            return meanAbsolute.clone();
        }

        @Override
        public double[] meanSigned() {
            return meanSigned.clone();
        }

        /** Feature indices from the largest mean |attribution| to the smallest (ties: lower index first). */
        public int[] ranking() {
            return byDecreasing(meanAbsolute);
        }
    }

    /** Indices from the largest value to the smallest (ties: lower index first). */
    public static int[] byDecreasing(double[] values) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble((Integer f) -> -values[f]).thenComparingInt(f -> f))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Grouped by the output each row explained (the predicted class when the method explained predictions). */
    public static GlobalImportance of(Attributions attributions) {
        int[] targets = attributions.targets().orElseThrow(() -> new IllegalArgumentException(
                "the " + attributions.method() + " attributions carry no target per row; pass the classes"));
        return of(attributions, targets, "target");
    }

    /**
     * Grouped by the given class of each row (e.g. the true labels).
     *
     * @param classes one class index per row
     * @param kind    what the classes are, for the record ("label", "predicted", ...)
     */
    public static GlobalImportance of(Attributions attributions, int[] classes, String kind) {
        int n = attributions.rows();
        if (classes.length != n) {
            throw new IllegalArgumentException("got " + classes.length + " classes for " + n + " attribution rows");
        }
        double[][] rows = rows(attributions);
        Map<Integer, Summary> perClass = new TreeMap<>();
        for (int c : IntStream.of(classes).distinct().sorted().toArray()) {
            perClass.put(c, summarise(rows, IntStream.range(0, n).filter(r -> classes[r] == c).toArray()));
        }
        return new GlobalImportance(attributions.method(), summarise(rows, IntStream.range(0, n).toArray()), perClass,
                kind);
    }

    /** Mean |attribution| and mean attribution per feature over every row, whatever each row explained. */
    public static Summary overall(Attributions attributions) {
        return summarise(rows(attributions), IntStream.range(0, attributions.rows()).toArray());
    }

    private static double[][] rows(Attributions attributions) {
        double[][] rows = new double[attributions.rows()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = attributions.row(r);
        }
        return rows;
    }

    private static Summary summarise(double[][] rows, int[] which) {
        int d = rows[0].length;
        double[] abs = new double[d];
        double[] signed = new double[d];
        for (int r : which) {
            for (int f = 0; f < d; f++) {
                abs[f] += Math.abs(rows[r][f]);
                signed[f] += rows[r][f];
            }
        }
        for (int f = 0; f < d; f++) {
            abs[f] /= which.length;
            signed[f] /= which.length;
        }
        return new Summary(which.length, abs, signed);
    }

    /** A plain map for JSON writers: method, class kind, overall and per-class values, with feature names if given. */
    public Map<String, Object> toMap(List<String> featureNames) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("method", method);
        map.put("classes", classKind);
        map.put("overall", summaryMap(features, featureNames));
        Map<String, Object> classes = new LinkedHashMap<>();
        perClass.forEach((c, s) -> classes.put(Integer.toString(c), summaryMap(s, featureNames)));
        map.put("per-class", classes);
        return map;
    }

    private static Map<String, Object> summaryMap(Summary s, List<String> names) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rows", s.rows());
        if (names != null && names.size() == s.meanAbsolute().length) {
            map.put("features", names);
        }
        map.put("mean-absolute", s.meanAbsolute());
        map.put("mean-signed", s.meanSigned());
        return map;
    }
}
