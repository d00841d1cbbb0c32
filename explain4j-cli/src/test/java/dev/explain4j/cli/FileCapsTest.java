package dev.explain4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Files whose sizes would make the command allocate without bound, and other inputs that must get one clear line. */
class FileCapsTest {
    private static final String IRIS = "models/iris-mlp.zip";
    private static final String IRIS_ROWS = "models/iris-samples.csv";

    @TempDir
    Path dir;

    private static CliRun refusedInOneLine(String... args) {
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.of(args));
        assertThat(run.exit()).as(run.err()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(run.err().strip()).as("one line").doesNotContain("\n");
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
        return run;
    }

    @Test
    void aZipBombIsRefusedByEntryBeforeItIsInflated() throws IOException {
        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("configuration.json"));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 1024; i++) { // 1 GiB of white space: valid JSON padding, ~1 MB deflated
                zip.write(spaces);
            }
            zip.putNextEntry(new ZipEntry("coefficients.bin"));
            zip.write(new byte[16]);
        }
        assertThat(Files.size(bomb)).isLessThan(2L << 20);

        CliRun run = refusedInOneLine("info", "--model", bomb.toString());

        assertThat(run.err()).contains("bomb.zip").contains("configuration.json").contains("cap");
    }

    @Test
    void anEndlessInputIsRefusedFast() {
        CliRun run = refusedInOneLine("explain", "--model", IRIS, "--input", "/dev/zero", "--method", "saliency",
                "--out", dir.resolve("r.csv").toString());

        assertThat(run.err()).contains("/dev/zero").contains("line 1").contains("longer than");
        assertThat(dir.resolve("r.csv")).doesNotExist();
    }

    @Test
    void anAbsurdKerasInputDimensionIsRefusedByLayer() throws IOException {
        byte[] file = Files.readAllBytes(Path.of("models/simple_mlp.h5"));
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("{\"class_name\": \"Sequential\"");
        assertThat(start).isNotNegative();
        int end = start;
        for (int depth = 0; end == start || depth > 0; end++) { // the JSON's closing brace (no braces in its strings)
            depth += text.charAt(end) == '{' ? 1 : text.charAt(end) == '}' ? -1 : 0;
        }
        String json = text.substring(start, end);
        // same length, so the HDF5 string attribute stays valid: space taken from the separators, padded at the end
        String absurd = json.replace("\": ", "\":").replace(", \"", ",\"").replace("[null, 100]", "[null,99999999999]");
        absurd = absurd + " ".repeat(json.length() - absurd.length());
        Path h5 = dir.resolve("absurd.h5");
        Files.write(h5, (text.substring(0, start) + absurd + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1));

        CliRun run = refusedInOneLine("info", "--model", h5.toString());

        assertThat(run.err()).contains("absurd.h5").contains("99999999999").doesNotContain("cast");
    }

    @Test
    void aValueBeyondFloat32NamesTheFileLineAndColumnFromOne() throws IOException {
        Path rows = Files.writeString(dir.resolve("big.csv"), "1,2,3,4\n5,6,1e39,8\n");

        CliRun run = refusedInOneLine("explain", "--model", IRIS, "--input", rows.toString(), "--method", "saliency",
                "--out", dir.resolve("r.csv").toString());

        assertThat(run.err()).contains("big.csv: line 2, column 3").contains("1.0E39").contains("float32");
    }

    @Test
    void messagesNameOptionsNotFields() {
        CliRun run = refusedInOneLine("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "kernel-shap",
                "--batch-size", "0", "--out", dir.resolve("r.csv").toString());

        assertThat(run.err()).contains("--batch-size").doesNotContain("batchSize");
    }

    @Test
    void libraryLimitsNameTheOptionThatSetThem() {
        CliRun samples = refusedInOneLine("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "smoothgrad",
                "--samples", "200000000", "--out", dir.resolve("s.csv").toString());
        assertThat(samples.err().strip()).isEqualTo("explain4j: --samples must be at most 100000000, got 200000000");
        CliRun steps = refusedInOneLine("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "integrated-gradients",
                "--integration", "gausslegendre", "--steps", "10001", "--out", dir.resolve("i.csv").toString());
        assertThat(steps.err().strip()).isEqualTo("explain4j: --steps (gausslegendre) must be at most 10000, got 10001");
    }

    @Test
    void aBadInputGetsOneLineWithoutTheBackendAnnouncementUnlessVerbose() throws Exception {
        ProcessBuilder child = new ProcessBuilder(ChildCli.command("explain", "--model", IRIS, "--input", "nope.csv",
                "--method", "saliency", "--out", dir.resolve("r.csv").toString())).redirectErrorStream(false);
        Process quiet = child.start();
        String err = new String(quiet.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(quiet.waitFor()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(err.strip()).doesNotContain("\n").contains("nope.csv");

        Process verbose = new ProcessBuilder(ChildCli.command("info", "--model", IRIS, "--verbose")).start();
        verbose.getInputStream().readAllBytes();
        String announced = new String(verbose.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verbose.waitFor()).isZero();
        assertThat(announced).contains("INFO");
    }
}
