package dev.explain4j.metrics;

import dev.explain4j.io.CsvInputReader;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

/** The shipped digits CNN and its sample rows. */
final class DigitsFixture {
    static final Path MODEL = Path.of("models/digits-cnn.zip");

    private DigitsFixture() {
    }

    static NetworkModel model() {
        return ModelLoader.load(MODEL, null);
    }

    static INDArray samples(NetworkModel model) {
        return CsvInputReader.ofWidth(64, "8×8 digits").read(Path.of("models/digits-samples.csv")).toArray(model.dataType());
    }
}
