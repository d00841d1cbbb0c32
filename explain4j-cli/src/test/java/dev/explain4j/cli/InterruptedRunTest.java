package dev.explain4j.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The command as a child JVM, stopped by a signal while it writes, and run under the user's umask. */
class InterruptedRunTest {
    private static final String IRIS = "models/iris-mlp.zip";
    /** Enough rows that writing their attributions takes long enough to be interrupted (a good fraction of a second). */
    private static final int ROWS = 200_000;

    @TempDir
    static Path inputs;
    private static Path manyRows;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeManyRows() throws IOException {
        manyRows = inputs.resolve("many.csv");
        SplittableRandom random = new SplittableRandom(1);
        try (BufferedWriter w = Files.newBufferedWriter(manyRows)) {
            for (int r = 0; r < ROWS; r++) {
                w.write(String.format(java.util.Locale.ROOT, "%.1f,%.1f,%.1f,%.1f%n", 4 + 4 * random.nextDouble(),
                        2 + 2 * random.nextDouble(), 1 + 6 * random.nextDouble(), 2.5 * random.nextDouble()));
            }
        }
    }

    private List<Path> partials() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    /** Starts explain on many rows and returns once its output's temporary file exists, i.e. mid-write. */
    private Process startAndWaitForTheWrite(Path out) throws Exception {
        Process child = new ProcessBuilder(ChildCli.command("explain", "--model", IRIS, "--input", manyRows.toString(),
                "--method", "saliency", "--out", out.toString())).redirectErrorStream(true)
                .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (partials().isEmpty()) {
            assertThat(child.isAlive()).as("the child ended before writing").isTrue();
            assertThat(System.nanoTime()).as("no temporary file within 120 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return child;
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalDuringTheWriteLeavesNoTemporaryFile(String signal) throws Exception {
        Path out = dir.resolve("r.csv");
        Process child = startAndWaitForTheWrite(out);

        new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(partials()).isEmpty();
        if (Files.exists(out)) { // the signal came as the rename completed: then the file is whole
            assertThat(Files.lines(out).count()).isEqualTo(ROWS);
        }
    }

    @Test
    void theNextRunRemovesWhatAKilledRunLeft() throws Exception {
        Path out = dir.resolve("r.csv");
        Process child = startAndWaitForTheWrite(out);
        child.destroyForcibly().waitFor(); // SIGKILL: no hook runs
        assertThat(partials()).isNotEmpty();

        CliRun run = CliRun.of("explain", "--model", IRIS, "--input", "models/iris-samples.csv", "--method", "saliency",
                "--out", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(partials()).isEmpty();
    }

    @Test
    void outputsFollowTheUmask() throws Exception {
        Path out = dir.resolve("private.csv");
        Process child = new ProcessBuilder("sh", "-c", "umask 077 && exec " + ChildCli.shellLine("explain", "--model", IRIS,
                "--input", "models/iris-samples.csv", "--method", "saliency", "--out", out.toString()))
                .redirectErrorStream(true).start();
        String printed = new String(child.getInputStream().readAllBytes());

        assertThat(child.waitFor()).as(printed).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }
}
