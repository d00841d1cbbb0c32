package dev.explain4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command, `explain4j demo`, keeps working on the shipped models. */
class DemoCommandTest {

    @Test
    void demoExplainsEveryShippedModelAndSaysWhere(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("demo");
        CliRun run = CliRun.of("demo", "--out", target.toString(), "--models", "models");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains(target.toAbsolutePath().toString()).contains("iris-mlp.zip")
                .contains("digits-cnn.zip").contains("simple_mlp.h5");
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("iris-mlp-kernel-shap.json", "digits-cnn-grad-cam.csv", "simple_mlp-integrated-gradients.json",
                            "iris-mlp-logit-deeplift.json", "digits-cnn-logit-lrp.json", "digits-cnn-logit-report.html",
                            "digits-cnn-report.html", "spam-attention-report.html");
        }
        // DeepLIFT's attributions add up to the logit's change: its delta is at rounding level
        assertThat(run.out()).containsPattern("iris-mlp.zip \\(logits\\)[^\\n]*\\n\\s+deeplift[^\\n]*max \\|completeness delta\\| \\d(\\.\\d+)?e-(0[5-9]|[1-9]\\d)");
        String attention = Files.readString(target.resolve("spam-attention-report.html"));
        assertThat(attention).contains("<td>received</td>");
    }
}
