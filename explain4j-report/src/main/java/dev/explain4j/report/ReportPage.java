package dev.explain4j.report;

import dev.explain4j.core.Attributions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the report's HTML. Every caller-derived string goes through {@link Html#text} or {@link Html#attr}; every
 * picture is a PNG data URI; the page carries its style inline and no script.
 */
final class ReportPage {
    /** The prediction table lists at most this many classes, most probable first. */
    private static final int MAX_PROBABILITY_ROWS = 10;
    private static final String STYLE = """
            body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;margin:24px;color:#222;background:#fff;font-size:14px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px}
            h3{font-size:15px;margin:16px 0 6px}.muted{color:#666}
            table{border-collapse:collapse;margin:4px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
            th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .top{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
            .gallery{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
            figure{margin:0;border:1px solid #e3e3e3;padding:6px;background:#fff}
            figcaption{font-size:12px;max-width:260px;overflow-wrap:anywhere}figcaption b{font-size:13px}
            img{display:block;image-rendering:pixelated}
            .bar{background:#666;height:10px;min-width:1px}.best td{font-weight:bold}
            .features{max-height:360px;overflow:auto}.note{font-size:12px;color:#555;max-width:900px}
            .tok{padding:1px 3px;border-radius:3px;line-height:1.9;border:1px solid #eee}table.text td{max-width:900px}
            """;

    private final ModelSummary model;
    private final String title;
    private final String source;
    private final List<Sample> samples;
    private final List<Attributions> methods;
    private final ReportOptions options;
    private final List<long[]> rowShapes = new ArrayList<>();
    private final Map<String, Map<String, double[]>> quality;
    private final GlobalView global;
    private final List<PlotData> plotData = new ArrayList<>();

    ReportPage(ModelSummary model, String title, String source, List<Sample> samples, List<Attributions> methods,
               ReportOptions options, Map<String, Map<String, double[]>> quality, GlobalView global) {
        this.quality = quality;
        this.global = global;
        this.model = model;
        this.title = title;
        this.source = source;
        this.samples = samples;
        this.methods = methods;
        this.options = options;
        for (Attributions a : methods) {
            long[] shape = a.values().shape();
            rowShapes.add(Arrays.copyOfRange(shape, 1, shape.length));
        }
    }

