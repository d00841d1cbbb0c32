package dev.explain4j.report;

import dev.explain4j.model.ImageGeometry;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HeatmapTest {

    @Test
    void smallImagesAreEnlargedByNearestNeighbourWithALegendUnderneath() {
        double[] map = new double[64];
        map[0] = 1;          // top-left pixel strongly positive
        map[63] = -1;        // bottom-right strongly negative
        BufferedImage image = Heatmap.builder(map, 8, 8).build().render();
        assertThat(image.getWidth()).isEqualTo(160);                 // 8 × 20
        assertThat(image.getHeight()).isEqualTo(160 + ColorLegend.HEIGHT);
        // no background: the colour scale itself; the whole 20×20 block of a pixel has its colour
        assertThat(image.getRGB(0, 0) & 0xffffff).isEqualTo(0xca0020);
        assertThat(image.getRGB(19, 19) & 0xffffff).isEqualTo(0xca0020);
        assertThat(image.getRGB(20, 0) & 0xffffff).isEqualTo(0xffffff);
        assertThat(image.getRGB(159, 159) & 0xffffff).isEqualTo(0x0571b0);

        BufferedImage mnist = Heatmap.builder(new double[28 * 28], 28, 28).build().render();
        assertThat(mnist.getWidth()).isEqualTo(168);                 // 28 × 6
    }

    @Test
    void blendsTheScaleOverTheGreyInputWithOpacityScaledByTheAttribution() {
        ImageGeometry g = new ImageGeometry(2, 2, 1, null, true);
        InputImage input = InputImage.fromRow(new double[] {0, 1, 0, 1}, g);
        double[] map = {0, 0, 1, 0};
        BufferedImage image = Heatmap.builder(map, 2, 2).minSide(2).over(input, Heatmap.Background.GRAYSCALE).build().render();
        assertThat(image.getRGB(0, 0) & 0xffffff).isEqualTo(0x000000);   // attribution 0: the input, untinted
        assertThat(image.getRGB(1, 0) & 0xffffff).isEqualTo(0xffffff);   // white input, attribution 0
        assertThat(image.getRGB(0, 1) & 0xffffff).isEqualTo(Colormap.mix(0x000000, 0xca0020, Heatmap.DEFAULT_ALPHA));
    }

    @Test
    void rgbInputsKeepTheirColoursAndImageLayoutsAreRespected() {
        // NHWC 1×2×3: pixel 0 pure red, pixel 1 pure blue
        ImageGeometry nhwc = new ImageGeometry(1, 2, 3, CNN2DFormat.NHWC, false);
        InputImage image = InputImage.fromRow(new double[] {1, 0, 0, 0, 0, 1}, nhwc);
        assertThat(image.rgb(0, 0)).isEqualTo(0xff0000);
        assertThat(image.rgb(0, 1)).isEqualTo(0x0000ff);
        // the same picture channel-major
        ImageGeometry nchw = new ImageGeometry(1, 2, 3, CNN2DFormat.NCHW, false);
        assertThat(InputImage.fromRow(new double[] {1, 0, 0, 0, 0, 1}, nchw).rgb(0, 0)).isEqualTo(0xff0000);
        // 0..255 inputs are divided by 255, standardised inputs stretched
        assertThat(InputImage.fromRow(new double[] {255, 0, 0, 0, 0, 255}, nhwc).rgb(0, 1)).isEqualTo(0x0000ff);
        assertThat(InputImage.fromRow(new double[] {-2, 2}, new ImageGeometry(1, 2, 1, null, true)).rgb(0, 1)).isEqualTo(0xffffff);
    }

    @Test
    void attributionsAreSummedOverChannelsInTheirLayout() {
        ImageGeometry nhwc = new ImageGeometry(1, 2, 3, CNN2DFormat.NHWC, false);
        double[] row = {1, 2, 3, 10, 20, 30};                                 // (y, x, c)
        assertThat(ImageMaps.toInputResolution(new long[] {1, 2, 3}, row, nhwc)).hasValueSatisfying(
                m -> assertThat(m).containsExactly(6, 60));
        ImageGeometry flat = new ImageGeometry(1, 2, 3, null, true);          // (c, y, x): channels [1 2] [3 10] [20 30]
        assertThat(ImageMaps.toInputResolution(new long[] {6}, row, flat)).hasValueSatisfying(
                m -> assertThat(m).containsExactly(24, 42));
        // a layer's 5 units have no place on the image
        assertThat(ImageMaps.toInputResolution(new long[] {5}, new double[5], flat)).isEmpty();
    }

    @Test
    void gradCamMapsAreResizedBilinearlyAsPyTorchDoesWithoutAlignedCorners() {
        double[] up = ImageMaps.resizeBilinear(new double[] {0, 1, 2, 3}, 2, 2, 4, 4);
        double[] expected = {0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3};
        for (int i = 0; i < expected.length; i++) {
            assertThat(up[i]).as("value %d", i).isCloseTo(expected[i], within(1e-12));
        }
        ImageGeometry g = ReportFixtures.MNIST;
        assertThat(ImageMaps.toInputResolution(new long[] {7, 7}, new double[49], g)).hasValueSatisfying(
                m -> assertThat(m).hasSize(28 * 28));
    }

    @Test
    void legendSaysWhatTheColoursMeanAndTheScale() {
        Normalization.NormalizedMap map = Normalization.normalize(new double[] {-0.02, 0.01, 0.03}, SignMode.ALL, 0);
        assertThat(ColorLegend.endLabels(map)).containsExactly("≤−0.03", "0", "≥+0.03");
        assertThat(ColorLegend.meaning(map)).contains("blue lowers").contains("red raises");
        Normalization.NormalizedMap none = Normalization.normalize(new double[] {0.01}, SignMode.NEGATIVE);
        assertThat(ColorLegend.meaning(none)).isEqualTo("no negative attribution");
        assertThat(Numbers.plain(1000, 4)).isEqualTo("1000");
        assertThat(Numbers.plain(42.0, 4)).isEqualTo("42");
        assertThat(Numbers.plain(0.012345, 3)).isEqualTo("0.0123");
        assertThat(Numbers.signed(-3.5e-5, 3)).isEqualTo("−3.5e−05");
        assertThat(Numbers.signed(1.5e6, 3)).isEqualTo("+1.5e+06");
    }

    @Test
    void writesADecodablePng(@TempDir Path dir) throws Exception {
        double[][] x = ReportFixtures.digits(1);
        Path file = dir.resolve("ig.png");
        Heatmap.builder(x[0], 28, 28).over(InputImage.fromRow(x[0], ReportFixtures.MNIST), Heatmap.Background.GRAYSCALE)
                .build().writePng(file);
        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getWidth()).isEqualTo(168);
        assertThat(read.getHeight()).isEqualTo(168 + ColorLegend.HEIGHT);
    }
}
