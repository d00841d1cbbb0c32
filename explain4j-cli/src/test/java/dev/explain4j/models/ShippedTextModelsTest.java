package dev.explain4j.models;

import dev.explain4j.text.Documents;
import dev.explain4j.text.Tokenizer;
import dev.explain4j.text.Vocabulary;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed text models, vocabulary and samples are what {@link ShippedTextModels} makes and what
 * models/README.md says: the vocabulary is the training split's, the models reach their held-out accuracy on the
 * fixed split and classify the samples as stated, and the files stay small.
 */
class ShippedTextModelsTest {
    private static final Path MODELS = Path.of("models");
    private static ShippedData.Mails mails;
    private static Split split;
    private static Vocabulary vocabulary;

    @BeforeAll
    static void readData() {
        mails = ShippedData.spam(MODELS.resolve("data"));
        split = ShippedTextModels.split(mails);
        vocabulary = Vocabulary.read(MODELS.resolve("spam-vocab.txt"));
    }

    @Test
    void dataSplitAndVocabularyAreTheDocumentedOnes() throws IOException {
        assertThat(mails.texts()).hasSize(3000);
        assertThat(Arrays.stream(mails.labels()).filter(l -> l == 1).count()).isEqualTo(1500);
        assertThat(split.heldOut()).hasSize(600).doesNotContain(split.training());
        assertThat(Files.readAllLines(MODELS.resolve("spam-vocab.txt")))
                .isEqualTo(ShippedTextModels.vocabulary(mails, split));
        assertThat(vocabulary.size()).isEqualTo(ShippedTextModels.VOCABULARY);
        assertThat(vocabulary.id("<pad>")).hasValue(0);
        assertThat(vocabulary.outOfVocabulary()).hasValue(1);
        assertThat(Files.size(MODELS.resolve("data/spam.tsv"))).isLessThan(500_000);
    }

    @Test
    void bothModelsReachTheirHeldOutAccuracyAndClassifyTheSamples() throws IOException {
        LabelledData data = ShippedTextModels.encode(mails, vocabulary);
        Tokenizer tokenizer = Tokenizer.of(vocabulary, ShippedTextModels.LENGTH);
        Documents samples = Documents.read(MODELS.resolve("spam-samples.txt"), tokenizer);
        String[] models = {"spam-bilstm.zip", "spam-attention.zip"};
        double[] accuracies = {568 / 600.0, 565 / 600.0};
        int[][] predicted = {{0, 1, 0, 0, 1, 1, 1, 1}, {0, 0, 0, 0, 1, 1, 1, 1}};
        for (int m = 0; m < models.length; m++) {
            Path file = MODELS.resolve(models[m]);
            assertThat(Files.size(file)).isLessThan(2_000_000);
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
            assertThat(ShippedModels.accuracy(net, data, split.heldOut())).as(models[m]).isEqualTo(accuracies[m]);
            assertThat(net.output(samples.ids(DataType.FLOAT), false).argMax(1).toIntVector()).as(models[m])
                    .containsExactly(predicted[m]);
        }
    }
}
