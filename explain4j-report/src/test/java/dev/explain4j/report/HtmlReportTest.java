package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HtmlReportTest {
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String ATTRIBUTE_BREAK = "\"><img src=x onerror=alert(1)>";

    @Test
    void everyUserStringAppearsOnlyEscaped() {
        List<String> features = List.of(SCRIPT, ATTRIBUTE_BREAK, "age", "income", "debt", "years");
        List<String> classes = List.of(SCRIPT, ATTRIBUTE_BREAK);
        HtmlReport.Builder b = HtmlReport.builder(new ModelSummary(ATTRIBUTE_BREAK + ".zip",
                        List.of(new ModelSummary.Layer(0, SCRIPT, ATTRIBUTE_BREAK)), List.of(6L), 2, SCRIPT, ATTRIBUTE_BREAK))
                .title(SCRIPT).source(ATTRIBUTE_BREAK + ".csv").featureNames(features).classNames(classes);
        double[] x = {1, 2, 3, 4, 5, 6};
        b.addSample(Sample.of(SCRIPT, x).withProbabilities(new double[] {0.3, 0.7}));
        b.addSample(Sample.of(ATTRIBUTE_BREAK, x).withProbabilities(new double[] {0.9, 0.1}));
        b.addAttributions(Attributions.builder(SCRIPT, Nd4j.create(new double[][] {x, x})).parameter(SCRIPT, ATTRIBUTE_BREAK)
                .parameter("layer", ATTRIBUTE_BREAK).targets(new int[] {0, 1}).build());
        b.addAttributions(Attributions.builder(ATTRIBUTE_BREAK, Nd4j.create(new double[][] {x, x})).build());
        String html = b.build().render();

        assertThat(html).doesNotContain(SCRIPT).doesNotContain("<script").doesNotContain("<img src=x");
        // the words may stand in the text, but never inside a tag
        assertThat(Pattern.compile("<[^>]*onerror").matcher(html).find()).isFalse();
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("&#34;&gt;&lt;img src=x onerror=alert(1)&gt;");
        // every <img> in the page is one of ours: a PNG data URI
        Matcher img = Pattern.compile("<img[^>]*>").matcher(html);
        int images = 0;
        while (img.find()) {
            assertThat(img.group()).startsWith("<img src=\"data:image/png;base64,");
            images++;
        }
        // 2 samples × 2 methods (tabular: no input picture), then the opening beeswarm and bar of each method
        assertThat(images).isEqualTo(2 * 2 + 2 * 2);
    }

    @Test
    void imageReportIsSelfContainedAndShowsEverySampleAndMethod() {
        String html = ReportFixtures.imageReport(3).build().render();
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("@import")
                .doesNotContain("@font-face").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("url(");
        assertThat(count(html, "<section class=\"sample\"")).isEqualTo(3);
        assertThat(count(html, "<figure class=\"method\">")).isEqualTo(3 * 10);
        assertThat(count(html, "<figure class=\"input\">")).isEqualTo(3);
        assertThat(count(html, "Agreement between methods")).isEqualTo(3);
        assertThat(html).contains("completeness δ = 1e−04").contains("(16 steps)").contains("mnist-cnn.zip")
                .contains("ConvolutionLayer").contains("CpuBackend").contains("prediction: <b>");
        assertThat(html).contains("id=\"completeness\"");
    }

    @Test
    void twentyEightByTwentyEightTimesTenMethodsTimesEightSamplesStaysUnderFiveMegabytes(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        Path file = dir.resolve("report.html");
        ReportFixtures.imageReport(8).build().write(file);
        long bytes = Files.size(file);
        System.out.printf("28x28 x 10 methods x 8 samples: %d bytes, %.1f s%n", bytes, (System.nanoTime() - start) / 1e9);
        assertThat(bytes).isLessThan(5L * 1024 * 1024);
        // per method and sample the heatmap and the masked image, + inputs + IG charts
        assertThat(count(Files.readString(file), "<img ")).isEqualTo(8 * 10 * 2 + 8 + 2);
    }

    @Test
    void tabularReportShowsFeatureTablesBarsAndAgreement() {
        String html = ReportFixtures.tabularReport(List.of("age", "income", "debt", "years", "children", "score"),
                List.of("rejected", "approved")).build().render();
        assertThat(html).contains("<th>feature</th>").contains("<td>income</td>");
        assertThat(count(html, "<figure class=\"method\">")).isEqualTo(3 * 3);
        assertThat(html).contains("Spearman ρ").contains("target: rejected");
        assertThat(html).doesNotContain(">n/a</td>");           // same-shaped tabular rows always compare
    }

    @Test
    void aDataSetReportOpensWithTheGlobalPicturesAndShowsLimesSurrogateRounded() {
        String html = ReportFixtures.tabularReport(List.of("age", "income", "debt", "years", "children", "score"),
                List.of("rejected", "approved")).build().render();
        int overview = html.indexOf("<section id=\"overview\">");
        assertThat(overview).isPositive().isLessThan(html.indexOf("<section id=\"model\">"))
                .isLessThan(html.indexOf("<section class=\"sample\""));
        String opening = html.substring(overview, html.indexOf("</section>", overview));
        // beeswarm and bar for each of the three methods; the decision plot only for the one whose attributions add
        // up to its outputs (IG, with a completeness delta), not for LIME, whose outputs its weights do not sum to
        assertThat(count(opening, "<img ")).isEqualTo(3 * 2 + 1);
        assertThat(opening).contains("alt=\"Beeswarm summary of kernel-shap").contains("alt=\"Bar chart of the mean absolute lime")
                .contains("alt=\"Decision plot of 3 rows");
        assertThat(opening.indexOf("alt=\"Decision plot")).isBetween(opening.indexOf("alt=\"Bar chart of the mean absolute integrated"),
                opening.indexOf("alt=\"Beeswarm summary of kernel-shap"));
        assertThat(html).contains("lime: local surrogate per sample")
                .contains("<td class=\"num\">0.1235</td>").contains("<td class=\"num\">0.9877</td>")
                .contains("<td class=\"num\">0.618</td>").contains("kernel-width = 1.837");
        // no number is written with more than four significant digits outside the pictures
        String text = html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "");
        assertThat(text).doesNotContainPattern("[1-9]\\d*\\.\\d{5,}|0\\.0*[1-9]\\d{4,}");
        java.util.regex.Matcher img = java.util.regex.Pattern.compile("<img [^>]*>").matcher(html);
        while (img.find()) {
            assertThat(img.group()).containsPattern("alt=\"[^\"]{12,}\"");
        }
    }

    @Test
    void imageReportsDrawSaliencyOnTheSequentialScaleAndShowTheMaskedImage() {
        String html = ReportFixtures.imageReport(2).build().render();
        assertThat(html).contains("alt=\"Input image of row 1 with only the 79 pixels of largest |saliency attribution|")
                .contains("on the sequential scale for methods without negative values");
        assertThat(html).doesNotContain("<section id=\"overview\">");     // pixels are not features read across rows
        double[][] x = ReportFixtures.digits(2);
        ReportOptions byMethod = new ReportOptions(ReportFixtures.MNIST, List.of(), List.of(), null, 2, Heatmap.Background.GRAYSCALE,
                Heatmap.DEFAULT_ALPHA, 10);
        assertThat(byMethod.sign(ReportFixtures.imageAttributions("saliency", x, 1))).isEqualTo(SignMode.ABSOLUTE_VALUE);
        assertThat(byMethod.sign(ReportFixtures.imageAttributions("integrated-gradients", x, 1))).isEqualTo(SignMode.ALL);
    }

    @Test
    void rejectsAttributionsThatDoNotMatchTheSamples() {
        HtmlReport.Builder b = ReportFixtures.imageReport(2);
        b.addAttributions(ReportFixtures.imageAttributions("occlusion", ReportFixtures.digits(3), 1));
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("occlusion").hasMessageContaining("3 rows").hasMessageContaining("2 samples");
        assertThatThrownBy(() -> HtmlReport.builder(ReportFixtures.mnistModel()).image(ReportFixtures.MNIST)
                .addSample(Sample.of("short", new double[10])).build()).hasMessageContaining("784");
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