    String render() {
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.text(title)).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>").append(Html.text(title)).append("</h1>\n<p class=\"muted\">")
                .append(samples.size()).append(samples.size() == 1 ? " sample" : " samples").append(", ")
                .append(methods.size()).append(methods.size() == 1 ? " method" : " methods");
        if (source != null) {
            h.append(", from <code>").append(Html.text(source)).append("</code>");
        }
        h.append("</p></header>\n");
        overviewSection(h);
        modelSection(h);
        methodsSection(h);
        completenessSection(h);
        qualitySection(h);
        if (TextView.applies(methods)) {
            TextView.topTokensByClass(h, methods, options);
        }
        if (global != null) {
            GlobalSection.render(h, global, options);
        }
        for (int r = 0; r < samples.size(); r++) {
            sampleSection(h, r);
        }
        h.append("<footer class=\"note\"><p>Heatmaps: attributions summed over channels, divided by the value at which the "
                + "cumulative |attribution| reaches ").append(Html.number(100 - options.outlierPercent()))
                .append("% of its total, clipped to [−1, 1], shown ").append(options.sign() == null
                        ? "on the sequential scale for methods without negative values (magnitudes such as saliency) and "
                        + "the diverging scale otherwise"
                        : "with sign mode <code>" + options.sign().cliName() + "</code>")
                .append("; each legend gives that scale, and the heatmap's opacity grows with |attribution|. Masked "
                        + "images keep the top ").append(Html.number(MaskedImagePlot.DEFAULT_PERCENT))
                .append("% of pixels by |attribution| and dim the rest. Bars: red raises, blue lowers the explained output. "
                        + "Agreement: Spearman rank correlation of the flattened attributions (image methods on their "
                        + "channel-summed map at the input's resolution).</p></footer>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private void modelSection(StringBuilder h) {
        h.append("<section id=\"model\"><h2>Model</h2>\n<table>\n");
        row(h, "model", model.name());
        row(h, "input shape", model.inputShape().toString());
        row(h, "output size", model.outputSize() < 0 ? "unknown" : Integer.toString(model.outputSize()));
        row(h, "backend", model.backend());
        row(h, "data type", model.dataType());
        if (options.geometry() != null) {
            row(h, "image", options.geometry().height() + "×" + options.geometry().width() + "×"
                    + options.geometry().channels() + (options.geometry().flat() ? " (flat rows, c,h,w)" : " ("
                    + options.geometry().format() + ")"));
        }
        h.append("</table>\n");
        if (!model.layers().isEmpty()) {
            h.append("<h3>Layers</h3>\n<table><tr><th>#</th><th>name</th><th>kind</th></tr>\n");
            for (ModelSummary.Layer layer : model.layers()) {
                h.append("<tr><td class=\"num\">").append(layer.index()).append("</td><td>").append(Html.text(layer.name()))
                        .append("</td><td>").append(Html.text(layer.kind())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</section>\n");
    }

    private void methodsSection(StringBuilder h) {
        h.append("<section id=\"methods\"><h2>Methods</h2>\n<table><tr><th>method</th><th>parameters</th><th>seed</th>"
                + "<th>shape per sample</th></tr>\n");
        for (int m = 0; m < methods.size(); m++) {
            Attributions a = methods.get(m);
            h.append("<tr><td>").append(Html.text(a.method())).append("</td><td>");
            boolean first = true;
            for (Map.Entry<String, String> p : a.parameters().entrySet()) {
                h.append(first ? "" : "<br>").append(Html.text(p.getKey())).append(" = ").append(Html.text(readable(p.getValue())));
                first = false;
            }
            h.append("</td><td>").append(a.seed().map(String::valueOf).orElse("")).append("</td><td>")
                    .append(Arrays.toString(rowShapes.get(m))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        methods.forEach(a -> surrogateTable(h, a));
        h.append("</section>\n");
    }

    /** A parameter as people read it: numbers to four significant digits, anything else as it is. */
    static String readable(String value) {
        try {
            double v = Double.parseDouble(value);
            return Double.isFinite(v) && !value.matches("-?\\d{1,15}") ? Html.number(v) : value;
        } catch (NumberFormatException e) {
            return value;
        }
    }

    /** LIME's local surrogate per sample (intercept, weighted R², its value at the sample, beside f(x)), rounded. */
    private void surrogateTable(StringBuilder h, Attributions a) {
        if (a.intercepts().isEmpty() && a.fitScores().isEmpty() && a.localPredictions().isEmpty()) {
            return;
        }
        h.append("<h3>").append(Html.text(a.method())).append(": local surrogate per sample</h3>\n<p class=\"note\">The "
                + "weighted linear model fit around each sample: its intercept, its weighted R² on the perturbed samples "
                + "(1 = the model is linear there), and its value at the sample, to compare with the model's f(x).</p>\n"
                + "<table><tr><th>sample</th><th>target</th><th>intercept</th><th>R²</th><th>local prediction</th>"
                + "<th>f(x)</th></tr>\n");
        for (int r = 0; r < a.rows(); r++) {
            int row = r;
            h.append("<tr><td>").append(Html.text(samples.get(r).label())).append("</td><td>")
                    .append(a.targets().map(t -> Html.text(options.className(t[row]))).orElse("")).append("</td>");
            for (java.util.Optional<double[]> v : List.of(a.intercepts(), a.fitScores(), a.localPredictions(), a.targetOutputs())) {
                h.append("<td class=\"num\">").append(v.map(x -> Html.number(x[row])).orElse("")).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /**
     * What a data set's report opens with, before any row: per method SHAP's beeswarm and bar (stacked by class when
     * the rows explain different classes) and, for methods that promise completeness (attributions adding up to
     * f(x) − f(reference), with their delta), the decision plot: for saliency, gradient × input or feature ablation the
     * running sum is no output of the model, and a path drawn from a made-up start would claim it is. Only for tabular rows (an image's
     * pixels or a document's positions are not features one reads across rows) and at least two samples.
     */
    private void overviewSection(StringBuilder h) {
        if (options.geometry() != null || TextView.applies(methods) || samples.size() < 2) {
            return;
        }
        StringBuilder pictures = new StringBuilder();
        for (int m = 0; m < methods.size(); m++) {
            Attributions a = methods.get(m);
            if (a.row(0).length != samples.get(0).input().length) {
                continue;
            }
            PlotData data = plotData(m);
            List<Plot> plots = new ArrayList<>(List.of(BeeswarmPlot.of(data), BarPlot.of(data)));
            if (a.targetOutputs().isPresent() && a.completenessDelta().isPresent()) {
                plots.add(DecisionPlot.of(data));
            }
            plots.forEach(p -> image(pictures, p.png(), p.altText()));
        }
        if (!pictures.isEmpty()) {
            h.append("<section id=\"overview\"><h2>Over all ").append(samples.size()).append(" samples</h2>\n"
                    + "<p class=\"note\">Beeswarm: one dot per sample and feature, x = attribution, colour = the feature's "
                    + "value. Bar: mean |attribution| per feature, stacked by the class each sample explains. Decision: "
                    + "each sample's output built up from f(reference) feature by feature.</p>\n<div class=\"gallery\">")
                    .append(pictures).append("</div></section>\n");
        }
    }

    /** Method m's attributions with every sample's input, the feature and class names and the image geometry. */
    private PlotData plotData(int m) {
        while (plotData.size() <= m) {
            plotData.add(null);
        }
        if (plotData.get(m) == null) {
            Attributions a = methods.get(m);
            double[][] inputs = samples.stream().map(Sample::input).toArray(double[][]::new);
            PlotData data = PlotData.of(a).withInputs(inputs).withClassNames(options.classNames()).withImage(options.geometry());
            if (options.featureNames().size() == data.width()) {
                data = data.withFeatureNames(options.featureNames());
            }
            plotData.set(m, data);
        }
        return plotData.get(m);
    }

    private void completenessSection(StringBuilder h) {
        List<String> labels = samples.stream().map(Sample::label).toList();
        StringBuilder charts = new StringBuilder();
        for (Attributions a : methods) {
            Optional<Chart> perRow = CompletenessChart.deltaPerRow(a, labels);
            Optional<Chart> againstSteps = CompletenessChart.deltaAgainstSteps(a);
            perRow.ifPresent(c -> image(charts, c.png(), a.method() + " completeness per sample"));
            againstSteps.ifPresent(c -> image(charts, c.png(), a.method() + " completeness against steps"));
        }
        if (!charts.isEmpty()) {
            h.append("<section id=\"completeness\"><h2>Completeness</h2>\n<p class=\"note\">Integrated Gradients promises "
                    + "that a sample's attributions add up to f(x) − f(baseline); δ is how far they miss.</p>\n"
                    + "<div class=\"gallery\">").append(charts).append("</div></section>\n");
        }
    }

    private void sampleSection(StringBuilder h, int r) {
        Sample sample = samples.get(r);
        h.append("<section class=\"sample\" id=\"sample-").append(r + 1).append("\"><h2>Sample ").append(r + 1)
                .append(": ").append(Html.text(sample.label())).append("</h2>\n<div class=\"top\">\n");
        boolean text = TextView.applies(methods);
        if (!text) {
            inputView(h, sample);
        }
        predictionView(h, sample);
        h.append("</div>\n");

        List<double[]> comparable = new ArrayList<>();
        if (text) {
            h.append("<h3>Attributions</h3>\n");
            TextView.legend(h);
            TextView.lines(h, methods, r, options);
            methods.forEach(a -> comparable.add(a.row(r)));
        } else if (!methods.isEmpty()) {
            h.append("<h3>Attributions</h3>\n<div class=\"gallery\">\n");
            for (int m = 0; m < methods.size(); m++) {
                Attributions a = methods.get(m);
                MethodView view = MethodView.of(a, rowShapes.get(m), r, sample, options,
                        options.geometry() != null ? plotData(m) : null);
                comparable.add(view.comparable());
                h.append("<figure class=\"method\">");
                h.append("<img src=\"").append(Png.dataUri(view.png())).append("\" alt=\"")
                        .append(Html.attr(a.method() + " " + view.kind() + ", sample " + (r + 1))).append("\">");
                if (view.masked() != null) {
                    h.append("<img src=\"").append(Png.dataUri(view.masked().png())).append("\" alt=\"")
                            .append(Html.attr(view.masked().altText())).append("\">");
                }
                h.append("<figcaption><b>").append(Html.text(a.method())).append("</b>");
                caption(h, a, r);
                h.append("</figcaption></figure>\n");
            }
            h.append("</div>\n");
        }
        if (methods.size() > 1) {
            agreementTable(h, MethodAgreement.spearman(comparable));
        }
        h.append("</section>\n");
    }

    private void caption(StringBuilder h, Attributions a, int r) {
        a.targets().ifPresent(t -> h.append("<br>target: ").append(Html.text(options.className(t[r]))));
        a.targetOutputs().ifPresent(f -> h.append("<br>f(x) = ").append(Html.number(f[r])));
        a.referenceOutputs().ifPresent(f -> h.append(", f(baseline) = ").append(Html.number(f[r])));
        a.completenessDelta().ifPresent(d -> h.append("<br>completeness δ = ").append(Html.number(d[r])));
        a.stepsUsed().ifPresent(s -> h.append(" (").append(s[r]).append(" steps)"));
        quality.getOrDefault(a.method(), Map.of()).forEach((name, values) ->
                h.append("<br>").append(Html.text(name)).append(" = ").append(Html.number(values[r])));
    }

    private void qualitySection(StringBuilder h) {
        if (quality.isEmpty()) {
            return;
        }
        List<String> names = quality.values().stream().flatMap(m -> m.keySet().stream()).distinct().toList();
        h.append("<section id=\"quality\"><h2>Explanation quality</h2>\n<p class=\"note\">Means over the samples. "
                + "Infidelity (lower is better): squared error of the attributions as predictors of the output change "
                + "under small perturbations. Max-sensitivity (lower is better): largest relative change of the explanation "
                + "within a small input neighbourhood. Deletion AUC (lower is better) and insertion AUC (higher is better): "
                + "the output as features are removed or added in attribution order. Completeness: how far the "
                + "attributions miss f(x) − f(baseline) (mean |gap|).</p>\n<table><tr><th>method</th>");
        names.forEach(n -> h.append("<th>").append(Html.text(n)).append("</th>"));
        h.append("</tr>\n");
        quality.forEach((method, figures) -> {
            h.append("<tr><td>").append(Html.text(method)).append("</td>");
            for (String n : names) {
                double[] v = figures.get(n);
                // a signed gap would cancel out in a mean: completeness is shown as its mean |gap|
                boolean absolute = n.contains("completeness") || n.contains("gap");
                h.append("<td class=\"num\">").append(v == null ? "" : Html.number(Arrays.stream(v)
                        .map(x -> absolute ? Math.abs(x) : x).average().orElse(Double.NaN))).append("</td>");
            }
            h.append("</tr>\n");
        });
        h.append("</table></section>\n");
    }

    private void inputView(StringBuilder h, Sample sample) {
        double[] input = sample.input();
        if (options.geometry() != null) {
            InputImage image = InputImage.fromRow(input, options.geometry());
            h.append("<figure class=\"input\">");
            h.append("<img src=\"").append(Png.dataUri(Png.encode(image.render(Heatmap.DEFAULT_MIN_SIDE))))
                    .append("\" alt=\"").append(Html.attr("input " + sample.label())).append("\">");
            h.append("<figcaption>input</figcaption></figure>\n");
            return;
        }
        h.append("<div class=\"features\"><table><tr><th>feature</th><th>value</th></tr>\n");
        for (int i = 0; i < input.length; i++) {
            String name = i < options.featureNames().size() ? options.featureNames().get(i) : "x" + i;
            h.append("<tr><td>").append(Html.text(name)).append("</td><td class=\"num\">").append(Html.number(input[i]))
                    .append("</td></tr>\n");
        }
        h.append("</table></div>\n");
    }

    private void predictionView(StringBuilder h, Sample sample) {
        double[] p = sample.probabilities();
        if (p == null) {
            return;
        }
        int best = sample.predictedClass();
        h.append("<div class=\"prediction\"><p>prediction: <b>").append(Html.text(options.className(best)))
                .append("</b> (").append(Html.number(p[best])).append(")</p>\n<table><tr><th>class</th><th>output</th>"
                        + "<th></th></tr>\n");
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -p[i]).thenComparingInt(i -> i));
        for (int k = 0; k < Math.min(MAX_PROBABILITY_ROWS, p.length); k++) {
            int c = order[k];
            double width = Math.max(0, Math.min(1, p[c])) * 160;
            h.append(c == best ? "<tr class=\"best\">" : "<tr>").append("<td>").append(Html.text(options.className(c)))
                    .append("</td><td class=\"num\">").append(Html.number(p[c])).append("</td><td style=\"width:170px\">"
                            + "<div class=\"bar\" style=\"width:").append(String.format(java.util.Locale.ROOT, "%.1f", width))
                    .append("px\"></div></td></tr>\n");
        }
        if (p.length > MAX_PROBABILITY_ROWS) {
            h.append("<tr><td colspan=\"3\" class=\"muted\">").append(p.length - MAX_PROBABILITY_ROWS)
                    .append(" more classes</td></tr>\n");
        }
        h.append("</table></div>\n");
    }

    private void agreementTable(StringBuilder h, double[][] rho) {
        h.append("<h3>Agreement between methods (Spearman ρ)</h3>\n<table class=\"agreement\"><tr><th></th>");
        for (Attributions a : methods) {
            h.append("<th>").append(Html.text(a.method())).append("</th>");
        }
        h.append("</tr>\n");
        for (int i = 0; i < rho.length; i++) {
            h.append("<tr><th>").append(Html.text(methods.get(i).method())).append("</th>");
            for (int j = 0; j < rho.length; j++) {
                double v = rho[i][j];
                String colour = Double.isNaN(v) ? "ffffff"
                        : String.format(Locale.ROOT, "%06x", Colormap.mix(0xffffff, Colormap.DIVERGING.rgb(v), 0.6));
                h.append("<td class=\"num\" style=\"background:#").append(colour).append("\">")
                        .append(Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f", v)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void image(StringBuilder h, byte[] png, String alt) {
        h.append("<figure><img src=\"").append(Png.dataUri(png)).append("\" alt=\"").append(Html.attr(alt))
                .append("\"></figure>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(Html.text(key)).append("</th><td>").append(Html.text(value)).append("</td></tr>\n");
    }
}
