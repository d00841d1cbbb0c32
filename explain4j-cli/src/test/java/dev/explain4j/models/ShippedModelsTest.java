package dev.explain4j.models;

import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed models and samples in {@code models/} are what {@link ShippedModels} makes and what
 * models/README.md says: they load, read their samples, and reach the stated held-out accuracy on the fixed split.
 */
class ShippedModelsTest {
    private static final Path MODELS = Path.of("models");
    private static LabelledData iris;
    private static LabelledData digits;

    @BeforeAll
    static void readData() {
        iris = ShippedData.iris(MODELS.resolve("data"));
        digits = ShippedData.digits(MODELS.resolve("data"));
    }

    @Test
    void shippedDataHaveTheDocumentedShape() {
        assertThat(iris.size()).isEqualTo(150);
        assertThat(iris.features(0)).containsExactly(5.1, 3.5, 1.4, 0.2);
        assertThat(IntStream.range(0, 150).map(iris::label).distinct().sorted().toArray()).containsExactly(0, 1, 2);
        assertThat(digits.size()).isEqualTo(1797);
        assertThat(digits.features(0)).hasSize(64);
        assertThat(Arrays.stream(digits.features(0)).max().getAsDouble()).isLessThanOrEqualTo(16);
        assertThat(digits.classes()).isEqualTo(10);
    }

    @Test
    void splitIsStratifiedDisjointAndFixed() {
        Split split = Split.stratified(iris, ShippedModels.HELD_OUT_SHARE, ShippedModels.SEED);

        assertThat(split.heldOut()).hasSize(30);
        assertThat(split.training()).hasSize(120).doesNotContain(split.heldOut());
        assertThat(Arrays.stream(split.heldOut()).map(iris::label).filter(l -> l == 2).count()).isEqualTo(10);
        assertThat(Split.stratified(iris, ShippedModels.HELD_OUT_SHARE, ShippedModels.SEED).heldOut())
                .containsExactly(split.heldOut());
    }

    @Test
    void irisModelReachesItsHeldOutAccuracyAndClassifiesItsSamples() throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(MODELS.resolve("iris-mlp.zip").toFile(), false);
        Split split = Split.stratified(iris, ShippedModels.HELD_OUT_SHARE, ShippedModels.SEED);

        assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(ShippedModels.accuracy(net, iris, split.heldOut())).isGreaterThanOrEqualTo(0.9);

        InputTable samples = CsvInputReader.ofWidth(4, "iris").read(MODELS.resolve("iris-samples.csv"));
        assertThat(samples.featureNames()).contains(ShippedData.IRIS_FEATURES);
        assertThat(predictions(net, samples)).containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 2);
    }

    @Test
    void digitsModelReachesItsHeldOutAccuracyAndClassifiesItsSamples() throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(MODELS.resolve("digits-cnn.zip").toFile(), false);
        Split split = Split.stratified(digits, ShippedModels.HELD_OUT_SHARE, ShippedModels.SEED);

        assertThat(ShippedModels.accuracy(net, digits, split.heldOut())).isGreaterThanOrEqualTo(0.98);

        InputTable samples = CsvInputReader.ofWidth(64, "8×8 pixels").read(MODELS.resolve("digits-samples.csv"));
        assertThat(samples.featureNames()).isEmpty();
        // the samples are digits 0..9, the first held-out row of each, picked without looking at the model; the 5 is
        // taken for a 9, as models/README.md says (a row worth explaining)
        assertThat(predictions(net, samples)).containsExactly(0, 1, 2, 3, 4, 9, 6, 7, 8, 9);
    }

    private static int[] predictions(MultiLayerNetwork net, InputTable samples) {
        INDArray output = net.output(samples.toArray(DataType.FLOAT), false);
        return output.argMax(1).toIntVector();
    }
}
