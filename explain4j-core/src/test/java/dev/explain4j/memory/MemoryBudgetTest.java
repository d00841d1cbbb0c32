package dev.explain4j.memory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large requests finish inside a small JVM: 256 MiB of heap, 512 MiB off-heap and 1280 MiB of resident memory in all
 * (JavaCPP refuses an allocation past either limit, so a request whose memory grows with steps or samples fails).
 * Each runs in a child JVM of its own ({@link MemoryProbe}); the README's "Memory and limits" gives the peaks measured.
 */
class MemoryBudgetTest {
    private static final long SECONDS = 300;

    @ParameterizedTest(name = "{0} on {1}: {2} rows × {3}")
    @CsvSource({
            // steps × rows on the CNN: 10^6 points, 4.1 GB of resident memory with the default settings before
            "ig, digits, 1000, 1000",
            // 2 · 10^7 points: their alphas and weights alone were 320 MB of heap
            "ig-riemann, iris, 10, 2000000",
            // 2 · 10^5 noisy copies, once stacked in one batch with their noise (100 MB of heap)
            "smoothgrad, digits, 10, 20000",
            // 2 · 10^5 samples, once n × samples heap arrays
            "expected-gradients, digits, 10, 20000",
            // 20 rows × 20,000 coalitions × 64 features, within Limits.MAX_COALITION_ENTRIES
            "kernel-shap, digits, 20, 20000",
    })
    void finishesInASmallJvm(String scenario, String model, int rows, int count) throws Exception {
        Path log = Files.createTempFile("explain4j-memory-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-Dorg.bytedeco.javacpp.maxbytes=512m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=1280m",
                    "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(),
                    scenario, model, Integer.toString(rows), Integer.toString(count)))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            Process child = builder.start();
            boolean finished = child.waitFor(SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                child.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("finished within %d s:%n%s", SECONDS, tail(output)).isTrue();
            assertThat(child.exitValue()).as("exit code:%n%s", tail(output)).isZero();
            assertThat(output).contains("DONE\t" + scenario);
            System.out.println(output.lines().filter(l -> l.startsWith("DONE")).findFirst().orElse(""));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String tail(String output) throws IOException {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
