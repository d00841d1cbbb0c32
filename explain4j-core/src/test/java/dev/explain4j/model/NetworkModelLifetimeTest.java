package dev.explain4j.model;

import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkModelLifetimeTest {
    private static final long MIB = 1L << 20;

    @Test
    void aClosedModelRefusesWorkAndLeavesTheNetworkUsable() {
        MultiLayerNetwork net = Networks.mlp();
        INDArray x = Nd4j.rand(net.params().dataType(), 4, 5);
        INDArray expected = net.output(x, false);
        NetworkModel model = NetworkModel.of(net);
        assertThat(model.predict(x)).isEqualTo(expected);
        model.close();
        model.close();
        assertThatThrownBy(() -> model.predict(x)).isInstanceOf(IllegalStateException.class)
                .hasMessage("this NetworkModel is closed: its network copies and workspaces were released; load or wrap"
                        + " the network again to explain with it");
        assertThatThrownBy(() -> model.gradients(x, Target.predicted())).isInstanceOf(IllegalStateException.class);
        assertThat(net.output(x, false)).isEqualTo(expected);
        try (NetworkModel again = NetworkModel.of(net)) {
            assertThat(again.predict(x)).isEqualTo(expected);
        }
    }

    /**
     * 16 concurrent calls of 400 CNN rows each leave ≈ 22 MiB of pass workspace apiece (≈ 350 MiB in all) while the
     * model is open; {@code close()} gives it back, to within 32 MiB of the start, whether the callers' threads have
     * ended or are still alive in a pool. Before {@code close()} existed the workspaces lived in the threads'
     * workspace tables, so a pool's threads kept them (≈ 350 MiB here) after the model was dropped. A child JVM with a
     * pre-touched heap keeps the heap out of the resident figure, and glibc is told to map large blocks, so that a
     * freed block goes back to the system instead of to one of the threads' malloc arenas.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ended", "pooled"})
    void closeReleasesTheWorkspacesOfItsCallers(String threads) throws Exception {
        String[] figures = probe(threads).split(" ");
        long start = Long.parseLong(figures[1]);
        long open = Long.parseLong(figures[2]);
        long closed = Long.parseLong(figures[3]);
        assertThat(open - start).as("resident growth with the model open").isGreaterThan(LifetimeProbe.THREADS * 8 * MIB);
        assertThat(closed - start).as("resident growth after close()").isLessThan(32 * MIB);
    }

    private static String probe(String threads) throws Exception {
        Path log = Files.createTempFile("explain4j-lifetime-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                    "-cp", System.getProperty("java.class.path"), LifetimeProbe.class.getName(), threads))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            builder.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
            Process child = builder.start();
            boolean finished = child.waitFor(300, TimeUnit.SECONDS);
            if (!finished) {
                child.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("finished:%n%s", output).isTrue();
            assertThat(child.exitValue()).as("exit code:%n%s", output).isZero();
            String line = output.lines().filter(l -> l.startsWith("LIFETIME ")).findFirst().orElse("");
            assertThat(line).as("probe output:%n%s", output).isNotEmpty();
            System.out.println(line);
            return line;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
