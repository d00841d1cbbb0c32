package dev.explain4j.testing;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

/**
 * Token networks (embedding → global pooling → dense → softmax) and the toy task: vocabulary 50, sequences
 * of 12 ids, label 1 when token 7 occurs.
 */
public final class TokenNetworks {
    public static final int VOCABULARY = 50;
    public static final int LENGTH = 12;
    public static final int KEY_TOKEN = 7;

    private TokenNetworks() {
    }

    /** Random (untrained) weights; {@code hidden} 0 leaves out the dense layer (embedding → pooling → output). */
    public static MultiLayerNetwork pooled(DataType type, RNNFormat embedded, PoolingType pooling, int hidden,
                                           Activation output) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(13).dataType(type)
                .updater(new Adam(0.02)).weightInit(WeightInit.XAVIER).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(8).inputLength(LENGTH)
                        .outputDataFormat(embedded).weightInit(WeightInit.NORMAL).build())
                .layer(new GlobalPoolingLayer.Builder(pooling).poolingDimensions(embedded == RNNFormat.NWC ? 1 : 2).build());
        if (hidden > 0) {
            list.layer(new DenseLayer.Builder().nIn(8).nOut(hidden).activation(Activation.TANH).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden > 0 ? hidden : 8).nOut(2)
                .activation(output).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * Embedding (any length, NCW) → LSTM → global pooling over time → dense logits + softmax, random weights in
     * {@code type}: a padded sequence's output depends on its padding unless the padding is masked.
     */
    public static MultiLayerNetwork recurrentPooled(DataType type, PoolingType pooling) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(17).dataType(type)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(6).weightInit(WeightInit.NORMAL).build())
                .layer(new LSTM.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(pooling).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /**
     * Embedding → LSTM → softmax as DL4J imports Keras' {@code Embedding(mask_zero=True)} → {@code LSTM} → {@code Dense}:
     * token 0 embeds to zeros and the LSTM, reduced to its last step, is wrapped in a MaskZeroLayer that masks steps of
     * zeros (so the last step is the last real token).
     */
    public static MultiLayerNetwork maskingZeros(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(17).dataType(type)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(6).weightInit(WeightInit.NORMAL).build())
                .layer(new org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer(
                        new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(
                                new LSTM.Builder().nIn(6).nOut(5).activation(Activation.TANH).build()), 0.0))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.getLayer(0).getParam("W").getRow(0).assign(0);
        return net;
    }

    /** {@link #recurrentPooled} as a ComputationGraph: "in" → "embedding" → "lstm" → "pool" → "out". */
    public static ComputationGraph recurrentPooledGraph(DataType type, PoolingType pooling) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(17).dataType(type)
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("embedding", new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(6)
                        .weightInit(WeightInit.NORMAL).build(), "in")
                .addLayer("lstm", new LSTM.Builder().nIn(6).nOut(5).activation(Activation.TANH).build(), "embedding")
                .addLayer("pool", new GlobalPoolingLayer.Builder(pooling).build(), "lstm")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }

    /**
     * Embedding into 1 dimension (row id = c_id, every other id 0) → sum over time → identity, in double: the output is
     * Σ_t c(x_t), linear in the tokens, with token 0 contributing nothing.
     */
    public static MultiLayerNetwork linearInTokens(int[] ids, double[] coefficients) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(1).hasBias(false).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.SUM).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(1).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        INDArray embedding = net.getLayer(0).getParam("W");
        embedding.assign(0);
        for (int i = 0; i < ids.length; i++) {
            embedding.putScalar(ids[i], 0, coefficients[i]);
        }
        net.getLayer(2).getParam("W").assign(1);
        net.getLayer(2).getParam("b").assign(0);
        return net;
    }

    /**
     * Row r of {@code sentences} (real ids, none 0) followed by padding id 0 up to {@code length}: [rows, length].
     */
    public static INDArray padded(int[][] sentences, int length) {
        double[][] ids = new double[sentences.length][length];
        for (int r = 0; r < sentences.length; r++) {
            for (int t = 0; t < sentences[r].length; t++) {
                ids[r][t] = sentences[r][t];
            }
        }
        return Nd4j.createFromArray(ids);
    }

    /** Random id sequences [rows, LENGTH]; every other row gets token 7 at a random position, the others have none. */
    public static INDArray sequences(int rows, long seed) {
        Random random = new Random(seed);
        double[][] ids = new double[rows][LENGTH];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < LENGTH; t++) {
                int id;
                do {
                    id = 1 + random.nextInt(VOCABULARY - 1);
                } while (id == KEY_TOKEN);
                ids[r][t] = id;
            }
            if (r % 2 == 0) {
                ids[r][random.nextInt(LENGTH)] = KEY_TOKEN;
            }
        }
        return Nd4j.createFromArray(ids);
    }

    /** One-hot labels [rows, 2] of the toy task: class 1 when token 7 occurs. */
    public static INDArray labels(INDArray ids) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, ids.size(0), 2);
        for (int r = 0; r < ids.size(0); r++) {
            boolean occurs = false;
            for (int t = 0; t < ids.size(1); t++) {
                occurs |= ids.getDouble(r, t) == KEY_TOKEN;
            }
            labels.putScalar(r, occurs ? 1 : 0, 1.0);
        }
        return labels;
    }

    /** The toy task learnt: embedding → max pooling → dense → softmax, trained on 400 seeded sequences. */
    public static MultiLayerNetwork trainedToyModel() {
        MultiLayerNetwork net = pooled(DataType.FLOAT, RNNFormat.NCW, PoolingType.MAX, 16, Activation.SOFTMAX);
        INDArray ids = sequences(400, 1);
        DataSet data = new DataSet(ids.castTo(DataType.FLOAT), labels(ids).castTo(DataType.FLOAT));
        for (int epoch = 0; epoch < 60; epoch++) {
            net.fit(data);
        }
        return net;
    }
}
