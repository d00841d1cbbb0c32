package dev.explain4j.model;

import dev.explain4j.gradient.GradCam;
import dev.explain4j.gradient.LayerGradientXActivation;
import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Head;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every activation function DL4J has, as an {@code ActivationLayer} (Keras' {@code Activation(...)}) and as a dense
 * layer's own activation, in a MultiLayerNetwork and in a ComputationGraph: the engine's signed gradient, in double,
 * against central finite differences of the network's output, in both output spaces; and the layer methods at and
 * before such a layer against DL4J's activations and finite differences of the network after the layer.
 *
 * <p>The networks are x → dense(identity, W = I, b = 0) → f → dense → softmax, so f sees exactly the chosen
 * pre-activations {@link #ROWS}: negative and positive, away from every kink (0, ±1 for hard tanh, ±2.5 for hard
 * sigmoid, 1 for thresholded ReLU, 6 for ReLU6). Skipped: RRELU, whose slope is random in training and whose backward
 * pass reads the slopes of the last training-mode forward pass, so it has no gradient at explanation time.
 */
class ActivationGradientTest {
    private static final double[][] ROWS = {{-1.7, -0.6, -0.2, 0.3, 0.8, 1.4}, {2.2, -2.1, 0.6, -0.9, 1.9, -0.45}};
    private static final int WIDTH = ROWS[0].length;
    private static final int CLASSES = 3;
    private static final double TOLERANCE = 1e-6;
    /** Below 1e-4 an error counts as absolute, at most 1e-10: what rounding leaves of finite differences of saturated outputs. */
    private static final double FLOOR = 1e-4;

    /** Where the activation function sits. */
    enum Placement { ACTIVATION_LAYER, DENSE_ACTIVATION }

    static Stream<Arguments> cases() {
        return Arrays.stream(Activation.values()).filter(a -> a != Activation.RRELU)
                .flatMap(a -> Arrays.stream(Placement.values()).map(p -> Arguments.of(a, p)));
    }

    private static Layer activation(Activation function, Placement placement) {
        return placement == Placement.ACTIVATION_LAYER ? new ActivationLayer.Builder().activation(function).build()
                : new DenseLayer.Builder().nIn(WIDTH).nOut(WIDTH).activation(function).build();
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(12).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER);
    }

    /** layer0 dense identity (W = I), layer1 the activation, layer2 softmax over 3 classes. */
    static MultiLayerNetwork chain(Activation function, Placement placement) {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(new DenseLayer.Builder().nIn(WIDTH).nOut(WIDTH).activation(Activation.IDENTITY).build())
                .layer(activation(function, placement))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTH).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        identity(net.getLayer(0));
        if (placement == Placement.DENSE_ACTIVATION) {
            identity(net.getLayer(1));
        }
        return net;
    }

    /**
     * "in" → "z" (dense identity, W = I) → "f" → "sum" = f(z) + z → "out" softmax. z feeds two vertices: a layer
     * that overwrote z would also change what the sum reads.
     */
    private static ComputationGraph graph(Activation function, Placement placement) {
        ComputationGraphConfiguration conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("z", new DenseLayer.Builder().nIn(WIDTH).nOut(WIDTH).activation(Activation.IDENTITY).build(), "in")
                .addLayer("f", activation(function, placement), "z")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "f", "z")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTH).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "sum")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(WIDTH))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        identity(graph.getLayer("z"));
        if (placement == Placement.DENSE_ACTIVATION) {
            identity(graph.getLayer("f"));
        }
        return graph;
    }

    private static void identity(org.deeplearning4j.nn.api.Layer dense) {
        dense.setParam("W", Nd4j.eye(WIDTH).castTo(DataType.DOUBLE));
        dense.setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, WIDTH));
    }

    private static INDArray rows() {
        return Nd4j.createFromArray(ROWS);
    }

    /** The function applied on a copy: f(a) with DL4J's activation and nothing else of the network. */
    private static INDArray apply(Activation function, INDArray a) {
        IActivation f = function.getActivationFunction();
        return f.getActivation(a.dup(), false);
    }

    /** The graph's output from the sum f(z) + z, written out: softmax(sum W + b), or the logits. */
    private static INDArray graphHead(ComputationGraph graph, INDArray sum, OutputSpace space) {
        org.deeplearning4j.nn.api.Layer out = graph.getLayer("out");
        INDArray logits = sum.mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
        return space == OutputSpace.LOGIT ? logits : Transforms.softmax(logits, true);
    }

    /**
     * The chain's output in the space: DL4J's own inference output, or for logits the same network with an identity
     * output activation (written out as (layers 0-1) W + b from DL4J's own layer-1 activations).
     */
    private static UnaryOperator<INDArray> chainOutput(MultiLayerNetwork net, OutputSpace space) {
        if (space == OutputSpace.PROBABILITY) {
            return b -> net.output(b.dup(), false);
        }
        org.deeplearning4j.nn.api.Layer out = net.getLayer(2);
        return b -> net.feedForwardToLayer(1, b.dup(), false).get(2).mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
    }

    /**
     * The chain after layer 0 or 1, as a function of that layer's output: DL4J's own layers for probabilities, or the
     * activation (DL4J's layer 1, on a copy) and the output layer's product written out for logits.
     */
    private static UnaryOperator<INDArray> chainHead(MultiLayerNetwork net, int layer, OutputSpace space) {
        if (space == OutputSpace.PROBABILITY) {
            return Head.after(net, layer);
        }
        org.deeplearning4j.nn.api.Layer out = net.getLayer(2);
        return a -> (layer == 0 ? net.getLayer(1).activate(a.dup(), false, NetworkPass.MGR).dup() : a)
                .mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
    }

    private static int[] targets(OutputSpace space) {
        return space == OutputSpace.PROBABILITY ? new int[]{0, 2} : new int[]{1, 0};
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void chainInputGradientMatchesFiniteDifferences(Activation function, Placement placement) {
        MultiLayerNetwork net = chain(function, placement);
        for (OutputSpace space : OutputSpace.values()) {
            INDArray x = rows();
            GradientBatch batch = NetworkModel.of(net).withOutputSpace(space).gradients(x, Target.perRow(targets(space)));
            INDArray expected = FiniteDifferences.gradient(chainOutput(net, space), rows(), targets(space));
            assertThat(FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, FLOOR)).as("%s", space)
                    .isLessThan(TOLERANCE);
            assertThat(x).as("the caller's rows").isEqualTo(rows());
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void graphInputGradientMatchesFiniteDifferences(Activation function, Placement placement) {
        ComputationGraph graph = graph(function, placement);
        for (OutputSpace space : OutputSpace.values()) {
            GradientBatch batch = NetworkModel.of(graph).withOutputSpace(space).gradients(rows(), Target.perRow(targets(space)));
            INDArray expected = FiniteDifferences.gradient(b -> graphHead(graph, apply(function, b).add(b), space), rows(),
                    targets(space));
            assertThat(FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, FLOOR)).as("%s", space)
                    .isLessThan(TOLERANCE);
            assertThat(FiniteDifferences.maxRelativeError(batch.outputs(), graphHead(graph, apply(function, rows()).add(rows()), space),
                    1e-300)).as("%s outputs", space).isLessThan(1e-12);
        }
    }

    /** At the layer before the activation (its output is the activation's input) and at the activation itself. */
    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void chainLayerGradientsMatchFiniteDifferencesOfTheHead(Activation function, Placement placement) {
        MultiLayerNetwork net = chain(function, placement);
        for (OutputSpace space : OutputSpace.values()) {
            NetworkModel model = NetworkModel.of(net).withOutputSpace(space);
            for (int layer = 0; layer <= 1; layer++) {
                GradientBatch batch = model.layerGradients(rows(), Target.perRow(targets(space)), "layer" + layer);
                INDArray activation = net.feedForwardToLayer(layer, rows(), false).get(layer + 1).dup();
                INDArray gradient = FiniteDifferences.gradient(chainHead(net, layer, space), activation, targets(space));
                String label = space + " at layer" + layer;
                assertThat(FiniteDifferences.maxRelativeError(batch.layerActivation(), activation, 1e-300)).as(label)
                        .isLessThan(1e-12);
                assertThat(FiniteDifferences.maxRelativeError(batch.layerGradient(), gradient, FLOOR)).as(label)
                        .isLessThan(TOLERANCE);
                INDArray attribution = LayerGradientXActivation.of(model, "layer" + layer)
                        .attribute(rows(), Target.perRow(targets(space))).values();
                assertThat(FiniteDifferences.maxRelativeError(attribution, activation.mul(gradient), FLOOR)).as(label)
                        .isLessThan(TOLERANCE);
            }
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void graphLayerGradientsMatchFiniteDifferencesOfTheHead(Activation function, Placement placement) {
        ComputationGraph graph = graph(function, placement);
        INDArray z = rows();
        for (OutputSpace space : OutputSpace.values()) {
            NetworkModel model = NetworkModel.of(graph).withOutputSpace(space);
            // at z the head is softmax((f(z) + z) W + b); at f it is softmax((f + z) W + b) with z held, whose gradient
            // in f is its gradient in the sum, at f(z) + z
            GradientBatch atZ = model.layerGradients(rows(), Target.perRow(targets(space)), "z");
            GradientBatch atF = model.layerGradients(rows(), Target.perRow(targets(space)), "f");
            INDArray f = apply(function, z);
            assertThat(FiniteDifferences.maxRelativeError(atZ.layerActivation(), z, 1e-300)).as("%s z", space).isLessThan(1e-12);
            assertThat(FiniteDifferences.maxRelativeError(atF.layerActivation(), f, 1e-300)).as("%s f", space).isLessThan(1e-12);
            INDArray gradientAtZ = FiniteDifferences.gradient(a -> graphHead(graph, apply(function, a).add(a), space), z, targets(space));
            INDArray gradientAtF = FiniteDifferences.gradient(a -> graphHead(graph, a, space), f.add(z), targets(space));
            assertThat(FiniteDifferences.maxRelativeError(atZ.layerGradient(), gradientAtZ, FLOOR)).as("%s ∂f/∂z", space)
                    .isLessThan(TOLERANCE);
            assertThat(FiniteDifferences.maxRelativeError(atF.layerGradient(), gradientAtF, FLOOR)).as("%s ∂f/∂f", space)
                    .isLessThan(TOLERANCE);
        }
    }

    /**
     * Grad-CAM at a convolution (identity activation) followed by an ActivationLayer, and at that activation layer:
     * the definition computed from DL4J's own activations and finite differences of the network after the layer.
     */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "RRELU", mode = EnumSource.Mode.EXCLUDE)
    void gradCamAtAndBeforeAnActivationLayerMatchesItsDefinition(Activation function) {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(function).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build());
        net.init();
        INDArray x = Networks.randomInput(5, 2, 2, 5, 5);
        NetworkModel model = NetworkModel.of(net);
        for (int layer = 0; layer <= 1; layer++) {
            GradCam cam = GradCam.of(model).withLayer("layer" + layer).withRelu(false);
            INDArray actual = cam.attribute(x.dup(), Target.perRow(1, 2)).values();
            INDArray a = net.feedForwardToLayer(layer, x.dup(), false).get(layer + 1).dup();
            INDArray gradient = FiniteDifferences.gradient(Head.after(net, layer), a, new int[]{1, 2});
            // Σ_c (mean over the map of ∂f/∂a_c) a_c, over [rows, channels, h, w]
            INDArray weights = gradient.mean(2, 3).reshape(2, 3, 1, 1);
            INDArray expected = a.mul(weights.broadcast(a.shape())).sum(1);
            assertThat(FiniteDifferences.maxRelativeError(actual, expected, FLOOR)).as("layer%d", layer).isLessThan(TOLERANCE);
        }
    }
}
