package dev.explain4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.model.ComputeBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The command line end to end, in-process: successful runs and every kind of bad input. */
class CommandLineTest {
    private static final Path MODELS = Path.of("models");
    private static final String IRIS = MODELS.resolve("iris-mlp.zip").toString();
    private static final String IRIS_ROWS = MODELS.resolve("iris-samples.csv").toString();

    @TempDir
    static Path dir;

    private static Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void explainWritesCsvUnderTheInputHeader() throws Exception {
        Path out = dir.resolve("ig.csv");
        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "integrated-gradients", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo(Files.readAllLines(Path.of(IRIS_ROWS)).get(0));
        assertThat(lines).hasSize(10);
        assertThat(lines.get(1).split(",")).hasSize(4);
    }

    @Test
    void precisionDoubleOnRequestAndNothingElse() throws Exception {
        Path single = dir.resolve("ig-float.csv");
        Path dbl = dir.resolve("ig-double.csv");
        assertThat(CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "integrated-gradients",
                "--out", single.toString()).exit()).isZero();
        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "integrated-gradients",
                "--precision", "double", "--out", dbl.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> a = Files.readAllLines(single);
        List<String> b = Files.readAllLines(dbl);
        assertThat(b).hasSameSizeAs(a);
        for (int row = 1; row < a.size(); row++) {
            String[] x = a.get(row).split(",");
            String[] y = b.get(row).split(",");
            for (int col = 0; col < x.length; col++) {
                assertThat(Double.parseDouble(y[col])).isCloseTo(Double.parseDouble(x[col]), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
        CliRun info = CliRun.of("info", "--model", IRIS, "--precision", "double");
        assertThat(info.out()).contains("data type:    double");
        CliRun bad = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--precision", "half",
                "--out", dir.resolve("never.csv").toString());
        assertThat(bad.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(bad.err()).contains("--precision must be float or double");
        assertThat(dir.resolve("never.csv")).doesNotExist();
    }

    @Test
    void explainWritesJsonWithProvenanceAndCompleteness() throws Exception {
        Path out = dir.resolve("ig.json");
        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "integrated-gradients",
                "--steps", "32", "--integration", "riemann-middle", "--target", "2", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.get("method").asText()).isEqualTo("integrated-gradients");
        JsonNode parameters = json.get("parameters");
        assertThat(parameters.get("integration").asText()).isEqualTo("riemann-middle");
        assertThat(parameters.get("steps").asText()).isEqualTo("32");
        assertThat(parameters.get("baseline").asText()).isEqualTo("zero");
        JsonNode rows = json.get("attributions");
        assertThat(rows).hasSize(9);
        for (int row = 0; row < rows.size(); row++) {
            assertThat(json.get("targets").get(row).asInt()).isEqualTo(2);
            assertThat(rows.get(row)).hasSize(4);
            double sum = 0;
            for (JsonNode value : rows.get(row)) {
                sum += value.asDouble();
            }
            // completeness: Σ attributions against f(x) − f(baseline), recorded per row as the delta
            double gap = json.get("outputs").get(row).asDouble() - json.get("reference-outputs").get(row).asDouble();
            assertThat(Math.abs(json.get("completeness-delta").get(row).asDouble())).isCloseTo(Math.abs(sum - gap), within(1e-5));
        }
    }

    @Test
    void anOptionTheMethodWouldIgnoreIsRefusedByName() {
        Path never = dir.resolve("ignored.csv");
        CliRun steps = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--steps", "10",
                "--out", never.toString());
        assertThat(steps.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(steps.err().strip()).isEqualTo("explain4j: --steps does not apply to saliency; it takes no method options");
        CliRun baseline = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "lime", "--baseline", "mean",
                "--out", never.toString());
        assertThat(baseline.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(baseline.err()).contains("--baseline does not apply to lime; it takes [--background, --batch-size,"
                + " --samples, --seed, --window]");
        assertThat(never).doesNotExist();
    }

    @Test
    void everyMethodRuns() {
        for (String method : MethodCatalog.NAMES) {
            // exact Shapley values of 64 pixels would need 2^64 coalitions: those run on iris
            boolean small = method.contains("shapley");
            List<String> args = new ArrayList<>(List.of("explain", "--model", small ? IRIS : "models/digits-cnn.zip",
                    "--input", small ? IRIS_ROWS : "models/digits-samples.csv", "--method", method,
                    "--out", dir.resolve(method + ".json").toString()));
            if (dev.explain4j.core.MethodRegistry.get(method).options().contains("samples")) {
                args.addAll(List.of("--samples", "20"));
            }
            if (dev.explain4j.core.MethodRegistry.get(method).needsLayer()) {
                args.addAll(List.of("--layer", "conv2"));
            }
            if (dev.explain4j.core.MethodRegistry.get(method).options().contains("neuron")) {
                args.addAll(List.of("--neuron", "5"));
            }
            // DeepLIFT and LRP refuse a softmax (Captum's softmax rule mixes the rows of a batch)
            if (List.of("deeplift", "deeplift-shap", "lrp").contains(method)) {
                args.addAll(List.of("--output-space", "logit"));
            }
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exit()).as(method + ": " + run.err()).isZero();
        }
    }

