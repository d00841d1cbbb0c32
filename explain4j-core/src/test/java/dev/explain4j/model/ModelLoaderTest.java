package dev.explain4j.model;

import dev.explain4j.testing.Networks;
import org.bytedeco.hdf5.DSetAccPropList;
import org.bytedeco.hdf5.DSetCreatPropList;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.LinkCreatPropList;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.global.hdf5;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        // a Sequential file declares its input on its InputLayer and again on the Flatten after it: the first counts
        assertThat(ModelLoader.load(Path.of("testdata/keras-corpus/tfkeras/some_loss.h5"), null).inputShape())
                .containsExactly(28, 28);
        // a functional file's input is its InputLayer's
        assertThat(ModelLoader.load(Path.of("testdata/keras-corpus/tfkeras/issue_9349.hdf5"), null).inputShape())
                .containsExactly(6);
    }

    @Test
    void computesAKerasDenseOnASequenceAtEachTimeStep() throws Exception {
        // Embedding → Dense: Keras gives [n, 5, 4]; DL4J's graph import gives 5 rows of 4 per sequence, time-major
        Path file = Path.of("testdata/keras-corpus/tfkeras/misc_0.h5");
        INDArray ids = Nd4j.createFromArray(new float[][]{{1, 2, 3, 0, 4}, {0, 0, 1, 2, 3}});
        INDArray perStep = org.deeplearning4j.nn.modelimport.keras.KerasModelImport.importKerasModelAndWeights(file.toString(), false)
                .output(false, ids)[0];
        assertThat(perStep.shape()).containsExactly(10, 4);
        INDArray expected = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 20);
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 5; t++) {
                for (int u = 0; u < 4; u++) {
                    expected.putScalar(r, t * 4L + u, perStep.getDouble(t * 2L + r, u));
                }
            }
        }
        assertThat(ModelLoader.load(file, null).predict(ids)).isEqualTo(expected);
    }

    @Test
    void importsAFunctionalChainThatStartsWithAnEmbeddingAsAChain() throws Exception {
        // token attributions cut the network after its embedding, which needs a MultiLayerNetwork
        Path file = Path.of("testdata/keras-corpus/tfkeras/issue_9349.hdf5");
        NetworkModel model = ModelLoader.load(file, null);
        assertThat(model.networkKind()).isEqualTo("MultiLayerNetwork");
        INDArray ids = Nd4j.createFromArray(new float[][]{{1, 2, 3, 0, 4, 1}, {0, 0, 1, 2, 3, 4}});
        org.deeplearning4j.nn.graph.ComputationGraph graph =
                org.deeplearning4j.nn.modelimport.keras.KerasModelImport.importKerasModelAndWeights(file.toString(), false);
        assertThat(model.predict(ids)).isEqualTo(graph.output(false, ids)[0]);
    }

    @Test
    void importsAModelThatIsOnlyAReshapeOrAPermute() {
        // DL4J imports both as preprocessors and has nothing to attach them to without the identity after them
        INDArray x = Nd4j.createFromArray(new double[][][]{{{1, 2, 3}, {4, 5, 6}}});
        NetworkModel reshape = ModelLoader.load(Path.of("testdata/keras-corpus/tfkeras/misc_1.h5"), null)
                .withDataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE); // Reshape((3, 2)) of [2, 3]: row-major
        NetworkModel permute = ModelLoader.load(Path.of("testdata/keras-corpus/tfkeras/misc_2.h5"), null)
                .withDataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE); // Permute((2, 1)): the transpose
        assertThat(reshape.predict(x).toDoubleVector()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(permute.predict(x).toDoubleVector()).containsExactly(1, 4, 2, 5, 3, 6);
        // output 1 is input (0, 1) of the reshape and input (1, 0) of the transpose: the gradient is that one-hot,
        // in the input's shape
        INDArray reshapeGradient = reshape.gradients(x, Target.index(1)).inputGradient();
        INDArray permuteGradient = permute.gradients(x, Target.index(1)).inputGradient();
        assertThat(reshapeGradient.shape()).containsExactly(1, 2, 3);
        assertThat(reshapeGradient.reshape(-1).toDoubleVector()).containsExactly(0, 1, 0, 0, 0, 0);
        assertThat(permuteGradient.shape()).containsExactly(1, 2, 3);
        assertThat(permuteGradient.reshape(-1).toDoubleVector()).containsExactly(0, 0, 0, 1, 0, 0);
    }

    @Test
    void importsAChannelsLastCropping3DThatCropsTheRightAxes() throws Exception {
        // DL4J's Cropping3D has no data format: on [n, d, h, w, c] it crops h, w and the channels, and the convolution
        // after it then receives 2 of its 4 channels
        Path file = Path.of("testdata/keras-corpus/tfkeras/cnn3d_16.h5");
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 10, 10, 10, 3);
        org.deeplearning4j.nn.graph.ComputationGraph dl4j =
                org.deeplearning4j.nn.modelimport.keras.KerasModelImport.importKerasModelAndWeights(file.toString(), false);
        assertThatThrownBy(() -> dl4j.output(false, x.dup())).hasMessageContaining("number of input array channels does not match");
        NetworkModel model = ModelLoader.load(file, null);
        // 10 → same conv 10 → crop 8 → pool 4 → same conv 4 → crop 2 → pool 1, 4 channels
        assertThat(model.predict(x).shape()).containsExactly(1, 4);
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

    /**
     * A Keras-like file of a few kilobytes whose dataset declares 2^20 × 2^20 floats (4 TiB) in chunks never written:
     * HDF5 would hand DL4J fill values for all of it. It is refused by file and dataset before anything is read.
     */
    @Test
    void refusesADatasetBeyondTheCap() {
        Path file = dir.resolve("huge.h5");
        synchronized (org.deeplearning4j.nn.modelimport.keras.Hdf5Archive.LOCK_OBJECT) {
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
            try {
                Group weights = h5.createGroup("model_weights");
                DSetCreatPropList chunked = new DSetCreatPropList();
                chunked.setChunk(2, new long[]{64, 64});
                DataSpace space = new DataSpace(2, new long[]{1L << 20, 1L << 20});
                DataSet huge = weights.createDataSet("kernel", PredType.NATIVE_FLOAT(), space, chunked,
                        new DSetAccPropList(), new LinkCreatPropList());
                huge.deallocate();
                space.deallocate();
                chunked.deallocate();
                weights.deallocate();
            } finally {
                h5.deallocate();
            }
        }
        assertThat(file.toFile().length()).isLessThan(64 << 10);
        assertThatThrownBy(() -> ModelLoader.load(file, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Keras file " + file + ": dataset /model_weights/kernel declares " + (4L << 40)
                        + " bytes, more than the cap of " + (2L << 30) + " on one dataset; not a model explain4j will load");
    }
}
