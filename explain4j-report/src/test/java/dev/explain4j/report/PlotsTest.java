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
    static final java.util.List<PlotKind> TABULAR = Arrays.stream(PlotKind.values()).filter(k -> !k.needsImage()).toList();
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
            for (PlotKind kind : TABULAR) {
                kind.create(iris, 6).write(Path.of(dir, "iris-" + kind.cliName() + ".png"));
                kind.create(iris, 6).write(Path.of(dir, "iris-" + kind.cliName() + ".svg"));
            }
        }
    }

    @Test
    void everyKindRendersANonBlankPngOfItsSizeAndWellFormedSvg() throws Exception {
        for (PlotKind kind : TABULAR) {
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
            assertThat(plot.title()).isNotBlank();
        }
        assertThatThrownBy(() -> PlotKind.IMAGE_OVERLAY.create(iris, 0)).hasMessageContaining("needs image inputs");
    }

    /** What the browser test checks in Chromium, checked here too where Chromium is missing: > 1% of pixels not white. */
    @Test
    void everyKindOnTheBrowserTestsDataHasInk() {
        for (PlotKind kind : PlotKind.values()) {
            BufferedImage png = kind.create(kind.needsImage() ? ReportBrowserTest.imageData() : ReportBrowserTest.tabularData(), 1)
                    .render();
            long ink = 0;
            for (int y = 0; y < png.getHeight(); y++) {
                for (int x = 0; x < png.getWidth(); x++) {
                    int rgb = png.getRGB(x, y);
                    ink += ((rgb >> 16) & 0xff) < 245 || ((rgb >> 8) & 0xff) < 245 || (rgb & 0xff) < 245 ? 1 : 0;
                }
            }
            assertThat((double) ink / ((long) png.getWidth() * png.getHeight())).as(kind.cliName()).isGreaterThan(0.01);
        }
    }

    /** Raises and lowers meet at f(x), largest next to it, and balance at f(reference): on numbers and on pixels. */
    @Test
    void forcePlotPushesFromTheReferenceToTheOutput() {
        Attributions a = iris.attributions();
        for (int row = 0; row < values.length; row++) {
            ForcePlot plot = ForcePlot.of(iris, row);
            double fx = a.targetOutputs().orElseThrow()[row];
            double fref = a.referenceOutputs().orElseThrow()[row];
            double sumAbs = Arrays.stream(values[row]).map(Math::abs).sum();
            double up = 0;
            double down = 0;
            for (var side : java.util.List.of(plot.raising(), plot.lowering())) {
                double at = fx;
                double last = Double.POSITIVE_INFINITY;
                for (ForcePlot.Segment s : side) {
                    assertThat(s.end()).isEqualTo(at);
                    assertThat(s.end() - s.start()).isCloseTo(s.value(), within(1e-12));
                    if (s.kind() == ForcePlot.Segment.Kind.FEATURE) {
                        assertThat(Math.abs(s.value())).isLessThanOrEqualTo(last);
                        last = Math.abs(s.value());
                    }
                    at = s.start();
                }
            }
            for (ForcePlot.Segment s : plot.raising()) {
                assertThat(s.value()).isPositive();
                up += s.value();
            }
            for (ForcePlot.Segment s : plot.lowering()) {
                assertThat(s.value()).isNegative();
                down += s.value();
            }
            assertThat(fx - up - down).as("row " + row).isCloseTo(fref, within(RowOutputs.GAP_TOLERANCE * sumAbs + 1e-12));
            // on the picture: red just left of f(x), blue just right, where a side exists
            BufferedImage image = plot.render();
            int y = (int) plot.barCentre();
            int x = (int) Math.round(plot.scale().pixel(fx));
            if (!plot.raising().isEmpty() && plot.scale().pixel(fx) - plot.scale().pixel(plot.raising().get(0).start()) > 12) {
                assertThat(red(image.getRGB(x - 9, y))).as("row %d left of f(x)", row).isTrue();
            }
            if (!plot.lowering().isEmpty() && plot.scale().pixel(plot.lowering().get(0).start()) - plot.scale().pixel(fx) > 12) {
                assertThat(blue(image.getRGB(x + 9, y))).as("row %d right of f(x)", row).isTrue();
            }
        }
    }

    @Test
    void forcePlotFoldsSmallFeaturesPerSideAndShowsTheUnattributedGap() {
        // 6 features: two big ones, four slivers of each sign; outputs leave 0.5 unattributed
        double[] row = {2.0, -1.0, 0.01, -0.01, 0.02, -0.02};
        Attributions a = Attributions.builder("test", org.nd4j.linalg.factory.Nd4j.create(new double[][] {row}))
                .targetOutputs(new double[] {3.0}).referenceOutputs(new double[] {1.5}).build();
        ForcePlot plot = ForcePlot.of(PlotData.of(a), 0);
        assertThat(plot.raising()).extracting(ForcePlot.Segment::kind).containsExactly(ForcePlot.Segment.Kind.FEATURE,
                ForcePlot.Segment.Kind.FOLDED, ForcePlot.Segment.Kind.GAP);
        assertThat(plot.raising().get(1).value()).isCloseTo(0.03, within(1e-12));
        assertThat(plot.raising().get(1).label()).isEqualTo("2 other features");
        assertThat(plot.raising().get(2).value()).isCloseTo(3.0 - 1.5 - 1.0, within(1e-12));
        assertThat(plot.lowering()).extracting(ForcePlot.Segment::kind).containsExactly(ForcePlot.Segment.Kind.FEATURE,
                ForcePlot.Segment.Kind.FOLDED);
        assertThat(plot.raising().get(2).start()).isCloseTo(3.0 - 2.0 - 0.03 - 0.5, within(1e-12));
    }

    @Test
    void decisionPathsRunFromTheReferenceOutputToTheOutputThroughTheFeaturesLeastImportantFirst() {
        DecisionPlot plot = DecisionPlot.of(iris);
        Attributions a = iris.attributions();
        int[] order = plot.featureOrder();
        assertThat(order[0]).isEqualTo(iris.importanceOrder()[0]);
        for (int r = 0; r < values.length; r++) {
            double[] path = plot.path(r);
            double fx = a.targetOutputs().orElseThrow()[r];
            assertThat(path[0]).isEqualTo(a.referenceOutputs().orElseThrow()[r]);
            double sumAbs = Arrays.stream(values[r]).map(Math::abs).sum();
            assertThat(path[path.length - 1]).as("row " + r).isCloseTo(fx, within(RowOutputs.GAP_TOLERANCE * sumAbs));
            // the step into the top level is the most important feature's attribution
            assertThat(path[path.length - 1] - path[path.length - 2]).isCloseTo(values[r][order[0]], within(1e-12));
        }
        assertThat(plot.levelY(plot.levels())).isLessThan(plot.levelY(0));   // the top feature is drawn on top
    }

    @Test
    void dependencePlotHasOneDotPerRowAtItsValueAndAttributionAndFindsTheInteraction() {
        DependencePlot plot = DependencePlot.of(iris);
        int f = iris.importanceOrder()[0];
        assertThat(plot.feature()).isEqualTo(f);
        assertThat(plot.dots()).isEqualTo(values.length);
        for (int r = 0; r < values.length; r++) {
            assertThat(plot.dotX(r)).isEqualTo(plot.xScale().pixel(iris.input(r, f).orElseThrow()));
            assertThat(plot.dotY(r)).isEqualTo(plot.yScale().pixel(values[r][f]));
        }
        assertThat(plot.yScale().pixel(1)).isLessThan(plot.yScale().pixel(0));   // up is positive
        assertThatThrownBy(() -> DependencePlot.of(PlotData.of(iris.attributions()))).hasMessageContaining("--input");

        // attribution of x0 = x0 · x2: the spread left after x0's own trend is x2's, not the noise feature x1's
        java.util.Random random = new java.util.Random(5);
        int n = 200;
        double[][] x = new double[n][3];
        double[][] attr = new double[n][3];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < 3; j++) {
                x[r][j] = random.nextGaussian();
            }
            attr[r][0] = x[r][0] * x[r][2];
            attr[r][1] = 0.1 * x[r][1];
            attr[r][2] = 0.5 * x[r][2];
        }
        PlotData synthetic = PlotData.of(Attributions.builder("test", org.nd4j.linalg.factory.Nd4j.create(attr)).build())
                .withInputs(x);
        DependencePlot interacting = DependencePlot.of(synthetic, 0);
        assertThat(interacting.interactionFeature()).hasValue(2);
        assertThat(interacting.interactionScore(2)).isGreaterThan(0.3).isGreaterThan(10 * interacting.interactionScore(1));
        assertThat(interacting.dots()).isEqualTo(n);
        assertThat(interacting.altText()).contains("Colour: x2");
    }

    private static boolean red(int rgb) {
        return ((rgb >> 16) & 0xff) > 150 && ((rgb >> 8) & 0xff) < 140 && (rgb & 0xff) < 140;
    }

    private static boolean blue(int rgb) {
        return (rgb & 0xff) > 120 && ((rgb >> 16) & 0xff) < 100;
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
            assertThat(steps.get(0).end()).isCloseTo(fx, within(RowOutputs.GAP_TOLERANCE * sumAbs));
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
