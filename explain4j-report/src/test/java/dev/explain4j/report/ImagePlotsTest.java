package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The image plots on the shipped digits network (saliency: unsigned; IG: signed) and on hand-made maps. */
class ImagePlotsTest {
    private static PlotData saliency;
    private static PlotData ig;

    @BeforeAll
    static void explainDigits() {
        NetworkModel model = ModelLoader.load(Path.of("models/digits-cnn.zip"), null);
        InputTable table = CsvInputReader.anyWidth().read(Path.of("models/digits-samples.csv"));
        INDArray x = table.toArray(model.dataType());
        ImageGeometry geometry = model.imageGeometry(x).orElseThrow();
        saliency = PlotData.of(Saliency.of(model).attribute(x, Target.predicted())).withInputs(table.toMatrix()).withImage(geometry);
        ig = PlotData.of(IntegratedGradients.of(model).withSteps(32).attribute(x, Target.predicted()))
                .withInputs(table.toMatrix()).withImage(geometry);
        String dir = System.getProperty("explain4j.plots");
        if (dir != null) {
            for (PlotKind kind : new PlotKind[] {PlotKind.IMAGE_OVERLAY, PlotKind.MASKED_IMAGE}) {
                kind.create(ig, 0).write(Path.of(dir, "digits-ig-" + kind.cliName() + ".png"));
                kind.create(saliency, 0).write(Path.of(dir, "digits-saliency-" + kind.cliName() + ".svg"));
                kind.create(saliency, 0).write(Path.of(dir, "digits-saliency-" + kind.cliName() + ".png"));
            }
        }
    }

    @Test
    void imageKindsRenderDecodableNonBlankPngAndWellFormedSvg() throws Exception {
        for (PlotKind kind : PlotKind.values()) {
            if (!kind.needsImage()) {
                continue;
            }
            Plot plot = kind.create(ig, 2);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(plot.png()));
            assertThat(png.getWidth()).isEqualTo(plot.width());
            assertThat(png.getHeight()).isEqualTo(plot.height());
            long nonWhite = 0;
            for (int y = 0; y < png.getHeight(); y++) {
                for (int x = 0; x < png.getWidth(); x++) {
                    nonWhite += (png.getRGB(x, y) & 0xffffff) == 0xffffff ? 0 : 1;
                }
            }
            assertThat(nonWhite).as(kind.cliName()).isGreaterThan((long) png.getWidth() * png.getHeight() / 5);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            assertThat(factory.newDocumentBuilder().parse(new ByteArrayInputStream(plot.svg().getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement().getNodeName()).isEqualTo("svg");
            assertThat(plot.svg()).contains("<image");
            assertThat(plot.title()).contains("integrated-gradients").contains("row 3");
            assertThat(plot.altText()).contains("row 3");
        }
    }

    @Test
    void saliencyIsDrawnOnTheSequentialScaleAndIntegratedGradientsOnTheDivergingOne() {
        assertThat(saliency.attributions().values().minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(ImageOverlayPlot.of(saliency, 0).heatmap().sign()).isEqualTo(SignMode.ABSOLUTE_VALUE);
        assertThat(ig.attributions().values().minNumber().doubleValue()).isNegative();
        assertThat(ImageOverlayPlot.of(ig, 0).heatmap().sign()).isEqualTo(SignMode.ALL);
        assertThat(ImageOverlayPlot.of(ig, 0).withSign(SignMode.POSITIVE).heatmap().sign()).isEqualTo(SignMode.POSITIVE);
    }

    /** 4×4 grey image, attribution 0 on the left half: there the picture is the input itself, opacity 0. */
    @Test
    void overlayOpacityIsZeroWhereTheAttributionIsZeroAndGrowsWithIt() {
        ImageGeometry g = new ImageGeometry(4, 4, 1, CNN2DFormat.NCHW, true);
        double[] image = new double[16];
        double[] attr = new double[16];
        for (int i = 0; i < 16; i++) {
            image[i] = (i % 5) / 4.0;
            attr[i] = i % 4 < 2 ? 0 : (i % 4 == 2 ? 0.5 : 1.0) * (i < 8 ? 1 : -1);
        }
        PlotData data = PlotData.of(Attributions.builder("test", Nd4j.create(new double[][] {attr})).build())
                .withInputs(new double[][] {image}).withImage(g);
        ImageOverlayPlot plot = ImageOverlayPlot.of(data, 0);
        BufferedImage picture = plot.picture();
        int k = picture.getWidth() / 4;
        assertThat(picture.getWidth()).isGreaterThanOrEqualTo(ImagePlot.MIN_SIDE);
        InputImage input = InputImage.fromRow(image, g);
        double[] normalised = plot.heatmap().normalized().values();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                double opacity = plot.heatmap().opacity(y, x);
                assertThat(opacity).isCloseTo(Heatmap.DEFAULT_ALPHA * Math.abs(normalised[y * 4 + x]), within(1e-12));
                int drawn = picture.getRGB(x * k + k / 2, y * k + k / 2) & 0xffffff;
                if (attr[y * 4 + x] == 0) {
                    assertThat(opacity).isZero();
                    assertThat(drawn).isEqualTo(input.rgb(y, x));
                } else {
                    assertThat(opacity).isPositive();
                    int heat = Colormap.DIVERGING.rgb(normalised[y * 4 + x]);
                    assertThat(drawn).isEqualTo(Colormap.mix(input.rgb(y, x), heat, opacity));
                }
            }
        }
        // the stronger column is more opaque than the weaker one
        assertThat(plot.heatmap().opacity(0, 3)).isGreaterThan(plot.heatmap().opacity(0, 2));
    }

