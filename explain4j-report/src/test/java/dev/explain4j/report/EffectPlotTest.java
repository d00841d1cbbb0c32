package dev.explain4j.report;

import dev.explain4j.global.AccumulatedLocalEffects;
import dev.explain4j.global.FeatureEffect;
import dev.explain4j.global.PartialDependence;
import dev.explain4j.model.ExplainableModel;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pictures of partial dependence (with ICE), of a pair (heatmap) and of ALE: what they hold, PNG and SVG. */
class EffectPlotTest {
    private static final ExplainableModel PRODUCT = ExplainableModel.of(b -> b.getColumn(0).mul(b.getColumn(1))
            .reshape(b.size(0), 1), new long[]{2}, 1, DataType.DOUBLE);

    private static INDArray data() {
        double[][] rows = new double[40][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new double[]{r / 4.0, (r * 7 % 40) / 10.0};
        }
        return Nd4j.createFromArray(rows);
    }

    @Test
    void lineHoldsTheEffectAndEachIceCurveAndTheDecilesAsMarkers(@TempDir Path dir) throws Exception {
        FeatureEffect pd = PartialDependence.of(PRODUCT).withGridPoints(10).withFeatureNames(List.of("age <b>", "dose"))
                .compute(data(), 0);
        Chart chart = EffectPlot.of(pd, "risk");
        XYPlot plot = chart.jfreeChart().getXYPlot();
        assertThat(plot.getDataset().getSeriesCount()).isEqualTo(1 + 40);
        assertThat(plot.getDataset().getYValue(0, 3)).isEqualTo(pd.values()[3]);
        assertThat(plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).hasSize(9);
        assertThat(plot.getDomainAxis().getLabel()).isEqualTo("age <b>");
        assertThat(chart.jfreeChart().getTitle().getText()).isEqualTo("Partial dependence of risk on age <b>");
        assertThat(EffectPlot.of(pd.withoutCurves(), "risk").jfreeChart().getXYPlot().getDataset().getSeriesCount()).isEqualTo(1);
        written(chart, dir, "pd");
    }

    @Test
    void aPairIsAHeatmapWithAColourBarOverTheValues(@TempDir Path dir) throws Exception {
        FeatureEffect pair = PartialDependence.of(PRODUCT).withGridPoints(5).compute(data(), 0, 1);
        Chart chart = EffectPlot.of(pair, "output 0");
        XYPlot plot = chart.jfreeChart().getXYPlot();
        assertThat(plot.getRenderer()).isInstanceOf(XYBlockRenderer.class);
        assertThat(plot.getDataset().getItemCount(0)).isEqualTo(25);
        PaintScaleLegend bar = (PaintScaleLegend) chart.jfreeChart().getSubtitles().stream()
                .filter(PaintScaleLegend.class::isInstance).findFirst().orElseThrow();
        double lo = java.util.Arrays.stream(pair.values()).min().orElseThrow();
        double hi = java.util.Arrays.stream(pair.values()).max().orElseThrow();
        assertThat(bar.getScale().getLowerBound()).isEqualTo(lo);
        assertThat(bar.getScale().getUpperBound()).isEqualTo(hi);
        assertThat(bar.getScale().getPaint(hi)).isNotEqualTo(bar.getScale().getPaint(lo));
        written(chart, dir, "pair");
    }

    @Test
    void aleIsALineOverTheIntervalEdges(@TempDir Path dir) throws Exception {
        FeatureEffect ale = AccumulatedLocalEffects.of(PRODUCT).withIntervals(8).compute(data(), 1);
        Chart chart = EffectPlot.of(ale, "y");
        assertThat(chart.jfreeChart().getXYPlot().getDataset().getSeriesCount()).isEqualTo(1);
        assertThat(chart.jfreeChart().getXYPlot().getDataset().getItemCount(0)).isEqualTo(ale.grid(0).length);
        assertThat(EffectPlot.altText(ale, "y")).startsWith("Accumulated local effects of y on x1 over 40 rows");
        written(chart, dir, "ale");
    }

    /** PNG decodes and is not blank; SVG is well-formed XML. */
    private static void written(Chart chart, Path dir, String name) throws Exception {
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        chart.writePng(png);
        chart.writeSvg(svg);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(chart.width());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).isGreaterThan(20);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // the SVG names its DTD by URL; the test must not go online for it
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        assertThat(factory.newDocumentBuilder().parse(svg.toFile()).getDocumentElement().getTagName()).isEqualTo("svg");
    }
}
