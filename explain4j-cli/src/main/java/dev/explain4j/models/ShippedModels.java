package dev.explain4j.models;

import dev.explain4j.io.AtomicFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Rebuilds the models shipped in {@code models/} from the data in {@code models/data/}, from scratch and seeded:
 * <ul>
 *   <li>{@code iris-mlp.zip}: 4 measurements (cm) → dense 16 tanh → dense 3 softmax;</li>
 *   <li>{@code digits-cnn.zip}: 64 pixel counts 0..16 of an 8×8 image, row-major, → conv 3×3×16 → conv 3×3×32 →
 *       max-pool 2×2 → dense 64 → dense 10 softmax;</li>
 * </ul>
 * and a few held-out rows of each as sample inputs ({@code iris-samples.csv}, {@code digits-samples.csv}), plus
 * sample inputs of the right width for the shipped Keras file ({@code simple_mlp-samples.csv}). Prints the
 * held-out accuracy of each. Run: {@code OMP_WAIT_POLICY=PASSIVE mvn -q compile exec:java} (argument: the models
 * directory, default {@code models}).
 *
 * <p>Everything is float32 (the library's default precision). Models are saved without updater state: the zips are
 * for explaining, not for resuming training, and Adam's state would double their size.
 */
public final class ShippedModels {
    public static final long SEED = 20240611L;
    public static final double HELD_OUT_SHARE = 0.2;
    private static final DataType TYPE = DataType.FLOAT;

    private ShippedModels() {
    }

    public static void main(String[] args) {
        Path models = Path.of(args.length > 0 ? args[0] : "models");
        Path data = models.resolve("data");

        LabelledData iris = ShippedData.iris(data);
        Split irisSplit = Split.stratified(iris, HELD_OUT_SHARE, SEED);
        long start = System.nanoTime();
        MultiLayerNetwork irisNet = train(irisMlp(), iris, irisSplit, 400, irisSplit.training().length);
        System.out.printf(Locale.ROOT, "trained iris-mlp in %.1f s%n", (System.nanoTime() - start) / 1e9);
        report("iris-mlp", irisNet, iris, irisSplit);
        save(irisNet, models.resolve("iris-mlp.zip"), ShippedData.IRIS_CLASSES);
        writeSamples(models.resolve("iris-samples.csv"), iris, samplesPerClass(iris, irisSplit, 3), true);

        LabelledData digits = ShippedData.digits(data);
        Split digitsSplit = Split.stratified(digits, HELD_OUT_SHARE, SEED);
        start = System.nanoTime();
        MultiLayerNetwork digitsNet = train(digitsCnn(), digits, digitsSplit, 20, 64);
        System.out.printf(Locale.ROOT, "trained digits-cnn in %.1f s%n", (System.nanoTime() - start) / 1e9);
        report("digits-cnn", digitsNet, digits, digitsSplit);
        save(digitsNet, models.resolve("digits-cnn.zip"),
                java.util.stream.IntStream.range(0, 10).mapToObj(Integer::toString).toList());
        writeSamples(models.resolve("digits-samples.csv"), digits, samplesPerClass(digits, digitsSplit, 1), false);

        writeKerasSamples(models.resolve("simple_mlp-samples.csv"), 8, 100);
    }

    /** 4 → 16 → 3: tanh rather than ReLU so that gradients are smooth and no unit dies on the unscaled inputs. */
    public static MultiLayerConfiguration irisMlp() {
        return new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .dataType(TYPE)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(4).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nOut(3).activation(Activation.SOFTMAX).build())
                .build();
    }

    /**
     * Flat 64-pixel rows in, reshaped to [1, 8, 8] by the preprocessor {@code convolutionalFlat} adds; "same"
     * convolutions keep the 8×8 grid so that Grad-CAM on conv2 has one cell per 2×2 pixels after pooling.
     */
    public static MultiLayerConfiguration digitsCnn() {
        int side = ShippedData.DIGITS_SIDE;
        return new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .dataType(TYPE)
                .weightInit(WeightInit.RELU)
                .updater(new Adam(2e-3))
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(16).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(side, side, 1))
                .build();
    }

    /** Minibatch training in an order fixed by the seed. */
    static MultiLayerNetwork train(MultiLayerConfiguration configuration, LabelledData data, Split split,
                                   int epochs, int batchSize) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration);
        net.init();
        DataSet training = data.toDataSet(split.training(), TYPE);
        for (int epoch = 0; epoch < epochs; epoch++) {
            training.shuffle(SEED + epoch);
            for (DataSet batch : training.batchBy(batchSize)) {
                net.fit(batch);
            }
        }
        return net;
    }

    /** Share of rows whose arg-max output is their label. */
    public static double accuracy(MultiLayerNetwork net, LabelledData data, int[] rows) {
        DataSet set = data.toDataSet(rows, TYPE);
        int[] predicted = net.output(set.getFeatures(), false).argMax(1).toIntVector();
        int correct = 0;
        for (int i = 0; i < rows.length; i++) {
            correct += predicted[i] == data.label(rows[i]) ? 1 : 0;
        }
        return (double) correct / rows.length;
    }

    static void report(String name, MultiLayerNetwork net, LabelledData data, Split split) {
        System.out.printf(Locale.ROOT, "%-11s %6d parameters   training accuracy %.4f (%d rows)   held-out accuracy %.4f (%d rows)%n",
                name, net.numParams(), accuracy(net, data, split.training()), split.training().length,
                accuracy(net, data, split.heldOut()), split.heldOut().length);
    }

    /** Writes the model and, beside it, its class names ({@code MODEL.classes}, one per line), which the CLI reads. */
    static void save(MultiLayerNetwork net, Path file, List<String> classNames) {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".partial");
        try {
            ModelSerializer.writeModel(net, temporary.toFile(), false);
            // check the file restores to the same outputs before it replaces the shipped one
            MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(temporary.toFile(), false);
            if (!restored.params().equals(net.params())) {
                throw new IllegalStateException(file + ": the saved model does not restore to the trained parameters");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(dev.explain4j.io.ClassNames.sidecarOf(file), String.join("\n", classNames) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the failure that got us here is the one worth reporting
            }
        }
        System.out.printf(Locale.ROOT, "wrote %s (%d bytes)%n", file, file.toFile().length());
    }

    /** The first {@code perClass} held-out rows of each class, class by class: samples the model never trained on. */
    static int[] samplesPerClass(LabelledData data, Split split, int perClass) {
        List<Integer> rows = new ArrayList<>();
        for (int label = 0; label < data.classes(); label++) {
            int taken = 0;
            for (int row : split.heldOut()) {
                if (taken < perClass && data.label(row) == label) {
                    rows.add(row);
                    taken++;
                }
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void writeSamples(Path file, LabelledData data, int[] rows, boolean header) {
        AtomicFiles.write(file, writer -> {
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build());
            if (header) {
                printer.printRecord(data.featureNames());
            }
            for (int row : rows) {
                double[] values = data.features(row);
                List<String> cells = new ArrayList<>(values.length);
                for (double value : values) {
                    cells.add(value == Math.rint(value) && Math.abs(value) < 1e15
                            ? Long.toString((long) value) : Double.toString(value));
                }
                printer.printRecord(cells);
            }
            printer.flush();
        });
        StringBuilder labels = new StringBuilder();
        for (int row : rows) {
            labels.append(labels.length() == 0 ? "" : " ").append(data.label(row));
        }
        System.out.printf(Locale.ROOT, "wrote %s (%d rows; labels %s)%n", file, rows.length, labels);
    }

    /**
     * simple_mlp.h5 was saved untrained and comes with no data, so its samples are seeded uniform values in [0, 1),
     * three decimals: inputs of the right width for trying the Keras path, nothing more.
     */
    private static void writeKerasSamples(Path file, int rows, int width) {
        Random random = new Random(SEED);
        AtomicFiles.write(file, writer -> {
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build());
            for (int row = 0; row < rows; row++) {
                List<String> cells = new ArrayList<>(width);
                for (int i = 0; i < width; i++) {
                    cells.add(String.format(Locale.ROOT, "%.3f", random.nextDouble()));
                }
                printer.printRecord(cells);
            }
            printer.flush();
        });
        System.out.printf(Locale.ROOT, "wrote %s (%d rows of %d uniform values)%n", file, rows, width);
    }

}
