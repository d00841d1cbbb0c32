package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartTest {
    private static final String SCRIPT = "<script>alert(1)</script>";

    @Test
    void barChartShowsTheTopKByMagnitudeLargestFirst() {
        double[] a = {0.1, -0.9, 0.5, 0.05, -0.3};
        Chart chart = BarChart.topK(a, List.of("a", "b", "c", "d", "e"), null, 3, null);
        CategoryDataset data = chart.jfreeChart().getCategoryPlot().getDataset();
        assertThat(data.getColumnCount()).isEqualTo(3);
        assertThat(data.getColumnKey(0).toString()).isEqualTo("b");
        assertThat(data.getColumnKey(1).toString()).isEqualTo("c");
        assertThat(data.getColumnKey(2).toString()).isEqualTo("e");
        assertThat(data.getValue(0, 0).doubleValue()).isEqualTo(-0.9);
    }

    @Test
    void barChartWritesPngAndWellFormedSvgWithNamesEscaped(@TempDir Path dir) throws Exception {
        double[] a = {0.4, -0.2, 0.1};
        Chart chart = BarChart.topK(a, List.of(SCRIPT, "\"><img src=x onerror=alert(1)>", "age"),
                new double[] {1, 2, 3}, 10, "kernel-shap");
        Path png = dir.resolve("bars.png");
        Path svg = dir.resolve("bars.svg");
        chart.writePng(png);
        chart.writeSvg(svg);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(chart.width());
        String text = Files.readString(svg);
        assertThat(text).startsWith("<?xml").contains("<svg").doesNotContain(SCRIPT).doesNotContain("<img");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // the SVG names its DTD by URL; the test must not go online for it
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        assertThat(doc.getDocumentElement().getTextContent()).contains(SCRIPT + " = 1");
    }

    @Test
    void completenessChartsExistOnlyWhereTheMethodReportsThem(@TempDir Path dir) throws Exception {
        double[][] x = ReportFixtures.digits(4);
        Attributions ig = ReportFixtures.imageAttributions("integrated-gradients", x, 1);
        Attributions saliency = ReportFixtures.imageAttributions("saliency", x, 2);
        assertThat(CompletenessChart.deltaPerRow(saliency, null)).isEmpty();
        assertThat(CompletenessChart.deltaAgainstSteps(saliency)).isEmpty();
        Chart perRow = CompletenessChart.deltaPerRow(ig, List.of("a", "b", "c", "d")).orElseThrow();
        Chart steps = CompletenessChart.deltaAgainstSteps(ig).orElseThrow();
        perRow.writeSvg(dir.resolve("delta.svg"));
        steps.writePng(dir.resolve("steps.png"));
        assertThat(perRow.jfreeChart().getCategoryPlot().getDataset().getColumnCount()).isEqualTo(4);
        assertThat(ImageIO.read(dir.resolve("steps.png").toFile())).isNotNull();
        assertThat(Files.readString(dir.resolve("delta.svg"))).contains("<svg");
    }
}