    /**
     * Layer methods write the layer's output flattened in the model's own layout (conv2 of the digits CNN); grad-cam
     * with --upsample none its map at the layer's resolution (the 4 × 4 pooled grid); metrics of a hidden unit are
     * refused.
     */
    @Test
    void layerMethodsWriteTheLayersShapeAndGradCamCanStayAtItsResolution() throws Exception {
        Path layerOut = dir.resolve("digits-layer-ig.json");
        CliRun layer = CliRun.of("explain", "--model", "models/digits-cnn.zip", "--input", "models/digits-samples.csv",
                "--method", "layer-integrated-gradients", "--layer", "conv2", "--steps", "8", "--out", layerOut.toString());
        assertThat(layer.exit()).as(layer.err()).isZero();
        Path activationOut = dir.resolve("digits-layer-gxa.json");
        CliRun activation = CliRun.of("explain", "--model", "models/digits-cnn.zip", "--input", "models/digits-samples.csv",
                "--method", "layer-gradient-x-activation", "--layer", "conv2", "--out", activationOut.toString());
        assertThat(activation.exit()).as(activation.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        assertThat(width(json.readTree(layerOut.toFile()))).as("32 channels × 8 × 8").isEqualTo(2048)
                .isEqualTo(width(json.readTree(activationOut.toFile())));

        Path none = dir.resolve("digits-cam-none.json");
        Path bilinear = dir.resolve("digits-cam-bilinear.json");
        for (Path out : List.of(none, bilinear)) {
            CliRun run = CliRun.of("explain", "--model", "models/digits-cnn.zip", "--input", "models/digits-samples.csv",
                    "--method", "grad-cam", "--layer", "pool", "--upsample", out == none ? "none" : "bilinear",
                    "--out", out.toString());
            assertThat(run.exit()).as(run.err()).isZero();
        }
        assertThat(width(json.readTree(bilinear.toFile()))).isEqualTo(64);
        assertThat(width(json.readTree(none.toFile()))).as("the pooled 4 × 4 grid").isEqualTo(16);

        Path never = dir.resolve("unit-metrics.json");
        CliRun metrics = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "neuron-gradient",
                "--layer", "0", "--neuron", "1", "--metrics", "--out", never.toString());
        assertThat(metrics.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(metrics.err()).contains("--metrics does not apply to neuron-gradient");
        assertThat(never).doesNotExist();
    }

    /** Values per row of a JSON result. */
    private static int width(com.fasterxml.jackson.databind.JsonNode result) {
        return result.get("attributions").get(0).size();
    }

    @Test
    void limeOnImagesIsImageLimeUnderItsOwnNameAndLimeOnTablesStaysTabular() throws Exception {
        Path lime = dir.resolve("digits-lime.csv");
        Path limeImage = dir.resolve("digits-lime-image.csv");
        for (Path out : List.of(lime, limeImage)) {
            CliRun run = CliRun.of("explain", "--model", "models/digits-cnn.zip", "--input", "models/digits-samples.csv",
                    "--method", out == lime ? "lime" : "lime-image", "--samples", "30", "--out", out.toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("lime-image for");
        }
        assertThat(Files.readAllLines(lime)).isEqualTo(Files.readAllLines(limeImage));
        Path tabular = dir.resolve("iris-lime.json");
        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "lime", "--samples", "30",
                "--out", tabular.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(new ObjectMapper().readTree(tabular.toFile()).get("method").asText()).isEqualTo("lime");
    }

    @Test
    void reportWritesOneSelfContainedPage() throws Exception {
        Path folder = dir.resolve("report");
        CliRun run = CliRun.of("report", "--model", IRIS, "--input", IRIS_ROWS, "--methods", "integrated-gradients,kernel-shap",
                "--baseline", "mean", "--out", folder.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String page = Files.readString(folder.resolve("iris-mlp-report.html"));
        assertThat(page).contains("kernel-shap").contains("petal_length_cm").contains("data:image/png;base64,")
                .doesNotContain("<script src").doesNotContain("http://").doesNotContain("https://");
        // a data set's report opens with the global pictures, before the model and the rows
        assertThat(page.indexOf("<section id=\"overview\">")).isPositive().isLessThan(page.indexOf("<section id=\"model\">"));
        assertThat(page).contains("alt=\"Beeswarm summary of kernel-shap").contains("alt=\"Decision plot of 9 rows");
        if (System.getProperty("explain4j.plots") != null) {
            Files.copy(folder.resolve("iris-mlp-report.html"), Path.of(System.getProperty("explain4j.plots"), "iris-report.html"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void infoListsLayersAndBackend() {
        CliRun run = CliRun.of("info", "--model", "models/digits-cnn.zip");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("conv1").contains("conv2").contains("[rows, 64]").contains("output size:  10")
                .contains("backend:      " + ComputeBackend.backendName());
    }

    static Stream<Arguments> badInputs() throws IOException {
        Path zip = dir.resolve("truncated.zip");
        byte[] model = Files.readAllBytes(Path.of(IRIS));
        Files.write(zip, Arrays.copyOf(model, model.length / 2));
        Path h5 = dir.resolve("truncated.h5");
        byte[] keras = Files.readAllBytes(MODELS.resolve("simple_mlp.h5"));
        Files.write(h5, Arrays.copyOf(keras, keras.length / 3));
        String ok = IRIS_ROWS;
        return Stream.of(
                Arguments.of("missing model", args("--model", "nope.zip"), "nope.zip"),
                Arguments.of("not a model", args("--model", ok), "neither a DL4J model zip nor a Keras"),
                Arguments.of("corrupt zip", args("--model", zip.toString()), "truncated.zip"),
                Arguments.of("truncated h5", args("--model", h5.toString()), "truncated.h5"),
                Arguments.of("missing input", args("--input", "nope.csv"), "nope.csv"),
                Arguments.of("wrong width", args("--input", file("wide.csv", "1,2,3,4,5\n").toString()), "wide.csv"),
                Arguments.of("non-numeric cell", args("--input", file("word.csv", "1,2,3,4\n5,six,7,8\n").toString()), "six"),
                Arguments.of("NaN", args("--input", file("nan.csv", "1,2,3,4\n5,NaN,7,8\n").toString()), "nan.csv"),
                Arguments.of("infinity", args("--input", file("inf.csv", "1,2,3,4\n5,6,Infinity,8\n").toString()), "inf.csv"),
                Arguments.of("empty file", args("--input", file("empty.csv", "").toString()), "empty.csv"),
                Arguments.of("ragged rows", args("--input", file("ragged.csv", "1,2,3,4\n5,6,7\n").toString()), "ragged.csv"),
                Arguments.of("unknown method", args("--method", "shapash"), "unknown method 'shapash'"),
                Arguments.of("unknown layer", args("--method", "layer-gradient-x-activation", "--layer", "dense9"), "dense9"),
                Arguments.of("neuron missing", args("--method", "neuron-gradient", "--layer", "0"),
                        "neuron-gradient needs --neuron INDEX"),
                Arguments.of("neuron out of range", args("--method", "neuron-integrated-gradients", "--layer", "0",
                        "--neuron", "99"), "neuron 99 is out of range: layer '"),
                Arguments.of("neuron on a layer method", args("--method", "layer-conductance", "--layer", "0",
                        "--neuron", "1"), "--neuron does not apply to layer-conductance"),
                Arguments.of("layer missing", args("--method", "layer-integrated-gradients"),
                        "layer-integrated-gradients needs --layer"),
                Arguments.of("unknown upsampling", args("--method", "grad-cam", "--upsample", "sideways"),
                        "--upsample 'sideways': expected none, nearest or bilinear"),
                Arguments.of("upsampling an attribution that has no map", args("--upsample", "none"),
                        "--upsample does not apply to integrated-gradients"),
                Arguments.of("target out of range", args("--target", "7"), "target 7"),
                Arguments.of("target neither a number nor a class name", args("--target", "virginia"), "virginia"),
                Arguments.of("zero steps", args("--steps", "0"), "steps"),
                Arguments.of("baseline of the wrong width", args("--baseline", file("base.csv", "0,0,0\n").toString()), "base.csv"),
                Arguments.of("unwritable output", args("--out", dir.resolve("no/such/dir/out.csv").toString()), "out.csv"),
                Arguments.of("output of unknown type", args("--out", dir.resolve("out.txt").toString()), ".csv or .json"),
                Arguments.of("unknown option", args("--stepz", "3"), "--stepz"));
    }

    /** A valid explain command with some options replaced. */
    private static String[] args(String... overrides) {
        List<String> base = new ArrayList<>(List.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method",
                "integrated-gradients", "--out", dir.resolve("bad-input-result.csv").toString()));
        for (int i = 0; i < overrides.length; i += 2) {
            int at = base.indexOf(overrides[i]);
            if (at >= 0 && i + 1 < overrides.length) {
                base.set(at + 1, overrides[i + 1]);
            } else {
                base.addAll(List.of(overrides[i], overrides[i + 1]));
            }
        }
        return base.toArray(String[]::new);
    }

    @BeforeEach
    void noResultYet() throws IOException {
        Files.deleteIfExists(dir.resolve("bad-input-result.csv"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGetsOneLineExitTwoAndNoOutput(String name, String[] args, String named) throws IOException {
        CliRun run = CliRun.of(args);
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).as("one line").doesNotContain("\n").contains(named);
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(dir.resolve("bad-input-result.csv")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.contains(".tmp"));
        }
    }
}
