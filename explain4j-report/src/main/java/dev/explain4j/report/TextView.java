package dev.explain4j.report;

import dev.explain4j.core.Attributions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text view of token attributions: a document's tokens coloured by what each method attributed to them (red
 * raises, blue lowers the explained output; each line scaled by its largest |value|, the value itself on hover),
 * padding left out; the attention each token receives, when the results carry an attention layer's weights; and,
 * over all documents, the tokens with the largest mean |attribution| per explained class.
 * Every token is HTML-escaped.
 */
final class TextView {
    /** Attention weights' scale: sequential, as for unsigned attributions. */
    private static final Colormap ATTENTION = Colormap.forSign(SignMode.ABSOLUTE_VALUE);
    /** How many tokens the per-class table lists per method and class. */
    static final int TOP_TOKENS = 10;

    private TextView() {
    }

    /** Whether the results carry tokens to show: then samples are shown as text. */
    static boolean applies(List<Attributions> methods) {
        return !methods.isEmpty() && methods.stream().allMatch(a -> a.tokens().isPresent());
    }

    /** The legend of the colours, once per page section that uses them. */
    static void legend(StringBuilder h) {
        h.append("<p class=\"note\">Tokens coloured by attribution: <span class=\"tok\" style=\"background:#")
                .append(hex(Colormap.DIVERGING.rgb(1))).append("\">raises</span> <span class=\"tok\" style=\"background:#")
                .append(hex(Colormap.DIVERGING.rgb(0.3))).append("\">a little</span> <span class=\"tok\">neutral</span> "
                        + "<span class=\"tok\" style=\"background:#").append(hex(Colormap.DIVERGING.rgb(-0.3)))
                .append("\">a little</span> <span class=\"tok\" style=\"background:#").append(hex(Colormap.DIVERGING.rgb(-1)))
                .append("\">lowers</span> the explained output; each line is scaled by its largest |attribution|, "
                        + "hover a token for its value. Padding is not shown.</p>\n");
    }

    /** One line per method: sample {@code r}'s tokens, coloured. */
    static void lines(StringBuilder h, List<Attributions> methods, int r, ReportOptions options) {
        h.append("<table class=\"text\"><tr><th>method</th><th>target</th><th>tokens</th></tr>\n");
        for (Attributions a : methods) {
            List<String> tokens = a.tokens().orElseThrow().get(r);
            double[] values = a.row(r);
            double scale = 0;
            for (int t = 0; t < values.length; t++) {
                if (tokens.get(t) != null && Double.isFinite(values[t])) {
                    scale = Math.max(scale, Math.abs(values[t]));
                }
            }
            h.append("<tr><td>").append(Html.text(a.method())).append("</td><td>")
                    .append(Html.text(a.targets().map(t -> options.className(t[r])).orElse(""))).append("</td><td>");
            for (int t = 0; t < values.length; t++) {
                String token = tokens.get(t);
                if (token == null) {
                    continue;
                }
                double shade = scale > 0 ? values[t] / scale : 0;
                h.append("<span class=\"tok\" style=\"background:#").append(hex(Colormap.DIVERGING.rgb(shade)))
                        .append("\" title=\"").append(Html.attr(token + ": " + Html.number(values[t])
                                + " (position " + (t + 1) + ")")).append("\">").append(Html.text(token)).append("</span> ");
            }
            h.append("</td></tr>\n");
        }
        attentionLines(h, methods, r);
        h.append("</table>\n");
    }

