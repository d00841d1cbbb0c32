package dev.explain4j.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the command line must never do to the user's files: overwrite an input, leave half of its outputs. */
class OutputSafetyTest {
    private static final String IRIS = "models/iris-mlp.zip";
    private static final String IRIS_ROWS = "models/iris-samples.csv";

    @TempDir
    Path dir;

    private Path copyOfRows() throws IOException {
        return Files.copy(Path.of(IRIS_ROWS), dir.resolve("rows.csv"));
    }

    private static void assertRefusedInOneLine(CliRun run, String... named) {
        assertThat(run.exit()).as(run.err()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(run.err().strip()).as("one line").doesNotContain("\n").contains(named);
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void explainRefusesToWriteOverItsInput() throws IOException {
        Path rows = copyOfRows();
        String before = Files.readString(rows);

        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", rows.toString(), "--method", "saliency",
                "--out", rows.toString());

        assertRefusedInOneLine(run, "--input", rows.toString());
        assertThat(rows).hasContent(before);
    }

    @Test
    void explainRefusesToWriteOverItsBaselineOrBackgroundThroughALink() throws IOException {
        Path rows = copyOfRows();
        Path reference = Files.writeString(dir.resolve("reference.csv"), "0,0,0,0\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), reference);

        CliRun baseline = CliRun.of("explain", "--model", IRIS, "--input", rows.toString(), "--method", "integrated-gradients",
                "--baseline", reference.toString(), "--out", link.toString());
        CliRun background = CliRun.of("explain", "--model", IRIS, "--input", rows.toString(), "--method", "kernel-shap",
                "--background", link.toString(), "--out", reference.toString());

        assertRefusedInOneLine(baseline, "--baseline");
        assertRefusedInOneLine(background, "--background");
        assertThat(reference).hasContent("0,0,0,0");
    }

    @Test
    void explainRefusesToWriteOverItsModelThroughALinkedFolder() throws IOException {
        Path models = Files.createDirectory(dir.resolve("models"));
        // a DL4J zip is recognised by content, so a model named m.json is a valid --model and a valid --out name
        Path model = Files.copy(Path.of(IRIS), models.resolve("m.json"));
        Path linkedFolder = Files.createSymbolicLink(dir.resolve("linked"), models);
        long size = Files.size(model);

        CliRun run = CliRun.of("explain", "--model", model.toString(), "--input", IRIS_ROWS, "--method", "saliency",
                "--out", linkedFolder.resolve("m.json").toString());

        assertRefusedInOneLine(run, "--model");
        assertThat(Files.size(model)).isEqualTo(size);
    }

    @Test
    void globalRefusesAnOutputFolderHoldingItsInputUnderAnOutputName() throws IOException {
        Path out = Files.createDirectory(dir.resolve("g"));
        Path rows = Files.copy(Path.of(IRIS_ROWS), out.resolve("importance.csv"));
        String before = Files.readString(rows);

        CliRun run = CliRun.of("global", "--model", IRIS, "--input", rows.toString(), "--out", out.toString());

        assertRefusedInOneLine(run, "--input", "importance.csv");
        assertThat(rows).hasContent(before);
        assertThat(filesIn(out)).containsExactly("importance.csv");
    }

    @Test
    void reportRefusesAnOutputFolderWhereItsPageWouldReplaceItsInput() throws IOException {
        Path out = Files.createDirectory(dir.resolve("r"));
        Path rows = Files.copy(Path.of(IRIS_ROWS), out.resolve("iris-mlp-report.html")); // the page report writes
        String before = Files.readString(rows);

        CliRun run = CliRun.of("report", "--model", IRIS, "--input", rows.toString(), "--out", out.toString());

        assertRefusedInOneLine(run, "--input", "iris-mlp-report.html");
        assertThat(rows).hasContent(before);
    }

    @Test
    void reportOnAnExistingFileSaysOutMustBeAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("report.html"), "mine");

        CliRun run = CliRun.of("report", "--model", IRIS, "--input", IRIS_ROWS, "--out", file.toString());

        assertRefusedInOneLine(run, "--out", "must be a folder");
        assertThat(file).hasContent("mine");
    }

    @Test
    void explainWithMetricsWritesNeitherFileWhenTheMetricsCannotBeWritten() throws IOException {
        Path out = dir.resolve("r.csv");
        Files.createDirectory(dir.resolve("r.metrics.json")); // in the way of the second file

        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", IRIS_ROWS, "--method", "saliency", "--metrics",
                "--out", out.toString());

        assertRefusedInOneLine(run, "r.metrics.json");
        assertThat(filesIn(dir)).containsExactly("r.metrics.json");
    }

    @Test
    void globalWritesNoFileWhenItsLastOneCannotBeWritten() throws IOException {
        Path out = Files.createDirectory(dir.resolve("g"));
        Files.createDirectory(out.resolve("global.json")); // the last file global writes

        CliRun run = CliRun.of("global", "--model", IRIS, "--input", IRIS_ROWS, "--out", out.toString());

        assertRefusedInOneLine(run, "global.json");
        assertThat(filesIn(out)).containsExactly("global.json");
    }

    @Test
    void globalQuotesFeatureNamesInItsCsv() throws IOException {
        Path rows = Files.writeString(dir.resolve("rows.csv"), "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\n"
                + Files.readAllLines(Path.of(IRIS_ROWS)).stream().skip(1).reduce((a, b) -> a + "\n" + b).orElseThrow() + "\n");
        Path out = dir.resolve("g");

        CliRun run = CliRun.of("global", "--model", IRIS, "--input", rows.toString(), "--out", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(Files.readString(out.resolve("importance.csv"))))
                .getRecords();
        assertThat(records).hasSize(5);
        assertThat(records.stream().skip(1).map(r -> r.get(0))).containsExactly("a,b", "say \"hi\"", "two\nlines", "plain");
        assertThat(records).allSatisfy(r -> assertThat(r.size()).isEqualTo(records.get(0).size()));
    }
}
