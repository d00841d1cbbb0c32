package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ImageGeometry;

import java.util.List;

/**
 * How the report draws its pictures; the defaults are Captum's for heatmaps.
 *
 * @param sign the sign mode of every heatmap, or null for each method's suited one
 */
record ReportOptions(ImageGeometry geometry, List<String> featureNames, List<String> classNames, SignMode sign,
                     double outlierPercent, Heatmap.Background background, double alpha, int topK) {

    /** The sign mode a method's heatmaps use. */
    SignMode sign(Attributions attributions) {
        return sign != null ? sign : SignMode.suitedTo(attributions);
    }

    /** The name of a class for people: the caller's name when it has one, else its index. */
    String className(int index) {
        if (index < 0) {
            return "n/a";
        }
        return index < classNames.size() ? classNames.get(index) : "class " + index;
    }
}
