package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The text view: tokens coloured by sign and size, values on hover, padding hidden, everything escaped. */
class TextReportTest {
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String ATTRIBUTE_BREAK = "\"><img src=x onerror=alert(1)>";

    private static String report() {
        List<List<String>> tokens = List.of(Arrays.asList(null, null, "free", SCRIPT, "now"),
                Arrays.asList(null, "meeting", ATTRIBUTE_BREAK, "free", "now"));
        double[][] ig = {{9, 9, 2.0, -1.0, 0.5}, {9, 0.25, -0.5, 1.0, 0}};
        double[][] shap = {{0, 0, 1.0, 0.1, -0.2}, {0, 0.1, 0.3, 0.9, 0.05}};
        HtmlReport.Builder b = HtmlReport.builder(new ModelSummary("spam.zip", List.of(), List.of(5L), 2, "CPU", "float"))
                .classNames(List.of("ham", "spam"))
                .addSample(Sample.of("mails.txt row 1", new double[] {0, 0, 3, 4, 5}).withProbabilities(new double[] {0.2, 0.8}))
                .addSample(Sample.of("mails.txt row 2", new double[] {0, 6, 7, 3, 5}).withProbabilities(new double[] {0.9, 0.1}));
        b.addAttributions(Attributions.builder("integrated-gradients", Nd4j.create(ig)).targets(new int[] {1, 1}).build()
                .withTokens(tokens));
        b.addAttributions(Attributions.builder("kernel-shap", Nd4j.create(shap)).targets(new int[] {1, 0}).build()
                .withTokens(tokens));
        return b.build().render();
    }

    private static List<String> spans(String html) {
        Matcher m = Pattern.compile("<span class=\"tok\" style=\"background:#([0-9a-f]{6})\" title=\"([^\"]*)\">([^<]*)</span>")
                .matcher(html);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(3) + "|" + m.group(1) + "|" + m.group(2));
        }
        return found;
    }

    @Test
    void tokensAreColouredBySignAndSizeWithTheValueOnHoverAndPaddingHidden() {
        String html = report();
        List<String> spans = spans(html);
        // 3 + 4 real tokens, one line per method; the 9s sit at padding and must neither show nor set the scale
        assertThat(spans).hasSize(2 * (3 + 4));
        assertThat(spans.get(0)).isEqualTo("free|" + String.format("%06x", Colormap.DIVERGING.rgb(1)) + "|free: 2 (position 3)");
        assertThat(spans.get(1)).startsWith("&lt;script&gt;alert(1)&lt;/script&gt;|"
                + String.format("%06x", Colormap.DIVERGING.rgb(-0.5)) + "|");
        assertThat(spans.get(2)).isEqualTo("now|" + String.format("%06x", Colormap.DIVERGING.rgb(0.25)) + "|now: 0.5 (position 5)");
        assertThat(Colormap.DIVERGING.rgb(1)).as("red raises").isEqualTo(0xca0020);
        assertThat(Colormap.DIVERGING.rgb(-1)).as("blue lowers").isEqualTo(0x0571b0);
        assertThat(html).contains("raises").contains("lowers").contains("prediction: <b>spam</b> (0.8)")
                .contains("prediction: <b>ham</b> (0.9)");
    }

    @Test
    void everyTokenIsEscapedAndTheReportHasNoPictureOfIds() {
        String html = report();
        assertThat(html).doesNotContain(SCRIPT).doesNotContain("<script").doesNotContain("<img src=x");
        assertThat(Pattern.compile("<[^>]*onerror").matcher(html).find()).isFalse();
        assertThat(html).doesNotContain("<figure class=\"method\">").doesNotContain("<th>feature</th>");
    }

    @Test
    void topTokensPerClassRankByMeanAbsoluteAttributionOverOccurrences() {
        String html = report();
        String section = html.substring(html.indexOf("<section id=\"tokens\">"), html.indexOf("</section>",
                html.indexOf("<section id=\"tokens\">")));
        // integrated-gradients, class spam (both rows): free (2 + 1) / 2 = 1.5, script 1, meeting... now (0.5 + 0) / 2
        String ig = section.substring(section.indexOf("integrated-gradients · spam"), section.indexOf("kernel-shap"));
        assertThat(ig).containsSubsequence("<td>free</td><td class=\"num\">1.5</td><td class=\"num\">2</td>",
                "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td class=\"num\">1</td>",
                "<td>&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</td><td class=\"num\">0.5</td>",
                "<td>meeting</td><td class=\"num\">0.25</td>", "<td>now</td><td class=\"num\">0.25</td>");
        // kernel-shap explained row 1 for spam and row 2 for ham: one table per class, ham first
        assertThat(section).containsSubsequence("kernel-shap · ham", "<td>free</td><td class=\"num\">0.9</td>",
                "kernel-shap · spam", "<td>free</td><td class=\"num\">1</td>");
    }

    @Test
    void attentionReceivedIsShownBesideTheTokensAveragedOverRealQueriesAndHeads() {
        List<List<String>> tokens = List.of(Arrays.asList(null, "free", "cash", "now"));
        // [1 row, 2 heads, 4 queries, 4 keys]; the padded query (0) attends only to itself and must not count
        double[][][][] w = new double[1][2][4][4];
        w[0][0][0] = new double[] {1, 0, 0, 0};
        w[0][1][0] = new double[] {1, 0, 0, 0};
        for (int q = 1; q < 4; q++) {
            w[0][0][q] = new double[] {0, 0.5, 0.5, 0};
            w[0][1][q] = new double[] {0, 0, 0.5, 0.5};
        }
        org.nd4j.linalg.api.ndarray.INDArray weights = Nd4j.create(w);
        assertThat(TextView.received(weights, 0, tokens.get(0))).containsExactly(0, 0.25, 0.5, 0.25);

        Attributions ig = Attributions.builder("integrated-gradients", Nd4j.create(new double[][] {{0, 1, -1, 0.5}}))
                .targets(new int[] {1}).build().withTokens(tokens).withAttention(java.util.Map.of("attention", weights));
        String html = HtmlReport.builder(new ModelSummary("spam.zip", List.of(), List.of(4L), 2, "CPU", "float"))
                .classNames(List.of("ham", "spam"))
                .addSample(Sample.of("mails.txt row 1", new double[] {0, 3, 4, 5}).withProbabilities(new double[] {0.2, 0.8}))
                .addAttributions(ig).build().render();
        List<String> spans = spans(html);
        assertThat(spans).hasSize(2 * 3);
        String purple = String.format("%06x", Colormap.forSign(SignMode.ABSOLUTE_VALUE).rgb(1));
        assertThat(html).contains("<td>attention · attention</td><td>received</td>");
        assertThat(spans.get(4)).isEqualTo("cash|" + purple + "|cash: attention received 0.5 (position 3)");
        assertThat(spans.get(3)).isEqualTo("free|" + String.format("%06x", Colormap.forSign(SignMode.ABSOLUTE_VALUE).rgb(0.5))
                + "|free: attention received 0.25 (position 2)");
    }
}
