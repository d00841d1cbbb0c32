package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every plot kind on Integrated Gradients of the shipped iris network: decodes, is not blank, and its geometry is the numbers'. */
class PlotsTest {
    private static PlotData iris;
    private static double[][] values;

    @BeforeAll
    static void explainIris() {
        NetworkModel model = ModelLoader.load(Path.of("models/iris-mlp.zip"), null);
        InputTable table = CsvInputReader.anyWidth().read(Path.of("models/iris-samples.csv"));
        Attributions ig = IntegratedGradients.of(model).withSteps(64)
                .attribute(table.toArray(model.dataType()), Target.predicted());
        iris = PlotData.of(ig).withInputs(table.toMatrix()).withFeatureNames(table.featureNames().orElseThrow())
                .withClassNames(java.util.List.of("setosa", "versicolor", "virginica"));
        values = new double[ig.rows()][];
        for (int r = 0; r < values.length; r++) {
            values[r] = ig.row(r);
        }
        String dir = System.getProperty("explain4j.plots");
        if (dir != null) {
            for (PlotKind kind : PlotKind.values()) {
                kind.create(iris, 6).write(Path.of(dir, "iris-" + kind.cliName() + ".png"));
                kind.create(iris, 6).write(Path.of(dir, "iris-" + kind.cliName() + ".svg"));
            }
        }
    }

    @Test
    void everyKindRendersANonBlankPngOfItsSizeAndWellFormedSvg() throws Exception {
        for (PlotKind kind : PlotKind.values()) {
            Plot plot = kind.create(iris, 0);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(plot.png()));
            assertThat(png).as(kind.cliName()).isNotNull();
            assertThat(png.getWidth()).isEqualTo(plot.width());
            assertThat(png.getHeight()).isEqualTo(plot.height());
            assertThat(variance(png)).as(kind.cliName() + " pixel variance").isGreaterThan(100);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document svg = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(plot.svg().getBytes(StandardCharsets.UTF_8)));
            assertThat(svg.getDocumentElement().getNodeName()).isEqualTo("svg");
            assertThat(plot.kind()).isEqualTo(kind);
            assertThat(plot.altText()).contains("petal");
        }
    }

    @Test
    void beeswarmOrdersFeaturesByMeanAbsoluteAttributionAndPlacesDotsByValue() {
        BeeswarmPlot plot = BeeswarmPlot.of(iris);
        int[] expected = IntStream.range(0, 4).boxed()
                .sorted(Comparator.comparingDouble((Integer f) -> -meanAbs(f))).mapToInt(Integer::intValue).toArray();
        assertThat(plot.featureOrder()).containsExactly(expected);
        for (int l = 0; l < 4; l++) {
            int f = expected[l];
            for (int r = 0; r < values.length; r++) {
                for (int s = 0; s < values.length; s++) {
                    if (values[r][f] < values[s][f]) {
                        assertThat(plot.dotX(l, r)).isLessThan(plot.dotX(l, s));
                    }
                }
                // the swarm stays on its own feature's line
                assertThat(Math.abs(plot.dotY(l, r) - plot.lineCentre(l))).isLessThan(15);
            }
            // one attribution unit is the same number of pixels on every line
            double unit = plot.scale().pixel(1) - plot.scale().pixel(0);
            assertThat(plot.dotX(l, 0) - plot.scale().pixel(0)).isCloseTo(unit * values[0][f], within(1e-9));
        }
        assertThat(plot.altText()).contains(iris.featureName(expected[0]));
    }

    @Test
    void foldedFeaturesSumIntoTheLastLine() {
        BeeswarmPlot plot = BeeswarmPlot.of(iris).withMaxFeatures(2);
        int top = plot.featureOrder()[0];
        assertThat(plot.featureOrder()).containsExactly(top, FeatureRows.FOLDED);
        double unit = plot.scale().pixel(1) - plot.scale().pixel(0);
        double rest = Arrays.stream(values[3]).sum() - values[3][top];
        assertThat(plot.dotX(1, 3) - plot.scale().pixel(0)).isCloseTo(unit * rest, within(1e-9));
    }

    @Test
    void barLengthsAreProportionalToMeanAbsoluteAttributionAndStackByClass() {
        BarPlot plot = BarPlot.of(iris);
        assertThat(plot.title()).contains("by class");   // the nine rows predict all three species
        int[] order = plot.featureOrder();
        double ratio = plot.barLength(0) / meanAbs(order[0]);
        for (int l = 0; l < order.length; l++) {
            assertThat(plot.total(l)).isCloseTo(meanAbs(order[l]), within(1e-12));
            assertThat(plot.barLength(l) / meanAbs(order[l])).isCloseTo(ratio, within(1e-9 * ratio));
            if (l > 0) {
                assertThat(plot.barLength(l)).isLessThanOrEqualTo(plot.barLength(l - 1));
            }
        }
    }

    @Test
    void waterfallGoesFromTheReferenceOutputToTheOutputWithinAPixel() {
        Attributions a = iris.attributions();
        for (int row : new int[] {0, 6}) {
            WaterfallPlot plot = WaterfallPlot.of(iris, row);
            double fx = a.targetOutputs().orElseThrow()[row];
            double fref = a.referenceOutputs().orElseThrow()[row];
            var steps = plot.steps();
            assertThat(steps.get(steps.size() - 1).start()).isEqualTo(fref);
            // the unattributed rest is an arrow of its own unless it is rounding
            double sumAbs = Arrays.stream(values[row]).map(Math::abs).sum();
            assertThat(steps.get(0).end()).isCloseTo(fx, within(WaterfallPlot.GAP_TOLERANCE * sumAbs));
            for (int i = 0; i + 1 < steps.size(); i++) {
                assertThat(steps.get(i).start()).isCloseTo(steps.get(i + 1).end(), within(1e-12));
            }
            // on the picture: the top arrow's tip, found by its colour, is at f(x)
            BufferedImage image = plot.render();
            int y = (int) plot.lineCentre(0);
            boolean up = steps.get(0).value() >= 0;
            int tip = -1;
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int b = rgb & 0xff;
                int g = (rgb >> 8) & 0xff;
                boolean coloured = up ? r > 150 && g < 140 && b < 140 : b > 120 && r < 100;
                if (coloured && (tip < 0 || (up ? x > tip : x < tip))) {
                    tip = x;
                }
            }
            assertThat((double) tip).as("row " + row).isCloseTo(plot.scale().pixel(fx), within(1.5));
        }
        assertThatThrownBy(() -> WaterfallPlot.of(iris, 9)).hasMessageContaining("rows 1..9");
    }

    private static double meanAbs(int f) {
        return Arrays.stream(values).mapToDouble(r -> Math.abs(r[f])).sum() / values.length;
    }

    private static double variance(BufferedImage image) {
        double sum = 0;
        double sq = 0;
        long n = (long) image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double v = (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3.0;
                sum += v;
                sq += v * v;
            }
        }
        return sq / n - (sum / n) * (sum / n);
    }
}
