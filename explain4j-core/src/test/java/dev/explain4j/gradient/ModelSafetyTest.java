package dev.explain4j.gradient;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Explaining never touches the user's network, and one model may be explained from many threads at once. */
class ModelSafetyTest {

    /** A trained CNN with dropout and batch norm, listeners attached, so every piece of training state exists. */
    private static MultiLayerNetwork trainedCnn() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .updater(new Adam(1e-2)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).dropOut(0.8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 1, CNN2DFormat.NCHW)).build());
        net.init();
        net.setListeners(new ScoreIterationListener(1000));
        INDArray features = Networks.randomInput(51, 16, 1, 6, 6);
        INDArray labels = Nd4j.eye(3).castTo(DataType.DOUBLE).repeat(0, 6).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 16));
        for (int i = 0; i < 3; i++) {
            net.fit(new DataSet(features, labels));
        }
        net.setInput(features);
        net.setLabels(labels);
        return net;
    }

    private record Snapshot(INDArray params, INDArray updaterState, List<TrainingListener> listeners, int iterations,
                            int epochs, INDArray input, INDArray labels, String configuration) {
        static Snapshot of(MultiLayerNetwork net) {
            return new Snapshot(net.params().dup(), net.getUpdater().getStateViewArray().dup(), new ArrayList<>(net.getListeners()),
                    net.getIterationCount(), net.getEpochCount(), net.getInput(), net.getLabels(),
                    net.getLayerWiseConfigurations().toJson());
        }

        void assertUnchanged(MultiLayerNetwork net) {
            assertThat(net.params()).isEqualTo(params);
            assertThat(net.getUpdater().getStateViewArray()).isEqualTo(updaterState);
            assertThat(net.getListeners()).containsExactlyElementsOf(listeners);
            assertThat(net.getIterationCount()).isEqualTo(iterations);
            assertThat(net.getEpochCount()).isEqualTo(epochs);
            assertThat(net.getInput()).isSameAs(input);
            assertThat(net.getLabels()).isSameAs(labels);
            assertThat(net.getLayerWiseConfigurations().toJson()).isEqualTo(configuration);
        }
    }

    private static List<AttributionMethod> everyMethod(NetworkModel model) {
        return List.of(Saliency.of(model), Saliency.signed(model), GradientXInput.of(model),
                LayerGradientXActivation.of(model, "layer1"), GradCam.of(model).withLayer("layer0").withUpsampling(GradCam.Upsampling.BILINEAR),
                IntegratedGradients.of(model).withSteps(10).withAdaptiveSteps(1e-2, 40),
                NoiseTunnel.of(model, Saliency.of(model)).withSamples(4),
                ExpectedGradients.of(model, Reference.distribution(Networks.randomInput(52, 5, 1, 6, 6))).withSamples(8),
                LayerIntegratedGradients.of(model, "layer0").withSteps(6), LayerConductance.of(model, "layer1").withSteps(6),
                NeuronGradient.of(model, "layer2", 3), NeuronIntegratedGradients.of(model, "layer0", 40).withSteps(6));
    }

    @Test
    void everyMethodLeavesTheNetworkBitIdentical() {
        MultiLayerNetwork net = trainedCnn();
        Snapshot before = Snapshot.of(net);
        INDArray x = Networks.randomInput(53, 4, 1, 6, 6);
        for (NetworkModel model : List.of(NetworkModel.of(net), NetworkModel.of(net).withOutputSpace(dev.explain4j.model.OutputSpace.LOGIT))) {
            for (AttributionMethod method : everyMethod(model)) {
                method.attribute(x, Target.predicted());
                before.assertUnchanged(net);
            }
            model.predict(x);
            before.assertUnchanged(net);
        }
    }

    @Test
    void graphsStayBitIdenticalToo() {
        ComputationGraph graph = Networks.graph();
        INDArray params = graph.params().dup();
        String configuration = graph.getConfiguration().toJson();
        NetworkModel model = NetworkModel.of(graph, "probs");
        for (AttributionMethod method : List.of(IntegratedGradients.of(model).withSteps(5),
                LayerIntegratedGradients.of(model, "merge").withSteps(5), LayerConductance.of(model, "a").withSteps(5),
                NeuronIntegratedGradients.of(model, "sum", 2).withSteps(5))) {
            method.attribute(Networks.randomInput(54, 3, 5), Target.predicted());
        }
        assertThat(graph.params()).isEqualTo(params);
        assertThat(graph.getConfiguration().toJson()).isEqualTo(configuration);
    }

    @Test
    void eightThreadsGetExactlyTheSingleThreadValues() throws Exception {
        NetworkModel model = NetworkModel.of(trainedCnn());
        checkThreads(IntegratedGradients.of(model).withSteps(16).withBatchSize(11));
        checkThreads(LayerIntegratedGradients.of(model, "layer0").withSteps(8).withBatchSize(7));
        checkThreads(LayerConductance.of(model, "layer1").withSteps(8));
    }

    private static void checkThreads(AttributionMethod ig) throws Exception {
        List<INDArray> inputs = new ArrayList<>();
        List<INDArray> expected = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            inputs.add(Networks.randomInput(60 + t, 5, 1, 6, 6));
            expected.add(ig.attribute(inputs.get(t), Target.predicted()).values());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<INDArray>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    INDArray x = inputs.get(t);
                    futures.add(pool.submit(() -> ig.attribute(x, Target.predicted()).values()));
                }
                for (int t = 0; t < 8; t++) {
                    assertThat(futures.get(t).get()).as("thread %d, round %d", t, round).isEqualTo(expected.get(t));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
