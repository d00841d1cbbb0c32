package dev.explain4j.spark;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.core.MethodSettings;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transformer gives the library's numbers: the same rows explained by the core API in one call and by the stage
 * over 3 partitions agree to the last bit, attributions and the other columns alike, for IG, KernelSHAP, LIME and
 * occlusion on the shipped iris MLP, in double and in float.
 */
class LibraryEqualityTest {
    private static final double[][] ROWS = Arrays.copyOf(SparkTests.iris(), 60);
    private static final double[][] BACKGROUND = Arrays.copyOfRange(SparkTests.iris(), 100, 110);

    static Stream<Arguments> cases() {
        return Stream.of("integrated-gradients", "kernel-shap", "lime", "occlusion")
                .flatMap(m -> Stream.of(Arguments.of(m, "double"), Arguments.of(m, "float")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theStageGivesTheLibrarysNumbers(String method, String precision) {
        AttributionTransformer stage = new AttributionTransformer().setModelPath("models/iris-mlp.zip")
                .setInputCol("features").setMethod(method).setPrecision(precision);
        NetworkModel model = ModelLoader.load(Path.of("models/iris-mlp.zip"), null)
                .withDataType(precision.equals("double") ? DataType.DOUBLE : DataType.FLOAT);
        INDArray x = Nd4j.createFromArray(ROWS).castTo(model.dataType());
        MethodSettings settings;
        switch (method) {
            case "integrated-gradients" -> {
                stage.setSteps(20);
                settings = new MethodSettings(null, null, 20, null, null, null, null, null, null, null);
            }
            case "kernel-shap", "lime" -> {
                stage.setBackground(BACKGROUND).setSamples(300).setSeed(11);
                settings = new MethodSettings(null, Reference.distribution(Nd4j.createFromArray(BACKGROUND)
                        .castTo(model.dataType())), null, null, null, null, null, 300, 11L, null);
            }
            default -> settings = MethodSettings.defaults();
        }
        Attributions library = MethodRegistry.create(method, model, settings, x).attribute(x, Target.predicted());

        Dataset<Row> explained = stage.transform(SparkTests.frame(ROWS, 3)).cache();
        double[][] values = SparkTests.byId(explained, "attributions");
        for (int r = 0; r < ROWS.length; r++) {
            assertThat(values[r]).as("row %d", r).containsExactly(library.row(r));
        }
        double[] fx = column(explained, "f_x");
        assertThat(fx).containsExactly(library.targetOutputs().orElseThrow());
        if (library.completenessDelta().isPresent()) {
            assertThat(column(explained, "completeness_delta")).containsExactly(library.completenessDelta().get());
        }
        explained.unpersist();
    }

    private static double[] column(Dataset<Row> explained, String name) {
        double[] out = new double[ROWS.length];
        for (Row row : explained.select("id", name).collectAsList()) {
            out[Math.toIntExact(row.getLong(0))] = row.getDouble(1);
        }
        return out;
    }
}
