package dev.explain4j.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Large requests finish inside a small JVM: 256 MiB of heap, 512 MiB off-heap and 1280 MiB of resident memory in all
 * (JavaCPP refuses an allocation past either limit, so a request whose memory grows with steps or samples fails).
 * Each runs in a child JVM of its own ({@link MemoryProbe}); the README's "Memory and limits" gives the peaks measured.
 */
class MemoryBudgetTest {
    private static final long SECONDS = 300;
    /**
     * What a process explaining with ND4J holds beside the pass workspace (which the budget sizes): the heap in use,
     * native libraries and their code, metaspace, thread stacks, the JIT's code cache, the path integral's chunk
     * workspace and the few arrays that outlive a pass. Measured: 0.24 GB for IG on the digits CNN in the small JVM
     * (0.30 GB resident with a 64 MiB budget), 0.33 GB with a 4 GiB heap limit.
     */
    private static final long BESIDE_THE_BUDGET = 512L << 20;

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
            // 5 · 10^5 neighbours of 64 features: all rows' neighbourhoods were on the heap at once, out of heap
            "lime, digits, 10, 50000",
    })
    void finishesInASmallJvm(String scenario, String model, int rows, int count) throws Exception {
        run(List.of("-Xmx256m", "-Dorg.bytedeco.javacpp.maxbytes=512m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=1280m"),
                scenario, model, rows, count);
    }

    /**
     * IG with 1000 steps on 1000 digits rows with JavaCPP's default limits (none set; a 4 GiB heap makes its default
     * off-heap limit 4 GiB and the budget its 512 MiB cap, as on any machine of 16 GB or more): the peak resident size
     * stays within the budget plus {@link #BESIDE_THE_BUDGET}. Measured: 0.84 GB; 2.46 GB when DL4J's layers
     * allocated outside the pass workspace and their arrays waited for the garbage collector.
     */
    @Test
    void integratedGradientsStayWithinTheBudgetWithDefaultOffHeapSettings() throws Exception {
        String[] peak = run(List.of("-Xmx4g"), "ig", "digits", 1000, 1000);
        long resident = Long.parseLong(peak[1]);
        assumeTrue(resident > 0, "no /proc/self/status to read the peak resident size from");
        long budget = Math.min(512L << 20, Long.parseLong(peak[2]) / 8);
        assertThat(resident).as("peak resident bytes, budget %d MiB", budget >> 20)
                .isLessThanOrEqualTo(budget + BESIDE_THE_BUDGET);
    }

    /** Runs the probe in a child JVM with the given options; returns the fields of its PEAK line. */
    private static String[] run(List<String> options, String scenario, String model, int rows, int count) throws Exception {
        Path log = Files.createTempFile("explain4j-memory-", ".log");
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(options);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(),
                    scenario, model, Integer.toString(rows), Integer.toString(count)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
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
            output.lines().filter(l -> l.startsWith("DONE") || l.startsWith("PEAK")).forEach(System.out::println);
            return output.lines().filter(l -> l.startsWith("PEAK\t")).findFirst().orElseThrow().split("\t");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String tail(String output) throws IOException {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
