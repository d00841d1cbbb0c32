package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens generated reports and every plot kind in headless Chromium: the page must not be blank, every image must
 * decode and no picture may be blank. Skipped
 * where Chromium is not installed (Debian: {@code apt-get install -y chromium}); another binary can be named with
 * {@code -Dexplain4j.chromium=PATH}. The screenshot is kept in {@code target/browser/} for people to look at.
 */
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("explain4j.chromium", "/usr/bin/chromium"));
    /** Marks images that did not decode, then records the counts on body, for --dump-dom to print. */
    private static final String PROBE = """
            <script>
            window.addEventListener('load', function () {
              var images = document.images, broken = 0;
              for (var i = 0; i < images.length; i++) {
                if (!images[i].complete || images[i].naturalWidth === 0) {
                  images[i].setAttribute('data-broken', 'true');
                  broken++;
                }
              }
              document.body.setAttribute('data-images', String(images.length));
              document.body.setAttribute('data-broken-images', String(broken));
            });
            </script>
            """;

    /**
     * Draws every image on a canvas and counts the pixels that differ from white; records the least such share over
     * the images and how many images are below 1% (blank), or failed to decode or to be read back.
     */
    private static final String INK_PROBE = """
            <script>
            window.addEventListener('load', function () {
              var images = document.images, blank = 0, broken = 0, least = 1;
              for (var i = 0; i < images.length; i++) {
                var im = images[i];
                if (!im.complete || im.naturalWidth === 0) { broken++; continue; }
                try {
                  var c = document.createElement('canvas');
                  c.width = im.naturalWidth; c.height = im.naturalHeight;
                  var g = c.getContext('2d');
                  g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
                  g.drawImage(im, 0, 0);
                  var d = g.getImageData(0, 0, c.width, c.height).data, ink = 0;
                  for (var p = 0; p < d.length; p += 4) {
                    if (d[p] < 245 || d[p + 1] < 245 || d[p + 2] < 245) { ink++; }
                  }
                  var share = ink / (c.width * c.height);
                  least = Math.min(least, share);
                  if (share <= 0.01) { blank++; im.setAttribute('data-blank', im.alt); }
                } catch (e) { broken++; }
              }
              document.body.setAttribute('data-images', String(images.length));
              document.body.setAttribute('data-bad', String(broken) + '/' + String(blank) + '/' + least.toFixed(4));
            });
            </script>
            """;

    /** Per test rather than per class, so that Surefire counts the tests as skipped instead of not run. */
    @BeforeEach
    void chromiumIsThere() {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + "; skipping the browser check");
    }

    @Test
    void imageReportRendersAndEveryImageDecodes(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        ReportFixtures.imageReport(8).build().write(report);
        assertAllImagesDecode(report, dir, 8 * 10 * 2 + 8 + 2);

        Path screenshot = dir.resolve("screenshot.png");
        chromium(dir, "--screenshot=" + screenshot, "--window-size=1280,2000", report.toUri().toString());
        assertThat(screenshot).exists();
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        // a 4 × 5 grid of regions over the window: the page fills it, so most regions hold something not white
        int regionsWithContent = 0;
        for (int gy = 0; gy < 5; gy++) {
            for (int gx = 0; gx < 4; gx++) {
                if (nonWhiteFraction(image, gx * 320, gy * image.getHeight() / 5, 320, image.getHeight() / 5) > 0.01) {
                    regionsWithContent++;
                }
            }
        }
        assertThat(regionsWithContent).as("regions of the screenshot with content").isGreaterThanOrEqualTo(10);
        assertThat(nonWhiteFraction(image, 0, 0, image.getWidth(), image.getHeight())).isGreaterThan(0.05);
        Path kept = Path.of("target", "browser");
        Files.createDirectories(kept);
        Files.copy(screenshot, kept.resolve("report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(report, kept.resolve("report.html"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void tabularReportRendersAndEveryChartDecodes(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("tabular.html");
        ReportFixtures.tabularReport(List.of("age", "income", "debt", "years", "children", "score"),
                List.of("rejected", "approved")).build().write(report);
        assertAllImagesDecode(report, dir, 3 * 3 + 1 + 3 * 2 + 1);
        Path kept = Path.of("target", "browser");
        Files.createDirectories(kept);
        Files.copy(report, kept.resolve("tabular.html"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Every plot kind, as PNG and as SVG, in one page: each decodes in the browser and is not blank (> 1% ink). */
    @Test
    void everyPlotKindDecodesAndIsNotBlank(@TempDir Path dir) throws Exception {
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n");
        int images = 0;
        for (PlotKind kind : PlotKind.values()) {
            Plot plot = kind.create(kind.needsImage() ? imageData() : tabularData(), 1);
            page.append("<img src=\"").append(Png.dataUri(plot.png())).append("\" alt=\"").append(Html.attr(plot.altText()))
                    .append("\">\n<img src=\"data:image/svg+xml;base64,").append(java.util.Base64.getEncoder()
                            .encodeToString(plot.svg().getBytes(StandardCharsets.UTF_8))).append("\" alt=\"svg ")
                    .append(kind.cliName()).append("\">\n");
            images += 2;
        }
        Path probed = dir.resolve("plots.html");
        Files.writeString(probed, page.append(INK_PROBE).append("</body></html>\n"));
        String dom = chromium(dir, "--dump-dom", probed.toUri().toString());
        Matcher body = Pattern.compile("data-images=\"(\\d+)\" data-bad=\"(\\d+)/(\\d+)/([0-9.]+)\"").matcher(dom);
        assertThat(body.find()).as("the probe ran; DOM starts: %s", dom.substring(0, Math.min(300, dom.length()))).isTrue();
        assertThat(Integer.parseInt(body.group(1))).isEqualTo(images);
        assertThat(Integer.parseInt(body.group(2))).as("images that did not decode or could not be read").isZero();
        assertThat(Integer.parseInt(body.group(3))).as("blank images: %s", blankOnes(dom)).isZero();
        assertThat(Double.parseDouble(body.group(4))).isGreaterThan(0.01);
    }

    private static String blankOnes(String dom) {
        Matcher m = Pattern.compile("data-blank=\"([^\"]*)\"").matcher(dom);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out.toString();
    }

    /** 40 rows of 5 features, attributions that add up from f(reference) = 0.2 to f(x), two classes. */
    static PlotData tabularData() {
        java.util.Random random = new java.util.Random(11);
        int n = 40;
        double[][] x = new double[n][5];
        double[][] a = new double[n][5];
        double[] fx = new double[n];
        double[] ref = new double[n];
        int[] targets = new int[n];
        for (int r = 0; r < n; r++) {
            ref[r] = 0.2;
            fx[r] = 0.2;
            for (int f = 0; f < 5; f++) {
                x[r][f] = random.nextGaussian();
                a[r][f] = x[r][f] * (0.5 - 0.2 * f) + 0.05 * random.nextGaussian();
                fx[r] += a[r][f];
            }
            targets[r] = fx[r] > 0.2 ? 1 : 0;
        }
        Attributions attributions = Attributions.builder("kernel-shap", Nd4j.create(a)).targets(targets)
                .targetOutputs(fx).referenceOutputs(ref).build();
        return PlotData.of(attributions).withInputs(x).withFeatureNames(List.of("age", "income", "debt", "years", "score"))
                .withClassNames(List.of("rejected", "approved"));
    }

    static PlotData imageData() {
        double[][] x = ReportFixtures.digits(3);
        return PlotData.of(ReportFixtures.imageAttributions("integrated-gradients", x, 4)).withInputs(x)
                .withImage(ReportFixtures.MNIST);
    }

    /** Loads a copy of the report with {@link #PROBE} added and reads the counts back from the dumped DOM. */
    private static void assertAllImagesDecode(Path report, Path dir, int expectedImages) throws Exception {
        String html = Files.readString(report);
        Path probed = dir.resolve("probed-" + report.getFileName());
        Files.writeString(probed, html.replace("</body>", PROBE + "</body>"));
        String dom = chromium(dir, "--dump-dom", probed.toUri().toString());
        Matcher body = Pattern.compile("<body data-images=\"(\\d+)\" data-broken-images=\"(\\d+)\"").matcher(dom);
        assertThat(body.find()).as("the probe ran and marked <body>; DOM starts: %s",
                dom.substring(0, Math.min(300, dom.length()))).isTrue();
        assertThat(Integer.parseInt(body.group(1))).as("images in the page").isEqualTo(expectedImages);
        assertThat(Integer.parseInt(body.group(2))).as("images that did not decode").isZero();
        assertThat(dom).doesNotContain("data-broken=\"true\"");
    }

    private static String chromium(Path dir, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish in 120 s: " + command);
        }
        assertThat(process.exitValue()).as("Chromium exit code; stderr: %s", Files.readString(err, StandardCharsets.UTF_8))
                .isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static double nonWhiteFraction(BufferedImage image, int x0, int y0, int w, int h) {
        long nonWhite = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r < 240 || g < 240 || b < 240) {
                    nonWhite++;
                }
            }
        }
        return (double) nonWhite / ((long) w * h);
    }
}
