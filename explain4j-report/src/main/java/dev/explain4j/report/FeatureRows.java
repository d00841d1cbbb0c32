package dev.explain4j.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The features a summary plot shows, most important first: the top {@code max − 1} by mean |attribution| and, when
 * there are more than {@code max}, one last line "sum of N other features" (SHAP folds the rest the same way).
 *
 * @param features the feature index of each line; {@link #FOLDED} for the folded line
 */
record FeatureRows(int[] features, int folded) {
    static final int FOLDED = -1;

    static FeatureRows of(PlotData data, int max) {
        if (max < 2) {
            throw new IllegalArgumentException("a summary plot shows at least 2 features, got " + max);
        }
        int[] order = data.importanceOrder();
        if (order.length <= max) {
            return new FeatureRows(order, 0);
        }
        int[] shown = new int[max];
        System.arraycopy(order, 0, shown, 0, max - 1);
        shown[max - 1] = FOLDED;
        return new FeatureRows(shown, order.length - (max - 1));
    }

    /** A row's attribution on line i: the feature's, or the sum over the folded features. */
    double value(PlotData data, int row, int line) {
        int f = features[line];
        if (f != FOLDED) {
            return data.value(row, f);
        }
        boolean[] shown = new boolean[data.width()];
        for (int s : features) {
            if (s != FOLDED) {
                shown[s] = true;
            }
        }
        double sum = 0;
        for (int i = 0; i < shown.length; i++) {
            if (!shown[i]) {
                sum += data.value(row, i);
            }
        }
        return sum;
    }

    String label(PlotData data, int line) {
        return features[line] == FOLDED ? "sum of " + folded + " other features" : data.featureName(features[line]);
    }

    int lines() {
        return features.length;
    }

    /** The names of the first k lines with their mean |attribution|, for alt texts. */
    static String leaders(PlotData data, FeatureRows rows, int k) {
        double[] mean = data.meanAbsolute();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, rows.lines()); i++) {
            if (rows.features[i] != FOLDED) {
                out.add(data.featureName(rows.features[i]) + " (" + Numbers.plain(mean[rows.features[i]], 3) + ")");
            }
        }
        return String.join(", ", out);
    }
}
