package dev.explain4j.report;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens generated reports in headless Chromium: the page must not be blank and every image must decode. Skipped
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

    /** Per test rather than per class, so that Surefire counts the tests as skipped instead of not run. */
    @BeforeEach
    void chromiumIsThere() {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + "; skipping the browser check");
    }

    @Test
    void imageReportRendersAndEveryImageDecodes(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        ReportFixtures.imageReport(8).build().write(report);
        assertAllImagesDecode(report, dir, 8 * 10 + 8 + 2);

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
        assertAllImagesDecode(report, dir, 3 * 3 + 1);
        Path kept = Path.of("target", "browser");
        Files.createDirectories(kept);
        Files.copy(report, kept.resolve("tabular.html"), StandardCopyOption.REPLACE_EXISTING);
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
