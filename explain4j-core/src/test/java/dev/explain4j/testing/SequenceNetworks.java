package dev.explain4j.testing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small real sequence networks in double precision, seeded: each puts one sequence layer kind between an input of
 * {@link #FEATURES} features over {@link #STEPS} time steps and a softmax (or a per-step softmax), in the layout asked
 * for. Weights are DL4J's random initialisation scaled up where it would leave the layer nearly linear.
 */
public final class SequenceNetworks {
    public static final int FEATURES = 3;
    public static final int STEPS = 5;
    private static final int UNITS = 4;

    private SequenceNetworks() {
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.DOUBLE).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER);
    }

    /** One row's shape: [features, time] in NCW, [time, features] in NWC. */
    public static long[] rowShape(RNNFormat format) {
        return format == RNNFormat.NWC ? new long[]{STEPS, FEATURES} : new long[]{FEATURES, STEPS};
    }

    /** {@code layers} (sequence in, sequence or vector out) → softmax over 3 classes, with DL4J's own preprocessors. */
    public static MultiLayerNetwork chain(RNNFormat format, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = base().list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build());
        return init(list.setInputType(InputType.recurrent(FEATURES, STEPS, format)).build());
    }

    /** {@code layers} → a per-step softmax over 3 classes (RnnOutputLayer). */
    public static MultiLayerNetwork perStep(RNNFormat format, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = base().list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                .dataFormat(format).build());
        return init(list.setInputType(InputType.recurrent(FEATURES, STEPS, format)).build());
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.params().muli(2); // Xavier weights leave tanh/sigmoid units close to linear on inputs of this size
        return net;
    }

    /** With its weight initialisation set: inside two wrappers a layer gets none from the network's defaults. */
    public static LSTM lstm(RNNFormat format) {
        return new LSTM.Builder().nOut(UNITS).activation(Activation.TANH).weightInit(WeightInit.XAVIER)
                .weightInitRecurrent(WeightInit.XAVIER).dataFormat(format).build();
    }

    public static SimpleRnn simpleRnn(RNNFormat format) {
        return new SimpleRnn.Builder().nOut(UNITS).activation(Activation.TANH).weightInit(WeightInit.XAVIER)
                .weightInitRecurrent(WeightInit.XAVIER).dataFormat(format).build();
    }

    /** Pooling over time: DL4J pools dimension 2 of sequences unless told otherwise, whatever their layout. */
    public static GlobalPoolingLayer pooling(PoolingType type, RNNFormat format) {
        GlobalPoolingLayer.Builder builder = new GlobalPoolingLayer.Builder(type).poolingDimensions(format == RNNFormat.NWC ? 1 : 2);
        return (type == PoolingType.PNORM ? builder.pnorm(3) : builder).build();
    }

    public static Bidirectional bidirectional(Bidirectional.Mode mode, Layer recurrent) {
        return new Bidirectional(mode, recurrent);
    }

    public static LastTimeStep lastTimeStep(Layer recurrent) {
        return new LastTimeStep(recurrent);
    }

    public static MaskZeroLayer maskZero(Layer recurrent) {
        return new MaskZeroLayer.Builder().setUnderlying(recurrent).setMaskValue(0.0).build();
    }

    public static TimeDistributed timeDistributedDense(RNNFormat format) {
        return new TimeDistributed(new DenseLayer.Builder().nOut(UNITS).activation(Activation.SOFTPLUS).build(), format);
    }

    public static Convolution1DLayer convolution1d(RNNFormat format) {
        return new Convolution1DLayer.Builder(2).nOut(UNITS).activation(Activation.TANH).rnnDataFormat(format).build();
    }

    public static Subsampling1DLayer subsampling1d(PoolingType type) {
        // the builder's (type, kernel) constructor leaves the type MAX in DL4J 1.0.0-M2.1
        return new Subsampling1DLayer.Builder(2).poolingType(type).stride(1).build();
    }

    /** Projected: head size 2, nIn from the input type; unprojected: one head on the network's input features. */
    public static SelfAttentionLayer selfAttention(int heads, boolean project) {
        SelfAttentionLayer.Builder builder = new SelfAttentionLayer.Builder().nHeads(heads).projectInput(project);
        return (project ? builder.nOut(UNITS).headSize(2) : builder.nIn(FEATURES).nOut(FEATURES)).build();
    }

    public static LearnedSelfAttentionLayer learnedSelfAttention(int heads) {
        return learnedSelfAttention(heads, true);
    }

    /** Two learned queries; without projection one head, and nOut = nIn. */
    public static LearnedSelfAttentionLayer learnedSelfAttention(int heads, boolean project) {
        LearnedSelfAttentionLayer.Builder builder = new LearnedSelfAttentionLayer.Builder().nHeads(heads).nQueries(2)
                .projectInput(project);
        return (project ? builder.nOut(UNITS).headSize(2) : builder.nIn(FEATURES).nOut(FEATURES)).build();
    }

    public static RecurrentAttentionLayer recurrentAttention(int heads) {
        return recurrentAttention(heads, true);
    }

    /** Without projection one head, and nOut = nIn (the query is the previous output). */
    public static RecurrentAttentionLayer recurrentAttention(int heads, boolean project) {
        RecurrentAttentionLayer.Builder builder = new RecurrentAttentionLayer.Builder().nHeads(heads).projectInput(project)
                .activation(Activation.TANH);
        return (project ? builder.nOut(UNITS).headSize(2) : builder.nIn(FEATURES).nOut(FEATURES)).build();
    }

    /**
     * A graph over sequences: input → LSTM and a same-length 1-D convolution in parallel, added → bidirectional
     * LSTM (average) of the last step → softmax.
     */
    public static ComputationGraph graph(RNNFormat format) {
        ComputationGraphConfiguration conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("lstm", lstm(format), "in")
                .addLayer("conv", new Convolution1DLayer.Builder(3).convolutionMode(ConvolutionMode.Same).nOut(UNITS)
                        .activation(Activation.SOFTPLUS).rnnDataFormat(format).build(), "in")
                .addVertex("merge", new ElementWiseVertex(ElementWiseVertex.Op.Add), "lstm", "conv")
                .addLayer("bidirectional", bidirectional(Bidirectional.Mode.AVERAGE, lastTimeStep(lstm(format))), "merge")
                .addLayer("probs", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "bidirectional")
                .setOutputs("probs")
                .setInputTypes(InputType.recurrent(FEATURES, STEPS, format))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.params().muli(2);
        return graph;
    }
}
