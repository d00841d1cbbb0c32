package dev.explain4j.model;

import dev.explain4j.io.ClassNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one parser of target text (CLI and Spark), and class names from an option, a file or a model's sidecar. */
class TargetParseTest {
    private static final List<String> IRIS = List.of("setosa", "versicolor", "virginica");

    @Test
    void predictedIndexOrName() {
        assertThat(Target.parse("predicted", IRIS).isPredicted()).isTrue();
        assertThat(Target.parse("1", List.of()).fixedIndex()).hasValue(1);
        assertThat(Target.parse(" virginica ", IRIS).fixedIndex()).hasValue(2);
        assertThat(Target.predicted().fixedIndex()).isEmpty();
        // a class named like a number is the name's index, not the number
        assertThat(Target.parse("0", List.of("1", "0")).fixedIndex()).hasValue(1);
        assertThatThrownBy(() -> Target.parse("virginia", IRIS))
                .hasMessage("target 'virginia': expected 'predicted', an output index or a class name [setosa, versicolor, virginica]");
        assertThatThrownBy(() -> Target.parse("setosa", List.of())).hasMessageContaining("no class names are known");
        assertThatThrownBy(() -> Target.parse("-1", List.of())).hasMessageContaining("target '-1'");
        assertThatThrownBy(() -> Target.parse("99999999999", List.of())).hasMessageContaining("target '99999999999'");
    }

    @Test
    void classNamesFromTextFileAndSidecar(@TempDir Path dir) throws Exception {
        assertThat(ClassNames.parse("a, b ,c", "--class-names")).containsExactly("a", "b", "c");
        Path file = Files.writeString(dir.resolve("names.txt"), "ham\r\n\r\nspam\r\n");
        assertThat(ClassNames.parse("@" + file, "--class-names")).containsExactly("ham", "spam");
        assertThatThrownBy(() -> ClassNames.parse("a,,b", "--class-names")).hasMessage("--class-names 'a,,b': class name 2 is empty");
        assertThatThrownBy(() -> ClassNames.parse("a,b,a", "--class-names")).hasMessageContaining("'a' is given twice");
        Path model = Files.writeString(dir.resolve("net.zip"), "not read");
        assertThat(ClassNames.sidecar(model)).isEmpty();
        Files.writeString(dir.resolve("net.classes"), "x\ny\n");
        assertThat(ClassNames.sidecar(model)).hasValue(List.of("x", "y"));
        assertThat(ClassNames.checkCount(List.of("x", "y"), 2, "net.classes")).hasSize(2);
        assertThatThrownBy(() -> ClassNames.checkCount(List.of("x", "y"), 3, "net.classes"))
                .hasMessage("net.classes: 2 class names for a model with 3 outputs; expected one name per output");
    }

    @Test
    void theShippedModelsKnowTheirClasses() {
        Path models = Path.of("models");
        assertThat(ClassNames.sidecar(models.resolve("iris-mlp.zip"))).hasValue(IRIS);
        assertThat(ClassNames.sidecar(models.resolve("digits-cnn.zip")).orElseThrow()).hasSize(10).startsWith("0").endsWith("9");
        assertThat(ClassNames.sidecar(models.resolve("spam-bilstm.zip"))).hasValue(List.of("ham", "spam"));
        assertThat(ClassNames.sidecar(models.resolve("spam-attention.zip"))).hasValue(List.of("ham", "spam"));
    }
}