    @Test
    void maskedImageKeepsExactlyTheTopPercentOfPixelsByAbsoluteAttribution() {
        for (int row = 0; row < ig.rows(); row++) {
            MaskedImagePlot plot = MaskedImagePlot.of(ig, row);
            double[] map = ig.imageMap(row, "test");
            int keep = (int) Math.ceil(0.1 * map.length);        // 7 of the 64 pixels of an 8×8 digit
            assertThat(plot.keptCount()).isEqualTo(keep);
            int[] byMagnitude = IntStream.range(0, map.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -Math.abs(map[i]))).mapToInt(Integer::intValue).toArray();
            double weakestKept = Math.abs(map[byMagnitude[keep - 1]]);
            BufferedImage picture = plot.picture();
            int k = picture.getWidth() / 8;
            InputImage input = InputImage.fromRow(ig.inputRow(row), ig.image("test"));
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    double m = Math.abs(map[y * 8 + x]);
                    int drawn = picture.getRGB(x * k, y * k) & 0xffffff;
                    if (plot.kept(y, x)) {
                        assertThat(m).isGreaterThanOrEqualTo(weakestKept);
                        assertThat(drawn).isEqualTo(input.rgb(y, x));
                    } else {
                        assertThat(m).isLessThanOrEqualTo(weakestKept);
                        assertThat(drawn).isEqualTo(Colormap.mix(0, input.rgb(y, x), MaskedImagePlot.DIMMED));
                    }
                }
            }
        }
        assertThat(MaskedImagePlot.of(ig, 0).withPercent(50).keptCount()).isEqualTo(32);
        assertThat(MaskedImagePlot.top(new double[] {0, -3, 1, 2}, 50)).containsExactly(false, true, false, true);
    }

    @Test
    void theImageIsToldFromTheAttributionsShapeWithoutTheModel() {
        assertThat(ImageMaps.geometryFor(new long[] {64}, 64)).hasValue(new ImageGeometry(8, 8, 1, CNN2DFormat.NCHW, true));
        assertThat(ImageMaps.geometryFor(new long[] {1, 8, 8}, 64)).hasValue(new ImageGeometry(8, 8, 1, CNN2DFormat.NCHW, false));
        assertThat(ImageMaps.geometryFor(new long[] {8, 8, 3}, 192)).hasValue(new ImageGeometry(8, 8, 3, CNN2DFormat.NHWC, false));
        assertThat(ImageMaps.geometryFor(new long[] {7, 7}, 784)).hasValue(new ImageGeometry(28, 28, 1, CNN2DFormat.NCHW, true));
        assertThat(ImageMaps.geometryFor(new long[] {192}, 192)).hasValue(new ImageGeometry(8, 8, 3, CNN2DFormat.NCHW, true));
        assertThat(ImageMaps.geometryFor(new long[] {10}, 10)).isEmpty();
        assertThat(Arrays.asList(PlotKind.IMAGE_OVERLAY.cliName(), PlotKind.MASKED_IMAGE.cliName()))
                .containsExactly("image-overlay", "masked-image");
    }
}
