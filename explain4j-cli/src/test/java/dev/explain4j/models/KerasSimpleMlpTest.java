package dev.explain4j.models;

import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The shipped Keras file imports through DL4J and takes the input models/README.md documents: 100 values per row. */
class KerasSimpleMlpTest {

    @Test
    void importsAndGivesAProbabilityPerClass() throws Exception {
        MultiLayerNetwork net = KerasModelImport.importKerasSequentialModelAndWeights(
                Path.of("models/simple_mlp.h5").toString(), false);

        assertThat(net.layerInputSize(0)).isEqualTo(100);
        INDArray input = Nd4j.rand(DataType.FLOAT, 3, 100);
        INDArray output = net.output(input, false);

        assertThat(output.shape()).containsExactly(3, 10);
        for (double sum : output.sum(1).toDoubleVector()) {
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
    }
}
