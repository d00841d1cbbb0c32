package dev.explain4j.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.core.AttributionMethod;
import dev.explain4j.gradient.IntegratedGradients;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class AttributionListenerTest {
    private static final int EPOCHS = 3;
    private static final int ROWS = 24;
    private static final int BATCH = 6; // 4 iterations per epoch

    @TempDir
    Path dir;

    private static List<DataSet> data() {
        INDArray x = Networks.randomInput(21, ROWS, 5);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, ROWS, 3);
        for (int r = 0; r < ROWS; r++) {
            labels.putScalar(r, (x.getDouble(r, 0) > 0 ? 0 : 1) + (x.getDouble(r, 1) > 1 ? 1 : 0), 1.0);
        }
        return new DataSet(x, labels).asList();
    }

    /** Trains from the same network seed and the same ND4J random state; returns the parameters bit for bit. */
    private static double[] train(Supplier<MultiLayerNetwork> make, long rngSeed, AttributionListener... listeners) {
        MultiLayerNetwork net = make.get();
        if (listeners.length > 0) {
            net.setListeners(listeners);
        }
        Nd4j.getRandom().setSeed(rngSeed);
        net.fit(new ListDataSetIterator<>(data(), BATCH), EPOCHS);
        return net.params().toDoubleVector();
    }

    private AttributionListener listener(String file, boolean byIteration) {
        AttributionListener l = AttributionListener.of(Networks.randomInput(22, 8, 5),
                m -> IntegratedGradients.of(m).withSteps(16)).withJsonLines(dir.resolve(file));
        return byIteration ? l.withEveryIterations(3) : l.withEveryEpochs(1);
    }

    @Test
    void trainingIsBitIdenticalWithAndWithoutTheListener() {
        for (Supplier<MultiLayerNetwork> make : List.<Supplier<MultiLayerNetwork>>of(Networks::mlp, Networks::mlpWithDropoutAndBatchNorm)) {
            double[] without = train(make, 99);
            AttributionListener perIteration = listener("it-" + without.length + ".jsonl", true);
            AttributionListener perEpoch = listener("ep-" + without.length + ".jsonl", false);
            double[] with = train(make, 99, perIteration, perEpoch);
            assertThat(perIteration.snapshots()).hasSize(EPOCHS * ROWS / BATCH / 3);
            assertThat(perEpoch.snapshots()).hasSize(EPOCHS);
            assertThat(with).as("parameters trained with the listener").isEqualTo(without);
        }
        // the check can fail: with dropout, another random state trains other parameters
        assertThat(train(Networks::mlpWithDropoutAndBatchNorm, 100)).isNotEqualTo(train(Networks::mlpWithDropoutAndBatchNorm, 99));
    }

    /**
     * A method that draws from ND4J's global generator (as a stochastic method built on it would) still leaves
     * training bit-identical, because the listener restores the generator; a plain listener that draws from it
     * changes the dropout masks and so the trained parameters: the comparison above would catch it.
     */
    @Test
    void aMethodThatDrawsFromNd4jsGeneratorCannotChangeDropoutMasks() {
        double[] without = train(Networks::mlpWithDropoutAndBatchNorm, 99);
        AttributionListener guarded = AttributionListener.of(Networks.randomInput(22, 8, 5), m -> new AttributionMethod() {
            @Override
            public dev.explain4j.core.Attributions attribute(INDArray inputs, dev.explain4j.model.Target target) {
                Nd4j.getRandom().nextDouble();
                return IntegratedGradients.of(m).withSteps(8).attribute(inputs, target);
            }

            @Override
            public String name() {
                return "draws-from-nd4j";
            }
        }).withEveryIterations(1);
        assertThat(train(Networks::mlpWithDropoutAndBatchNorm, 99, guarded)).isEqualTo(without);
        BaseTrainingListener careless = new BaseTrainingListener() {
            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                Nd4j.getRandom().nextDouble();
            }
        };
        MultiLayerNetwork net = Networks.mlpWithDropoutAndBatchNorm();
        net.setListeners(careless);
        Nd4j.getRandom().setSeed(99);
        net.fit(new ListDataSetIterator<>(data(), BATCH), EPOCHS);
        assertThat(net.params().toDoubleVector()).isNotEqualTo(without);
    }

    @Test
    void writesOneParsableJsonLinePerSnapshot() throws Exception {
        AttributionListener l = listener("snapshots.jsonl", true);
        train(Networks::mlp, 1, l);
        List<String> lines = Files.readAllLines(dir.resolve("snapshots.jsonl"));
        assertThat(lines).hasSize(l.snapshots().size()).hasSize(4);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = json.readTree(lines.get(i));
            assertThat(line.get("method").asText()).isEqualTo("integrated-gradients");
            assertThat(line.get("importance").get("overall").get("mean-absolute")).hasSize(5);
            assertThat(line.get("max-abs-completeness-delta").isNumber()).isTrue();
            assertThat(line.get("rank-correlation-with-previous").isNull()).isEqualTo(i == 0);
            assertThat(line.get("iteration").asInt()).isEqualTo(l.snapshots().get(i).iteration());
        }
        System.out.println("snapshot iterations " + l.snapshots().stream().map(AttributionListener.Snapshot::iteration).toList()
                + ", drift ρ " + l.snapshots().stream().map(AttributionListener.Snapshot::rankCorrelation).toList());
    }
}
