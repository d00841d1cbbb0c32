package dev.explain4j.usage;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Use it as a library" program, compiled here against explain4j-core alone (this module has no report or
 * CLI classes on its class path), and what it prints holds: IG on the shipped iris MLP with its completeness delta.
 */
class LibraryUseTest {

    @Test
    void theReadmeProgramRunsOnCoreAlone() {
        NetworkModel model = ModelLoader.load(Path.of("models/iris-mlp.zip"), null);
        INDArray rows = Nd4j.createFromArray(new float[][]{{5.1f, 3.5f, 1.4f, 0.2f}});
        Attributions ig = IntegratedGradients.of(model).attribute(rows, Target.predicted());
        System.out.println(ig.values() + " delta " + ig.completenessDelta().orElseThrow()[0]);

        assertThat(ig.values().shape()).containsExactly(1, 4);
        // 50 Gauss-Legendre steps on a tanh MLP: the sum matches f(x) − f(0) closely
        assertThat(Math.abs(ig.completenessDelta().orElseThrow()[0])).isLessThan(1e-3);
        assertThat(ig.targets().orElseThrow()[0]).isZero();
    }

    @Test
    void coreCarriesNoCommandLineReportOrLoggingBinding() {
        for (String absent : new String[]{"picocli.CommandLine", "me.tongfei.progressbar.ProgressBar",
                "org.jfree.chart.JFreeChart", "dev.explain4j.report.HtmlReport", "dev.explain4j.cli.Explain4j"}) {
            assertThat(isPresent(absent)).as(absent).isFalse();
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, LibraryUseTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
