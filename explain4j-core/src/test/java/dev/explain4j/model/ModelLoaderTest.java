package dev.explain4j.model;

import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLoaderTest {
    private static final Path KERAS_MLP = Path.of("testdata/keras-corpus/dl4j-examples/simple_mlp.h5");

    @TempDir
    Path dir;

    @Test
    void loadsDl4jZipsOfBothKinds() throws Exception {
        MultiLayerNetwork net = Networks.mlp();
        Path mln = dir.resolve("net.bin"); // the name says nothing: content decides
        ModelSerializer.writeModel(net, mln.toFile(), false);
        INDArray x = Networks.randomInput(1, 3, 5);
        assertThat(ModelLoader.load(mln, null).predict(x)).isEqualTo(net.output(x, false));
        Path graph = dir.resolve("graph.zip");
        ModelSerializer.writeModel(Networks.graph(), graph.toFile(), false);
        assertThat(ModelLoader.load(graph, "score").networkKind()).isEqualTo("ComputationGraph");
    }

    @Test
    void loadsKerasFilesWithTheirInputShape() {
        NetworkModel model = ModelLoader.load(KERAS_MLP, null);
        assertThat(model.inputShape()).containsExactly(100); // its batch_input_shape is [null, 100]
    }

    @Test
    void refusesWhatIsNotAModel() throws Exception {
        Path missing = dir.resolve("missing.zip");
        assertThatThrownBy(() -> ModelLoader.load(missing, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path text = Files.writeString(dir.resolve("model.zip"), "sepal_length,sepal_width\n1,2\n");
        assertThatThrownBy(() -> ModelLoader.load(text, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("neither a DL4J model zip nor a Keras");
        Path empty = Files.write(dir.resolve("empty.h5"), new byte[0]);
        assertThatThrownBy(() -> ModelLoader.load(empty, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString());
    }

    @Test
    void refusesCorruptZipsAndTruncatedHdf5() throws Exception {
        Path zip = dir.resolve("net.zip");
        ModelSerializer.writeModel(Networks.mlp(), zip.toFile(), false);
        byte[] bytes = Files.readAllBytes(zip);
        Path corrupt = Files.write(dir.resolve("corrupt.zip"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ModelLoader.load(corrupt, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(corrupt.toString()).hasMessageContaining("corrupt");
        byte[] h5 = Files.readAllBytes(KERAS_MLP);
        Path truncated = Files.write(dir.resolve("truncated.h5"), Arrays.copyOf(h5, h5.length / 3));
        assertThatThrownBy(() -> ModelLoader.load(truncated, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(truncated.toString());
    }
}
