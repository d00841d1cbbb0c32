package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import dev.explain4j.testing.RuleNetworks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guided backpropagation and deconvolution (Captum's ReLU rules), against finite differences and closed forms. */
class GuidedBackpropTest {

    /**
     * With non-negative weights after the first layer every ReLU receives a non-negative gradient: there guided
     * backpropagation is the gradient itself, checked against central finite differences.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void equalsTheGradientWhereEveryReluGradientIsPositive(DataType type) {
        MultiLayerNetwork net = RuleNetworks.mlp(Activation.RELU, Activation.RELU, true);
        for (int layer = 1; layer < 3; layer++) {
            INDArray w = net.getLayer(layer).getParam("W");
            w.assign(Transforms.abs(w, true));
        }
        INDArray x = Networks.randomInput(41, 6, 5);
        Attributions guided = GuidedBackprop.of(NetworkModel.of(net).withDataType(type)).attribute(x.castTo(type), Target.index(2));
        INDArray truth = FiniteDifferences.gradient(NetworkModel.of(net)::predict, x, guided.targets().orElseThrow());
        assertThat(FiniteDifferences.maxRelativeError(guided.values(), truth, 1e-6)).isLessThan(type == DataType.DOUBLE ? 1e-7 : 1e-4);
        assertThat(truth.amaxNumber().doubleValue()).isGreaterThan(0.01);
    }

    /**
     * f = v·relu(Wx + c): guided backpropagation is Wᵀ max(v ⊙ 1[z &gt; 0], 0), deconvolution Wᵀ max(v, 0), whatever the
     * signs of v, and they differ from the gradient Wᵀ (v ⊙ 1[z &gt; 0]).
     */
    @Test
    void followTheirClosedFormsOnOneReluLayer() {
        MultiLayerNetwork net = RuleNetworks.oneHidden(Activation.RELU);
        NetworkModel model = NetworkModel.of(net);
        INDArray x = Networks.randomInput(42, 5, 4);
        INDArray w = net.getLayer(0).getParam("W");
        INDArray z = x.mmul(w).addRowVector(net.getLayer(0).getParam("b"));
        INDArray v = net.getLayer(1).getParam("W").getColumn(0).reshape(1, 5);
        INDArray active = z.gt(0).castTo(DataType.DOUBLE);
        INDArray guidedTruth = Transforms.relu(active.mulRowVector(v), true).mmul(w.transpose());
        INDArray deconvolutionTruth = Transforms.relu(v, true).broadcast(5, 5).mmul(w.transpose());
        INDArray gradientTruth = active.mulRowVector(v).mmul(w.transpose());
        INDArray guided = GuidedBackprop.of(model).attribute(x, Target.index(0)).values();
        INDArray deconvolution = Deconvolution.of(model).attribute(x, Target.index(0)).values();
        assertThat(FiniteDifferences.maxRelativeError(guided, guidedTruth, 1e-12)).isLessThan(1e-12);
        assertThat(FiniteDifferences.maxRelativeError(deconvolution, deconvolutionTruth, 1e-12)).isLessThan(1e-12);
        assertThat(FiniteDifferences.maxRelativeError(guided, gradientTruth, 1e-12)).isGreaterThan(0.1);
    }

    /**
     * Both layouts, max pooling and a separate ReLU activation layer: with non-negative weights after the first
     * convolution every ReLU receives a non-negative gradient, so guided backpropagation is the gradient, checked
     * against finite differences; with the network's own signed weights it is not.
     */
    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void onConvolutionalNetworksEqualsTheGradientWhereReluGradientsArePositive(CNN2DFormat format) {
        MultiLayerNetwork net = RuleNetworks.cnn(format, Activation.RELU, PoolingType.MAX, true);
        long[] shape = format == CNN2DFormat.NCHW ? new long[]{3, 2, 7, 7} : new long[]{3, 7, 7, 2};
        INDArray x = Networks.randomInput(43, shape);
        INDArray signed = GuidedBackprop.of(NetworkModel.of(net)).attribute(x, Target.index(1)).values();
        INDArray signedGradient = Saliency.signed(NetworkModel.of(net)).attribute(x, Target.index(1)).values();
        assertThat(FiniteDifferences.maxRelativeError(signed, signedGradient, 1e-9)).isGreaterThan(1e-3);

        for (int layer : new int[]{2, 4, 5}) {
            INDArray w = net.getLayer(layer).getParam("W");
            w.assign(Transforms.abs(w, true));
        }
        NetworkModel model = NetworkModel.of(net);
        INDArray guided = GuidedBackprop.of(model).attribute(x, Target.index(1)).values();
        INDArray truth = FiniteDifferences.gradient(model::predict, x, new int[]{1, 1, 1});
        assertThat(FiniteDifferences.maxRelativeError(guided, truth, 1e-6)).isLessThan(1e-6);
        // deconvolution ignores the ReLUs' masks, so it is not the gradient even here
        INDArray deconvolution = Deconvolution.of(model).attribute(x, Target.index(1)).values();
        assertThat(deconvolution.shape()).isEqualTo(x.shape());
        assertThat(FiniteDifferences.maxRelativeError(deconvolution, truth, 1e-6)).isGreaterThan(1e-3);
    }

    @Test
    void refusesALayerWhoseReluDl4jAppliesInside() {
        MultiLayerNetwork net = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(3).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(2, 2).dilation(2, 2).nIn(1).nOut(2)
                        .activation(Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(2).activation(Activation.IDENTITY)
                        .lossFunction(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(5, 5, 1)).build());
        net.init();
        assertThatThrownBy(() -> GuidedBackprop.of(NetworkModel.of(net)).attribute(Networks.randomInput(44, 2, 1, 5, 5), Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer0")
                .hasMessageContaining("guided backpropagation has no backward rule");
    }
}
