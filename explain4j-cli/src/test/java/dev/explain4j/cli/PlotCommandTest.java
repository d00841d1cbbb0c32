package dev.explain4j.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** explain4j plot in-process, from the JSON that explain writes on the shipped iris model. */
class PlotCommandTest {
    private static final String IRIS = Path.of("models", "iris-mlp.zip").toString();
    private static final String IRIS_ROWS = Path.of("models", "iris-samples.csv").toString();

    @TempDir
    static Path dir;
    private static Path json;

    @BeforeAll
    static void explain() {
        json = dir.resolve("ks.json");
        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "kernel-shap",
                "--out", json.toString());
        assertThat(run.exit()).as(run.err()).isZero();
    }

    private static CliRun plot(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "plot";
        all[1] = "--attributions";
        all[2] = json.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.of(all);
    }

    @Test
    void drawsEveryKindAsPngAndSvg() throws Exception {
        String saveTo = System.getProperty("explain4j.plots");
        for (String kind : new String[] {"beeswarm", "bar", "waterfall", "force", "dependence", "decision"}) {
            Path png = dir.resolve(kind + ".png");
            CliRun run = plot("--kind", kind, "--input", IRIS_ROWS, "--row", "7",
                    "--class-names", "setosa,versicolor,virginica", "--out", png.toString());
            assertThat(run.exit()).as(run.err()).isZero();
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(kind).isNotNull();
            assertThat(image.getWidth()).isGreaterThan(300);
            Path svg = dir.resolve(kind + ".svg");
            CliRun svgRun = plot("--kind", kind, "--input", IRIS_ROWS, "--out", svg.toString());
            assertThat(svgRun.exit()).as(svgRun.err()).isZero();
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            assertThat(factory.newDocumentBuilder().parse(svg.toFile()).getDocumentElement().getNodeName()).isEqualTo("svg");
            assertThat(Files.readString(svg)).contains("petal_length_cm");
            if (saveTo != null) {
                Files.copy(png, Path.of(saveTo, "iris-kernel-shap-" + kind + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void dependenceTakesTheFeatureByNameOrIndexAndRefusesAnUnknownOne() throws Exception {
        Path byName = dir.resolve("dep-name.svg");
        assertThat(plot("--kind", "dependence", "--input", IRIS_ROWS, "--feature", "sepal_width_cm", "--out",
                byName.toString()).exit()).isZero();
        assertThat(Files.readString(byName)).contains("dependence on sepal_width_cm");
        Path byIndex = dir.resolve("dep-index.svg");
        assertThat(plot("--kind", "dependence", "--input", IRIS_ROWS, "--feature", "1", "--out", byIndex.toString()).exit())
                .isZero();
        assertThat(Files.readString(byIndex)).contains("dependence on sepal_width_cm");
        Path never = dir.resolve("dep-never.svg");
        CliRun unknown = plot("--kind", "dependence", "--input", IRIS_ROWS, "--feature", "petal_colour", "--out", never.toString());
        assertThat(unknown.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(unknown.err()).contains("--feature petal_colour").contains("sepal_length_cm").contains("0..3");
        assertThat(unknown.err().trim().lines()).hasSize(1);
        CliRun noInput = plot("--kind", "dependence", "--out", never.toString());
        assertThat(noInput.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(noInput.err()).contains("--input");
        CliRun tabularImage = plot("--kind", "image-overlay", "--input", IRIS_ROWS, "--out", never.toString());
        assertThat(tabularImage.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(tabularImage.err()).contains("is no image").contains("[4]");
        assertThat(never).doesNotExist();
    }

    /** Saliency of the shipped digits network: the image kinds from the JSON and the rows, no model needed. */
    @Test
    void imageKindsDrawOnTheDigitsFromTheAttributionsShape() throws Exception {
        String digits = Path.of("models", "digits-cnn.zip").toString();
        String rows = Path.of("models", "digits-samples.csv").toString();
        Path saliency = dir.resolve("saliency.json");
        CliRun explain = CliRun.of("explain", "--model", digits, "--input", rows, "--method", "saliency", "--out", saliency.toString());
        assertThat(explain.exit()).as(explain.err()).isZero();
        for (String kind : new String[] {"image-overlay", "masked-image"}) {
            Path png = dir.resolve("digits-" + kind + ".png");
            CliRun run = CliRun.of("plot", "--kind", kind, "--attributions", saliency.toString(), "--input", rows, "--row", "3",
                    "--out", png.toString());
            assertThat(run.exit()).as(run.err()).isZero();
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isGreaterThanOrEqualTo(280);
            // the 8×8 digit enlarged: many distinct colours, not a flat canvas
            java.util.Set<Integer> colours = new java.util.HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 3) {
                for (int x = 0; x < image.getWidth(); x += 3) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertThat(colours.size()).as(kind).isGreaterThan(20);
            Path svg = dir.resolve("digits-" + kind + ".svg");
            assertThat(CliRun.of("plot", "--kind", kind, "--attributions", saliency.toString(), "--input", rows,
                    "--out", svg.toString()).exit()).isZero();
            assertThat(Files.readString(svg)).contains("saliency").contains("<image");
        }
        CliRun noRows = CliRun.of("plot", "--kind", "masked-image", "--attributions", saliency.toString(), "--out",
                dir.resolve("x.png").toString());
        assertThat(noRows.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(noRows.err()).contains("--input");
    }

    @Test
    void badInputIsOneLineNamingTheOptionExitTwoAndNoFile() throws Exception {
        Path out = dir.resolve("never.png");
        CliRun unknown = plot("--kind", "violin", "--out", out.toString());
        assertThat(unknown.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(unknown.err()).contains("unknown plot kind 'violin'").contains("beeswarm");
        CliRun row = plot("--kind", "waterfall", "--row", "10", "--out", out.toString());
        assertThat(row.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(row.err()).contains("--row 10").contains("1..9");
        CliRun extension = plot("--kind", "bar", "--out", dir.resolve("x.jpg").toString());
        assertThat(extension.err()).contains("--out").contains(".png or .svg");
        CliRun missing = CliRun.of("plot", "--kind", "bar", "--attributions", dir.resolve("none.json").toString(),
                "--out", out.toString());
        assertThat(missing.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(missing.err()).contains("none.json: no such file");
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), json);
        String before = Files.readString(json);
        CliRun overwrite = plot("--kind", "bar", "--out", link.toString());
        assertThat(overwrite.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(overwrite.err()).contains("--attributions");
        assertThat(Files.readString(json)).isEqualTo(before);
        for (CliRun run : new CliRun[] {unknown, row, extension, missing, overwrite}) {
            assertThat(run.err().trim().lines()).hasSize(1);
        }
        assertThat(out).doesNotExist();
    }
}
