package dev.explain4j.report;

import dev.explain4j.global.AttributionClustering;
import dev.explain4j.global.FeatureEffect;
import dev.explain4j.global.GlobalImportance;
import dev.explain4j.global.SurrogateTree;

import java.util.List;
import java.util.stream.IntStream;

/** The report's global section: importance over the data set, per class, the surrogate's rules and the clusters. */
final class GlobalSection {
    private static final int TABLE_FEATURES = 10;

    private GlobalSection() {
    }

    static void render(StringBuilder h, GlobalView view, ReportOptions options) {
        h.append("<section id=\"global\"><h2>Global view</h2>\n");
        if (view.importance() != null) {
            importance(h, view.importance(), options);
        }
        if (view.surrogate() != null) {
            surrogate(h, view.surrogate());
        }
        if (!view.effects().isEmpty()) {
            h.append("<h3>Feature effects</h3>\n");
        }
        for (FeatureEffect effect : view.effects()) {
            String target = options.className(effect.target());
            h.append("<figure><img src=\"").append(Png.dataUri(EffectPlot.of(effect, target).png())).append("\" alt=\"")
                    .append(Html.attr(EffectPlot.altText(effect, target))).append("\"></figure>\n");
        }
        for (AttributionClustering.Result c : view.clusterings()) {
            clusters(h, c, options);
        }
        h.append("</section>\n");
    }

    private static void importance(StringBuilder h, GlobalImportance g, ReportOptions options) {
        GlobalImportance.Summary all = g.features();
        List<String> names = options.featureNames();
        h.append("<h3>Importance over ").append(all.rows()).append(" rows (").append(Html.text(g.method())).append(")</h3>\n");
        byte[] png = BarChart.topK(all.meanAbsolute(), names, null, options.topK(), "mean |attribution|").png();
        h.append("<figure><img src=\"").append(Png.dataUri(png)).append("\" alt=\"")
                .append(Html.attr("mean absolute attribution per feature")).append("\"></figure>\n");
        h.append("<table><tr><th>feature</th><th>mean |attribution|</th><th>mean attribution</th>");
        for (Integer c : g.perClass().keySet()) {
            h.append("<th>mean |attribution|, ").append(Html.text(g.classKind())).append(' ')
                    .append(Html.text(options.className(c))).append("</th>");
        }
        h.append("</tr>\n");
        double[] meanAbs = all.meanAbsolute();
        double[] meanSigned = all.meanSigned();
        List<double[]> perClass = g.perClass().values().stream().map(GlobalImportance.Summary::meanAbsolute).toList();
        for (int f : IntStream.of(all.ranking()).limit(TABLE_FEATURES).toArray()) {
            h.append("<tr><td>").append(Html.text(name(names, f))).append("</td><td class=\"num\">")
                    .append(Html.number(meanAbs[f])).append("</td><td class=\"num\">")
                    .append(Html.number(meanSigned[f])).append("</td>");
            for (double[] c : perClass) {
                h.append("<td class=\"num\">").append(Html.number(c[f])).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void surrogate(StringBuilder h, SurrogateTree.Result tree) {
        h.append("<h3>Surrogate decision tree</h3>\n<p class=\"note\">A tree of depth ≤ ").append(tree.maxDepth())
                .append(" fit on the network's own predictions; it agrees with the network on ")
                .append(Html.number(100 * tree.fidelity())).append("% of ").append(tree.heldOutRows())
                .append(" held-out rows.</p>\n<ul>\n");
        for (SurrogateTree.Rule rule : tree.rules()) {
            h.append("<li><code>").append(Html.text(rule.toString())).append("</code></li>\n");
        }
        h.append("</ul>\n");
    }

    private static void clusters(StringBuilder h, AttributionClustering.Result c, ReportOptions options) {
        h.append("<h3>Clusters of rows explained alike (").append(Html.text(c.algorithm().name().toLowerCase(java.util.Locale.ROOT)))
                .append(", mean silhouette ").append(Html.number(c.meanSilhouette())).append(")</h3>\n")
                .append("<table><tr><th>cluster</th><th>rows</th><th>silhouette</th><th>dominant features</th>"
                        + "<th>mean f(x)</th><th>most explained output</th></tr>\n");
        for (AttributionClustering.Cluster k : c.clusters()) {
            String dominant = IntStream.of(k.dominantFeatures()).mapToObj(f -> name(options.featureNames(), f))
                    .reduce((a, b) -> a + ", " + b).orElse("");
            h.append("<tr><td class=\"num\">").append(k.id()).append("</td><td class=\"num\">").append(k.size())
                    .append("</td><td class=\"num\">").append(Html.number(k.meanSilhouette())).append("</td><td>")
                    .append(Html.text(dominant)).append("</td><td class=\"num\">").append(Html.number(k.meanPrediction()))
                    .append("</td><td>").append(k.majorityTarget() < 0 ? "" : Html.text(options.className(k.majorityTarget())))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String name(List<String> names, int f) {
        return f < names.size() ? names.get(f) : "x" + f;
    }
}
