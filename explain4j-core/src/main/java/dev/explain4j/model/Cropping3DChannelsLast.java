package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping3D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collection;

/**
 * Keras' {@code Cropping3D} on channels-last volumes [n, d, h, w, c], which ModelLoader puts in place of the layer
 * DL4J 1.0.0-M2.1 imports: DL4J's {@code Cropping3D} has no data format and always crops axes 2-4, so on such volumes
 * it crops height, width and the channels (in cnn3d_16 of the Keras corpus a convolution after it then received 2 of
 * its 4 channels). The cropping is DL4J's, [d before, d after, h before, h after, w before, w after].
 */
final class Cropping3DChannelsLast extends Cropping3D {
    Cropping3DChannelsLast(int[] cropping) {
        super(cropping);
    }

    /** For DL4J's JSON copy of a configuration (convertDataType, clone of a network). */
    @SuppressWarnings("unused")
    private Cropping3DChannelsLast() {
        super();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray params, boolean initializeParams, DataType dataType) {
        CroppingLayer layer = new CroppingLayer(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        return layer;
    }

    /** The layer: the cropped view forward, the epsilon placed in zeros of the input's shape backward. */
    static final class CroppingLayer extends AbstractLayer<Cropping3DChannelsLast> {
        CroppingLayer(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, cropped(input), 'c');
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            INDArray gradient = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
            gradient.assign(0);
            cropped(gradient).assign(epsilon);
            return new Pair<>(new DefaultGradient(), gradient);
        }

        private INDArray cropped(INDArray volume) {
            int[] c = layerConf().getCropping();
            for (int axis = 1; axis <= 3; axis++) {
                if (c[2 * axis - 2] + c[2 * axis - 1] >= volume.size(axis)) {
                    // Keras computes an empty tensor there (cnn3d_20 of the corpus crops 2 of 1)
                    throw new IllegalArgumentException("layer '" + layerConf().getLayerName() + "' (Cropping3D, channels_last)"
                            + " crops " + (c[2 * axis - 2] + c[2 * axis - 1]) + " of the " + volume.size(axis) + " values of axis "
                            + axis + " of its input " + java.util.Arrays.toString(volume.shape()) + ": its output is empty");
                }
            }
            return volume.get(NDArrayIndex.all(), NDArrayIndex.interval(c[0], volume.size(1) - c[1]),
                    NDArrayIndex.interval(c[2], volume.size(2) - c[3]), NDArrayIndex.interval(c[4], volume.size(3) - c[5]),
                    NDArrayIndex.all());
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        @Override
        public void clearNoiseWeightParams() {
            // no parameters
        }

        @Override
        public Type type() {
            return Type.CONVOLUTIONAL3D;
        }

        @Override
        public Layer clone() {
            return new CroppingLayer(conf.clone(), dataType);
        }

        @Override
        public double calcRegularizationScore(boolean backpropParamsOnly) {
            return 0;
        }
    }
}
