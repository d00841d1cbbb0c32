package dev.explain4j.models;

import dev.explain4j.io.AtomicFiles;
import dev.explain4j.text.Tokenizer;
import dev.explain4j.text.Vocabulary;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rebuilds the shipped text models from {@code models/data/spam.tsv}, seeded, as {@link ShippedModels} does for the
 * others: the vocabulary of the training mails ({@code spam-vocab.txt}: {@code <pad>} = 0, {@code <oov>} = 1, then
 * the most frequent words), and two classifiers of 40-token sequences (Keras' padding and truncation, at the front):
 * <ul>
 *   <li>{@code spam-bilstm.zip}: embedding 16 → bidirectional LSTM 2 × 16 (concatenated) → max over time →
 *       softmax 2;</li>
 *   <li>{@code spam-attention.zip}: embedding 16 → self-attention (2 heads of 8) → mean over time → softmax 2;</li>
 * </ul>
 * plus {@code spam-samples.txt}, held-out mails to explain. Class 0 ham, 1 spam. Prints the held-out accuracies. Run:
 * {@code OMP_WAIT_POLICY=PASSIVE mvn -q compile exec:java -Dexec.mainClass=dev.explain4j.models.ShippedTextModels}.
 */
public final class ShippedTextModels {
    public static final int VOCABULARY = 2000;
    public static final int LENGTH = 40;
    private static final int DIMENSION = 16;
    private static final int EPOCHS = 8;
    private static final int BATCH = 32;

    private ShippedTextModels() {
    }

    public static void main(String[] args) {
        Path models = Path.of(args.length > 0 ? args[0] : "models");
        ShippedData.Mails mails = ShippedData.spam(models.resolve("data"));
        Split split = split(mails);

        List<String> words = vocabulary(mails, split);
        Path vocabularyFile = models.resolve("spam-vocab.txt");
        AtomicFiles.write(vocabularyFile, writer -> writer.write(String.join("\n", words) + "\n"));
        System.out.printf(Locale.ROOT, "wrote %s (%d tokens)%n", vocabularyFile, words.size());
        LabelledData data = encode(mails, Vocabulary.of(words));

        for (var model : List.of(Map.entry("spam-bilstm", biLstm()), Map.entry("spam-attention", attention()))) {
            long start = System.nanoTime();
            MultiLayerNetwork net = ShippedModels.train(model.getValue(), data, split, EPOCHS, BATCH);
            System.out.printf(Locale.ROOT, "trained %s in %.1f s%n", model.getKey(), (System.nanoTime() - start) / 1e9);
            ShippedModels.report(model.getKey(), net, data, split);
            ShippedModels.save(net, models.resolve(model.getKey() + ".zip"), List.of("ham", "spam"));
        }
        int[] samples = ShippedModels.samplesPerClass(data, split, 4);
        Path samplesFile = models.resolve("spam-samples.txt");
        AtomicFiles.write(samplesFile, writer -> {
            for (int row : samples) {
                writer.write(mails.texts().get(row) + "\n");
            }
        });
        System.out.printf(Locale.ROOT, "wrote %s (%d mails: 4 ham, then 4 spam)%n", samplesFile, samples.length);
    }

    /** The mails as {@link #LENGTH} token ids each, as the models take them. */
    static LabelledData encode(ShippedData.Mails mails, Vocabulary vocabulary) {
        Tokenizer tokenizer = Tokenizer.of(vocabulary, LENGTH);
        double[][] ids = new double[mails.texts().size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Arrays.stream(tokenizer.encode(mails.texts().get(i)).ids()).asDoubleStream().toArray();
        }
        List<String> positions = new ArrayList<>();
        for (int t = 1; t <= LENGTH; t++) {
            positions.add("token-" + t);
        }
        return new LabelledData(positions, ids, mails.labels(), 2);
    }

    /** The stratified split of the mails, by their labels alone. */
    static Split split(ShippedData.Mails mails) {
        // the split needs only the labels; the features are ids, which need the training split's vocabulary
        LabelledData labels = new LabelledData(List.of(), new double[mails.labels().length][0], mails.labels(), 2);
        return Split.stratified(labels, ShippedModels.HELD_OUT_SHARE, ShippedModels.SEED);
    }

    /** {@code <pad>}, {@code <oov>}, then the training mails' most frequent words (ties alphabetically). */
    static List<String> vocabulary(ShippedData.Mails mails, Split split) {
        Tokenizer words = Tokenizer.of(Vocabulary.of(List.of("<pad>")), 1);
        Map<String, Integer> counts = new HashMap<>();
        for (int row : split.training()) {
            for (String word : words.words(mails.texts().get(row))) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<String> vocabulary = new ArrayList<>(List.of("<pad>", "<oov>"));
        counts.entrySet().stream()
                .filter(e -> !vocabulary.contains(e.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(VOCABULARY - 2)
                .forEach(e -> vocabulary.add(e.getKey()));
        return vocabulary;
    }

    private static NeuralNetConfiguration.ListBuilder embedded() {
        return new NeuralNetConfiguration.Builder()
                .seed(ShippedModels.SEED)
                .dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(5e-3))
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().name("embedding").nIn(VOCABULARY).nOut(DIMENSION)
                        .inputLength(LENGTH).outputDataFormat(RNNFormat.NCW).build());
    }

    public static MultiLayerConfiguration biLstm() {
        return embedded()
                .layer(new Bidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder().name("lstm").nIn(DIMENSION)
                        .nOut(16).activation(Activation.TANH).build()))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(32).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    public static MultiLayerConfiguration attention() {
        return embedded()
                .layer(new SelfAttentionLayer.Builder().name("attention").nIn(DIMENSION).nOut(16).nHeads(2).headSize(8)
                        .projectInput(true).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(16).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }
}
