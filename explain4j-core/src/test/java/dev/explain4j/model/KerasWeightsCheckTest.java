package dev.explain4j.model;

import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KerasWeightsCheckTest {
    private static final Path CORPUS = Path.of("testdata/keras-corpus/tfkeras");

    /** Channels-first Conv2DTranspose pairs: DL4J M2.1 leaves the second one's kernel randomly initialised. */
    @ParameterizedTest
    @ValueSource(ints = {52, 53, 54, 55, 56, 57, 58, 59})
    void refusesKerasFilesWhoseImportLeavesRandomWeights(int number) {
        Path file = CORPUS.resolve("cnn2d_" + number + ".h5");
        assertThatThrownBy(() -> ModelLoader.load(file, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("conv2d_transpose_")
                .hasMessageContaining("(Deconvolution2DLayer)").hasMessageContaining("randomly initialised");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tfkeras/mlp_0.h5", "tfkeras/act_11.h5", "dl4j-examples/simple_mlp.h5",
            "dl4j-examples/simple_functional_mlp.h5"})
    void loadsKerasFilesWhoseWeightsAllComeFromTheFile(String file) {
        assertThatCode(() -> ModelLoader.load(CORPUS.getParent().resolve(file), null)).doesNotThrowAnyException();
    }

    @Test
    void namesTheParameterThatDiffersBetweenImports() {
        MultiLayerNetwork first = Networks.mlp();
        MultiLayerNetwork second = first.clone();
        second.getLayerWiseConfigurations().getConf(0).setSeed(first.getLayerWiseConfigurations().getConf(0).getSeed() + 1);
        assertThatCode(() -> KerasWeightsCheck.requireWeightsFromFile(Path.of("m.h5"), first, () -> second))
                .doesNotThrowAnyException();
        second.getLayer(1).getParam("b").putScalar(2, 0.5);
        assertThatThrownBy(() -> KerasWeightsCheck.requireWeightsFromFile(Path.of("m.h5"), first, () -> second))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m.h5").hasMessageContaining("parameter 'b' of layer 'layer1' (DenseLayer)");
    }

    /** Imports under the same seed would share their random initialisation: the check imports again. */
    @Test
    void importsAgainUntilTheSeedDiffers() {
        MultiLayerNetwork first = Networks.mlp();
        AtomicInteger imports = new AtomicInteger();
        KerasWeightsCheck.requireWeightsFromFile(Path.of("m.h5"), first, () -> {
            MultiLayerNetwork again = first.clone();
            if (imports.incrementAndGet() == 3) {
                again.getLayerWiseConfigurations().getConf(0).setSeed(7);
            }
            return again;
        });
        assertThat(imports).hasValue(3);
    }
}