    /**
     * Beside the attributions, one line per attention layer of the network (when the results carry its weights): the
     * attention each token receives, its weight averaged over the heads and over the queries (the real tokens'
     * positions for self-attention, the learned queries otherwise), on the sequential scale: attention is a weight,
     * not a contribution, and has no sign.
     */
    private static void attentionLines(StringBuilder h, List<Attributions> methods, int r) {
        Attributions carrier = methods.stream().filter(a -> a.attention().isPresent()).findFirst().orElse(null);
        if (carrier == null) {
            return;
        }
        List<String> tokens = carrier.tokens().orElseThrow().get(r);
        carrier.attention().orElseThrow().forEach((layer, weights) -> {
            double[] received = received(weights, r, tokens);
            double scale = 0;
            for (int k = 0; k < received.length; k++) {
                scale = tokens.get(k) != null ? Math.max(scale, received[k]) : scale;
            }
            h.append("<tr><td>attention · ").append(Html.text(layer)).append("</td><td>received</td><td>");
            for (int k = 0; k < received.length; k++) {
                if (tokens.get(k) == null) {
                    continue;
                }
                double shade = scale > 0 ? received[k] / scale : 0;
                h.append("<span class=\"tok\" style=\"background:#").append(hex(ATTENTION.rgb(shade)))
                        .append("\" title=\"").append(Html.attr(tokens.get(k) + ": attention received "
                                + Html.number(received[k]) + " (position " + (k + 1) + ")")).append("\">")
                        .append(Html.text(tokens.get(k))).append("</span> ");
            }
            h.append("</td></tr>\n");
        });
    }

    /** Row r's attention per key position: weights [rows, heads, queries, keys] averaged over heads and queries. */
    static double[] received(org.nd4j.linalg.api.ndarray.INDArray weights, int r, List<String> tokens) {
        long heads = weights.size(1);
        long queries = weights.size(2);
        int keys = (int) weights.size(3);
        boolean positional = queries == tokens.size();
        double[] received = new double[keys];
        long counted = 0;
        for (long q = 0; q < queries; q++) {
            if (positional && tokens.get((int) q) == null) {
                continue;           // a padded position asks nothing
            }
            counted++;
            for (long hd = 0; hd < heads; hd++) {
                for (int k = 0; k < keys; k++) {
                    received[k] += weights.getDouble(r, hd, q, k);
                }
            }
        }
        for (int k = 0; k < keys; k++) {
            received[k] /= Math.max(1, counted * heads);
        }
        return received;
    }

    /** Per method and explained class, the tokens whose attributions have the largest mean |value| over their uses. */
    static void topTokensByClass(StringBuilder h, List<Attributions> methods, ReportOptions options) {
        h.append("<section id=\"tokens\"><h2>Tokens by class</h2>\n<p class=\"note\">For each method and explained class, "
                + "the ").append(TOP_TOKENS).append(" tokens with the largest mean |attribution| over their occurrences in "
                + "the samples explained for that class (padding left out); n = occurrences.</p>\n<div class=\"gallery\">\n");
        for (Attributions a : methods) {
            int[] targets = a.targets().orElse(new int[a.rows()]);
            Map<Integer, Map<String, double[]>> byClass = new TreeMap<>();
            List<List<String>> tokens = a.tokens().orElseThrow();
            for (int r = 0; r < a.rows(); r++) {
                double[] values = a.row(r);
                Map<String, double[]> sums = byClass.computeIfAbsent(targets[r], c -> new HashMap<>());
                for (int t = 0; t < values.length; t++) {
                    String token = tokens.get(r).get(t);
                    if (token != null && Double.isFinite(values[t])) {
                        double[] sum = sums.computeIfAbsent(token, k -> new double[2]);
                        sum[0] += Math.abs(values[t]);
                        sum[1]++;
                    }
                }
            }
            byClass.forEach((c, sums) -> {
                List<Map.Entry<String, double[]>> ranked = new ArrayList<>(sums.entrySet());
                ranked.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0] / e.getValue()[1])
                        .thenComparing(Map.Entry::getKey));
                h.append("<table><tr><th colspan=\"3\">").append(Html.text(a.method())).append(" · ")
                        .append(Html.text(options.className(c))).append("</th></tr>\n<tr><th>token</th><th>mean |a|</th>"
                                + "<th>n</th></tr>\n");
                for (Map.Entry<String, double[]> e : ranked.subList(0, Math.min(TOP_TOKENS, ranked.size()))) {
                    h.append("<tr><td>").append(Html.text(e.getKey())).append("</td><td class=\"num\">")
                            .append(Html.number(e.getValue()[0] / e.getValue()[1])).append("</td><td class=\"num\">")
                            .append((long) e.getValue()[1]).append("</td></tr>\n");
                }
                h.append("</table>\n");
            });
        }
        h.append("</div></section>\n");
    }

    private static String hex(int rgb) {
        return String.format(Locale.ROOT, "%06x", rgb);
    }
}
