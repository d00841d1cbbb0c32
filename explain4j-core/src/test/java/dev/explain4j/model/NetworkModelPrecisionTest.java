package dev.explain4j.model;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** float32 by default, float64 on request: computed in the chosen type, on a copy, the user's network untouched. */
class NetworkModelPrecisionTest {

    private static MultiLayerNetwork floatMlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(16).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        return net;
    }

    private static INDArray rows(DataType type) {
        Nd4j.getRandom().setSeed(12);
        return Nd4j.rand(DataType.DOUBLE, 5, 6).castTo(type);
    }

    @Test
    void doubleOnRequestComputesInDoubleAndAgreesWithFloat() {
        MultiLayerNetwork net = floatMlp();
        INDArray paramsBefore = net.params().dup();
        NetworkModel single = NetworkModel.of(net);
        NetworkModel dbl = single.withDataType(DataType.DOUBLE);

        assertThat(single.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(dbl.dataType()).isEqualTo(DataType.DOUBLE);

        GradientBatch g = dbl.gradients(rows(DataType.FLOAT), Target.index(1));
        assertThat(g.inputGradient().dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(g.outputs().dataType()).isEqualTo(DataType.DOUBLE);

        Attributions igDouble = IntegratedGradients.of(dbl).withSteps(64).attribute(rows(DataType.FLOAT), Target.index(1));
        Attributions igFloat = IntegratedGradients.of(single).withSteps(64).attribute(rows(DataType.FLOAT), Target.index(1));
        assertThat(igDouble.values().dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(igFloat.values().dataType()).isEqualTo(DataType.FLOAT);
        INDArray difference = igDouble.values().sub(igFloat.values().castTo(DataType.DOUBLE));
        assertThat(difference.amaxNumber().doubleValue()).isLessThan(1e-4);
        // float64 closes the completeness gap far below what float32 can
        for (double delta : igDouble.completenessDelta().orElseThrow()) {
            assertThat(Math.abs(delta)).isLessThan(1e-8);
        }

        // the user's network: same type, same parameters, bit for bit
        assertThat(net.getLayerWiseConfigurations().getDataType()).isEqualTo(DataType.FLOAT);
        assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(net.params().equals(paramsBefore)).isTrue();
    }

    @Test
    void graphsConvertToo() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build(), "in")
                .addVertex("merge", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(10).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out").build());
        graph.init();
        NetworkModel dbl = NetworkModel.of(graph).withDataType(DataType.DOUBLE);
        GradientBatch g = dbl.gradients(rows(DataType.DOUBLE), Target.predicted());
        assertThat(g.inputGradient().dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(graph.params().dataType()).isEqualTo(DataType.FLOAT);
        GradientBatch f = NetworkModel.of(graph).gradients(rows(DataType.FLOAT), Target.perRow(g.targets()));
        assertThat(g.inputGradient().sub(f.inputGradient().castTo(DataType.DOUBLE)).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    /** Dense (no activation) → a separate softmax ActivationLayer → LossLayer, as Keras import builds classifiers. */
    private static MultiLayerNetwork separateSoftmax() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(7).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(5)).build());
        net.init();
        return net;
    }

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("dense", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.mlp()), new long[]{16, 5}),
                Arguments.of("separate softmax", (Supplier<NetworkModel>) () -> NetworkModel.of(separateSoftmax()), new long[]{16, 5}),
                Arguments.of("cnn NCHW", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.cnn(CNN2DFormat.NCHW)), new long[]{16, 2, 6, 6}),
                Arguments.of("cnn NHWC", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.cnn(CNN2DFormat.NHWC)), new long[]{16, 6, 6, 2}),
                Arguments.of("convolutions NCHW", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.convolutions(CNN2DFormat.NCHW)), new long[]{16, 2, 9, 9}),
                Arguments.of("convolutions NHWC", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.convolutions(CNN2DFormat.NHWC)), new long[]{16, 9, 9, 2}),
                Arguments.of("residual CNN graph", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.convolutionGraph()), new long[]{16, 8, 8, 2}),
                Arguments.of("dense graph", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.graph(), "probs"), new long[]{16, 5}),
                Arguments.of("lstm + simple rnn", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.recurrent()), new long[]{16, 3, 5}),
                Arguments.of("dropout + batch norm", (Supplier<NetworkModel>) () -> NetworkModel.of(Networks.mlpWithDropoutAndBatchNorm()), new long[]{16, 5}));
    }

    /**
     * float32 runs other kernels than float64 (the oneDNN ones, which once computed softmax's backward wrongly for
     * arrays of mixed memory order), so the float32 gradient is checked against the float64 one, which
     * NetworkModelGradientTest checks against finite differences.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void floatGradientsAgreeWithTheFiniteDifferenceCheckedDoubleOnes(String name, Supplier<NetworkModel> build, long[] shape) {
        NetworkModel dbl = build.get();
        INDArray x = Networks.randomInput(3, shape);
        GradientBatch expected = dbl.gradients(x, Target.predicted());
        GradientBatch actual = dbl.withDataType(DataType.FLOAT).gradients(x.castTo(DataType.FLOAT), Target.perRow(expected.targets()));
        assertThat(actual.inputGradient().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(FiniteDifferences.maxRelativeError(actual.inputGradient().castTo(DataType.DOUBLE),
                expected.inputGradient(), 1e-3)).isLessThan(1e-4);
    }

    @Test
    void sameTypeIsTheSameModelAndIntegersAreRefused() {
        NetworkModel model = NetworkModel.of(floatMlp());
        assertThat(model.withDataType(DataType.FLOAT)).isSameAs(model);
        assertThatThrownBy(() -> model.withDataType(DataType.INT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FLOAT, DOUBLE");
    }
}
