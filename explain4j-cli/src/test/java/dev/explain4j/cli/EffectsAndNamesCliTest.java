package dev.explain4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.global.FeatureEffect;
import dev.explain4j.global.PartialDependence;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** `global --pdp/--ice/--ale`, and class names (--class-names, the shipped sidecars, --target NAME) across commands. */
class EffectsAndNamesCliTest {
    private static final String IRIS = "models/iris-mlp.zip";
    private static final String IRIS_ROWS = "models/iris-samples.csv";

    @TempDir
    static Path dir;

    @Test
    void globalWritesPartialDependenceIceAndAleAsTheLibraryComputesThem() throws Exception {
        Path out = dir.resolve("effects");
        CliRun run = CliRun.of("global", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--pdp",
                "petal_length_cm", "--pdp", "2,3", "--ice", "--ale", "petal_width_cm", "--grid", "6", "--effect-target",
                "virginica", "--out", out.toString());
        System.out.print(run.out());
        assertThat(run.exit()).as(run.err()).isZero();
        for (String stem : List.of("pdp-petal_length_cm", "pdp-petal_length_cm-petal_width_cm", "ale-petal_width_cm")) {
            for (String ext : List.of(".csv", ".json", ".png")) {
                assertThat(out.resolve(stem + ext)).as(stem + ext).isNotEmptyFile();
            }
            BufferedImage image = ImageIO.read(out.resolve(stem + ".png").toFile());
            assertThat(image.getWidth()).isGreaterThan(100);
            assertThat(colours(image)).as(stem + " is not blank").isGreaterThan(20);
        }
        JsonNode pd = new ObjectMapper().readTree(out.resolve("pdp-petal_length_cm.json").toFile());
        assertThat(pd.get("target").asInt()).isEqualTo(2);
        assertThat(pd.get("individual")).hasSize(9);
        NetworkModel model = ModelLoader.load(Path.of(IRIS), null);
        INDArray x = CsvInputReader.ofWidth(4, "iris").read(Path.of(IRIS_ROWS)).toArray(model.dataType());
        FeatureEffect library = PartialDependence.of(model).withTarget(2).withGridPoints(6).compute(x, 2);
        for (int p = 0; p < library.values().length; p++) {
            assertThat(pd.get("values").get(p).asDouble()).isCloseTo(library.values()[p], within(1e-12));
            // the float model's grid values are floats, written in float's shortest form
            assertThat((float) pd.get("grid").get(0).get(p).asDouble()).isEqualTo((float) library.grid(0)[p]);
        }
        // PD of P(virginica) rises with petal length on this model
        assertThat(library.values()[library.values().length - 1]).isGreaterThan(library.values()[0]);
        assertThat(Files.readAllLines(out.resolve("pdp-petal_length_cm.csv")).get(0))
                .isEqualTo("petal_length_cm,pdp,ice_1,ice_2,ice_3,ice_4,ice_5,ice_6,ice_7,ice_8,ice_9");
        assertThat(Files.readAllLines(out.resolve("pdp-petal_length_cm-petal_width_cm.csv")).get(0))
                .isEqualTo("petal_length_cm,petal_width_cm,pdp," + String.join(",", ice(9)));
        assertThat(Files.readAllLines(out.resolve("ale-petal_width_cm.csv")).get(0)).isEqualTo("petal_width_cm,ale,interval_rows");
        String html = Files.readString(out.resolve("global.html"));
        assertThat(html).contains("Feature effects").contains("Partial dependence of virginica on petal_length_cm")
                .contains("Accumulated local effects of virginica on petal_width_cm");
        JsonNode global = new ObjectMapper().readTree(out.resolve("global.json").toFile());
        assertThat(global.get("class-names").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(global.get("effects")).hasSize(3);
        assertThat(Files.readString(out.resolve("surrogate.txt"))).contains("→ virginica").doesNotContain("class 2");
    }

    @Test
    void withoutIceThePartialDependenceFileHoldsTheAverageOnly() throws Exception {
        Path out = dir.resolve("no-ice");
        CliRun run = CliRun.of("global", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--pdp", "0",
                "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("pdp-sepal_length_cm.csv")).get(0)).isEqualTo("sepal_length_cm,pdp");
        assertThat(new ObjectMapper().readTree(out.resolve("pdp-sepal_length_cm.json").toFile()).has("individual")).isFalse();
    }

    @Test
    void targetByNameIsTargetByIndexAndTheNamesReachTheJson() throws Exception {
        Path byName = dir.resolve("by-name.json");
        Path byIndex = dir.resolve("by-index.json");
        assertThat(CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--target",
                "virginica", "--out", byName.toString()).exit()).isZero();
        assertThat(CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--target",
                "2", "--out", byIndex.toString()).exit()).isZero();
        JsonNode a = new ObjectMapper().readTree(byName.toFile());
        JsonNode b = new ObjectMapper().readTree(byIndex.toFile());
        assertThat(a.get("attributions")).isEqualTo(b.get("attributions"));
        assertThat(a.get("targets").get(0).asInt()).isEqualTo(2);
        assertThat(a.get("class-names").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");

        Path names = Files.writeString(dir.resolve("names.txt"), "\uFEFFsmall\n\nmedium\nlarge\n");
        Path fromFile = dir.resolve("from-file.json");
        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--class-names",
                "@" + names, "--target", "large", "--out", fromFile.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode c = new ObjectMapper().readTree(fromFile.toFile());
        assertThat(c.get("class-names").toString()).isEqualTo("[\"small\",\"medium\",\"large\"]");
        assertThat(c.get("attributions")).isEqualTo(b.get("attributions"));
        CliRun info = CliRun.of("info", "--model", IRIS);
        assertThat(info.out()).contains("classes:      setosa, versicolor, virginica");
    }

    @Test
    void reportAndPlotShowTheClassNames() throws Exception {
        Path out = dir.resolve("report");
        CliRun run = CliRun.of("report", "--model", IRIS, "--input", IRIS_ROWS, "--methods", "saliency", "--class-names",
                "iris-a,iris-b,iris-c", "--target", "iris-c", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Files.readString(out.resolve("iris-mlp-report.html"))).contains("iris-c");
        Path json = dir.resolve("for-plot.json");
        assertThat(CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--out",
                json.toString()).exit()).isZero();
        Path png = dir.resolve("bar.png");
        CliRun plot = CliRun.of("plot", "--kind", "bar", "--attributions", json.toString(), "--out", png.toString());
        assertThat(plot.exit()).as(plot.err()).isZero();
        CliRun tooFew = CliRun.of("plot", "--kind", "bar", "--attributions", json.toString(), "--class-names", "a",
                "--out", dir.resolve("bar2.png").toString());
        assertThat(tooFew.exit()).isEqualTo(2);
        assertThat(tooFew.err()).contains("--class-names").contains("1 names");
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(List.of("global", "--pdp", "petal"), "--pdp petal"),
                Arguments.of(List.of("global", "--pdp", "0,1,2"), "one feature or a pair"),
                Arguments.of(List.of("global", "--ale", "9"), "--ale 9"),
                Arguments.of(List.of("global", "--ice"), "--ice"),
                Arguments.of(List.of("global", "--pdp", "0", "--grid", "1"), "--grid"),
                Arguments.of(List.of("global", "--pdp", "0", "--effect-target", "daisy"), "--effect-target 'daisy'"),
                Arguments.of(List.of("global", "--class-names", "a,b"), "2 class names for a model with 3 outputs"),
                Arguments.of(List.of("explain", "--class-names", "a,b,a"), "'a' is given twice"),
                Arguments.of(List.of("explain", "--class-names", "@nowhere.txt"), "nowhere.txt: no such file"),
                Arguments.of(List.of("explain", "--target", "virginia"), "class name [setosa, versicolor, virginica]"),
                Arguments.of(List.of("report", "--class-names", "a,b,c,d"), "4 class names"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badInputs")
    void badInputExitsTwoWithOneLineNamingIt(List<String> args, String named) throws IOException {
        Path out = dir.resolve("bad-" + Math.abs(args.hashCode()));
        List<String> all = new ArrayList<>(args.subList(0, 1));
        all.addAll(List.of("--model", IRIS, "--input", IRIS_ROWS));
        if (!args.get(0).equals("report")) {
            all.addAll(List.of("--method", "saliency"));
        }
        all.addAll(args.subList(1, args.size()));
        all.addAll(List.of("--out", args.get(0).equals("explain") ? out + ".json" : out.toString()));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains(named);
        assertThat(run.err()).doesNotContain("\tat ");
        if (Files.isDirectory(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files).isEmpty();
            }
        }
        assertThat(Path.of(out + ".json")).doesNotExist();
    }

    private static List<String> ice(int rows) {
        List<String> names = new ArrayList<>();
        for (int r = 1; r <= rows; r++) {
            names.add("ice_" + r);
        }
        return names;
    }

    private static long colours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
