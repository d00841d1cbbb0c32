package dev.explain4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.gradient.TokenAttribution;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Child-process side of {@link KerasCorpusTest}: imports and explains each file named on the command line and prints
 * one line per file. Runs in its own JVM because some Keras files drive DL4J's native kernels into failures that
 * later corrupt memory; the parent sees such a crash as the file in progress.
 */
public final class KerasCorpusProbe {
    /** Length given to free (None) dimensions of generated inputs, e.g. sequence length. */
    private static final long FREE_DIMENSION = 6;

    /** Above this relative error (see {@link #finiteDifferenceCheck}) a gradient is wrong. */
    static final double MAX_RELATIVE_ERROR = 1e-5;
    /** How an explained file's line reports its worst finite-difference error. */
    static final String FD_ERROR = "fd-error=";
    /**
     * Step of the central differences. On the mlp files, whose gradients are ~1e-5, a step of 1e-6 left rounding
     * errors up to 7e-6 relative, 1e-5 left 5e-7; larger steps straddle more ReLU kinks.
     */
    private static final double H = 1e-5;
    /**
     * Gradients below this count as this small in the error's denominator: the probability barely moves, and what
     * is left is the rounding of the differences (with a step of 1e-6, three saturated recurrent files had gradients
     * of 1e-13 to 1e-8 whose finite differences differed from them by up to 2e-13).
     */
    private static final double ABSOLUTE_FLOOR = 1e-7;
    /** Per row: the coordinates of largest |gradient| and seeded random ones. */
    private static final int LARGEST = 3;
    private static final int RANDOM = 2;

    private KerasCorpusProbe() {
    }

    /** The worst error and where it is. */
    record FiniteDifferenceCheck(double error, long row, long coordinate, double gradient, double difference) {
        @Override
        public String toString() {
            return error + " at row " + row + ", coordinate " + coordinate + " (gradient " + gradient
                    + ", finite difference " + difference + ")";
        }
    }

    /**
     * The model's signed saliency in double against central finite differences of DL4J's own inference output of
     * an independent import of the file converted to double, at {@link #LARGEST} + {@link #RANDOM} coordinates per
     * row. Error: |g − d| / max(|g|, |d|, 10⁻³ · the row's largest |g|, {@link #ABSOLUTE_FLOOR}), so coordinates
     * with almost no gradient are measured against the row's scale.
     */
    static FiniteDifferenceCheck finiteDifferenceCheck(Path file, NetworkModel model, INDArray x) throws Exception {
        NetworkModel dbl = model.withDataType(DataType.DOUBLE);
        INDArray xd = x.castTo(DataType.DOUBLE);
        Attributions saliency = Saliency.signed(dbl).attribute(xd.dup(), Target.predicted());
        int[] targets = saliency.targets().orElseThrow();
        long rows = x.size(0);
        long width = x.length() / rows;
        INDArray gradient = saliency.values().reshape('c', rows, width);
        UnaryOperator<INDArray> output = independentImport(file).output();
        int perRow = (int) Math.min(width, LARGEST + RANDOM);
        INDArray flat = xd.reshape('c', rows, width);
        INDArray perturbed = Nd4j.create(DataType.DOUBLE, rows * perRow * 2, width);
        long[][] coordinates = new long[(int) rows][];
        for (int r = 0; r < rows; r++) {
            coordinates[r] = coordinates(gradient.getRow(r), perRow, new Random(r));
            for (int k = 0; k < perRow; k++) {
                for (int sign = 0; sign < 2; sign++) {
                    long at = (r * perRow + k) * 2L + sign;
                    perturbed.getRow(at).assign(flat.getRow(r));
                    perturbed.putScalar(at, coordinates[r][k], flat.getDouble(r, coordinates[r][k]) + (sign == 0 ? H : -H));
                }
            }
        }
        long[] shape = x.shape().clone();
        shape[0] = rows * perRow * 2L;
        INDArray out = output.apply(perturbed.reshape('c', shape));
        FiniteDifferenceCheck worst = new FiniteDifferenceCheck(0, 0, 0, 0, 0);
        for (int r = 0; r < rows; r++) {
            double scale = gradient.getRow(r).amaxNumber().doubleValue();
            for (int k = 0; k < perRow; k++) {
                long at = (r * perRow + k) * 2L;
                double difference = (out.getDouble(at, targets[r]) - out.getDouble(at + 1, targets[r])) / (2 * H);
                double g = gradient.getDouble(r, coordinates[r][k]);
                double error = Math.abs(g - difference) / Math.max(Math.max(Math.abs(g), Math.abs(difference)),
                        Math.max(1e-3 * scale, ABSOLUTE_FLOOR));
                if (error > worst.error() || Double.isNaN(error)) {
                    worst = new FiniteDifferenceCheck(error, r, coordinates[r][k], g, difference);
                }
            }
        }
        return worst;
    }

    /** The {@code count} coordinates of largest |g|, then seeded random others, without repeats. */
    private static long[] coordinates(INDArray g, int count, Random random) {
        double[] magnitude = Transforms.abs(g, true).toDoubleVector();
        List<Integer> order = new ArrayList<>(IntStream.range(0, magnitude.length).boxed().toList());
        order.sort((a, b) -> Double.compare(magnitude[b], magnitude[a]));
        List<Integer> chosen = new ArrayList<>(order.subList(0, Math.min(LARGEST, count)));
        List<Integer> rest = new ArrayList<>(order.subList(chosen.size(), order.size()));
        Collections.shuffle(rest, random);
        chosen.addAll(rest.subList(0, count - chosen.size()));
        return chosen.stream().mapToLong(Integer::longValue).toArray();
    }

    /**
     * The token model's signed saliency at its embedding's output, g[r, t, j] = ∂f/∂e[r, t, j] (through
     * {@link TokenAttribution}, in double), against central finite differences of DL4J's own inference output of an
     * independent import of the file in double with one embedding weight W[v, j] moved: that derivative is
     * Σ_{t : id[r, t] = v} g[r, t, j], since every position holding token v reads that weight. Per row, the
     * {@link #LARGEST} positions and dimensions of largest |g| and {@link #RANDOM} seeded random ones, each taken with
     * the token at that position; error as in {@link #finiteDifferenceCheck}.
     */
    static FiniteDifferenceCheck embeddingFiniteDifferenceCheck(Path file, NetworkModel model, INDArray ids) throws Exception {
        NetworkModel dbl = model.withDataType(DataType.DOUBLE);
        INDArray xd = ids.castTo(DataType.DOUBLE);
        TokenInput tokens = model.tokenInput().orElseThrow();
        Attributions embedded = TokenAttribution.of(dbl, (net, reference) -> Saliency.signed(net)).attributeEmbedded(xd.dup(), Target.predicted());
        int[] targets = embedded.targets().orElseThrow();
        // g as [rows, T, d] whatever the embedding's layout
        INDArray g = tokens.embedded() == org.deeplearning4j.nn.conf.RNNFormat.NCW ? embedded.values().permute(0, 2, 1).dup('c')
                : embedded.values().dup('c');
        long rows = ids.size(0);
        long length = g.size(1);
        long dimension = g.size(2);
        IndependentImport truth = independentImport(file);
        INDArray weights = truth.embeddingWeights();
        FiniteDifferenceCheck worst = new FiniteDifferenceCheck(0, 0, 0, 0, 0);
        for (int r = 0; r < rows; r++) {
            INDArray row = g.get(NDArrayIndex.point(r)).dup('c').reshape(1, length * dimension);
            double scale = row.amaxNumber().doubleValue();
            for (long coordinate : coordinates(row, (int) Math.min(length * dimension, LARGEST + RANDOM), new Random(r))) {
                long v = (long) xd.getDouble(r, coordinate / dimension);
                long j = coordinate % dimension;
                double expected = 0;
                for (long t = 0; t < length; t++) {
                    expected += xd.getDouble(r, t) == v ? g.getDouble(r, t, j) : 0;
                }
                double w = weights.getDouble(v, j);
                weights.putScalar(v, j, w + H);
                double plus = truth.output().apply(xd).getDouble(r, targets[r]);
                weights.putScalar(v, j, w - H);
                double minus = truth.output().apply(xd).getDouble(r, targets[r]);
                weights.putScalar(v, j, w);
                double difference = (plus - minus) / (2 * H);
                double error = Math.abs(expected - difference) / Math.max(Math.max(Math.abs(expected), Math.abs(difference)),
                        Math.max(1e-3 * scale, ABSOLUTE_FLOOR));
                if (error > worst.error() || Double.isNaN(error)) {
                    worst = new FiniteDifferenceCheck(error, r, coordinate, expected, difference);
                }
            }
        }
        return worst;
    }

    /** The file imported again by DL4J, in double: its own output(x, false) flattened per row, and its layers. */
    private record IndependentImport(UnaryOperator<INDArray> output, org.deeplearning4j.nn.api.Layer[] layers) {
        /** The parameters [vocabulary, d] of the (first) embedding, to move in place. */
        INDArray embeddingWeights() {
            return Arrays.stream(layers).filter(l -> l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer
                    || l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.EmbeddingLayer).findFirst().orElseThrow().getParam("W");
        }
    }

    /**
     * A Sequential file as DL4J's MultiLayerNetwork, any other as its ComputationGraph, as KerasModelImport makes them.
     * Where DL4J's import does not compute the Keras model unaided (channels-last Cropping3D, a trailing Reshape or
     * Permute), the network is ModelLoader's DL4J network imported a second time ({@link ModelLoader#kerasNetwork}):
     * its output is still DL4J's. The kind is read from the file: a failed import leaks its HDF5 archive, which
     * JavaCPP's deallocator thread then closes while a later file is read (this crashed three child JVMs).
     */
    private static IndependentImport independentImport(Path file) throws Exception {
        JsonNode config;
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            config = new ObjectMapper().readTree(archive.readAttributeAsJson("model_config"));
        }
        Object network = !ModelLoader.channelsLastCroppings(config).isEmpty() || ModelLoader.withIdentityOutput(config) != null
                ? ModelLoader.kerasNetwork(file, config)
                : config.path("class_name").asText().equals("Sequential")
                ? KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), false)
                : KerasModelImport.importKerasModelAndWeights(file.toString(), false);
        if (network instanceof MultiLayerNetwork chain) {
            MultiLayerNetwork net = chain.convertDataType(DataType.DOUBLE);
            return new IndependentImport(b -> perRow(net.output(b, false), b), net.getLayers());
        }
        ComputationGraph graph = ((ComputationGraph) network).convertDataType(DataType.DOUBLE);
        return new IndependentImport(b -> perRow(graph.output(false, b)[0], b), graph.getLayers());
    }

    /**
     * DL4J's output flattened per input row. A Keras Dense on a sequence imports as a dense layer on rows × T rows,
     * time-major (row t · n + r: RnnToFeedForwardPreProcessor reshapes in column-major order); explain4j wraps it per
     * time step, whose [n, T, units] output is those rows regrouped per sequence.
     */
    private static INDArray perRow(INDArray output, INDArray input) {
        long n = input.size(0);
        return output.size(0) == n ? NetworkPass.flat(output)
                : output.reshape('f', n, output.size(0) / n, output.size(1)).dup('c').reshape('c', n, -1);
    }

    public static void main(String[] files) {
        for (String name : files) {
            System.out.println("START\t" + name);
            System.out.println("DONE\t" + name + "\t" + explain(Path.of(name)).replace('\n', ' '));
            System.out.flush();
        }
        System.out.println("FINISHED");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** "EXPLAINED", or the outcome and message of a refusal, or "DEFECT" and what went wrong. */
    static String explain(Path file) {
        NetworkModel model;
        try {
            model = ModelLoader.load(file, null);
        } catch (IllegalArgumentException e) {
            return e.getMessage().contains(file.toString()) ? "REFUSED_AT_IMPORT\t" + e.getMessage()
                    : "DEFECT\trefusal does not name the file: " + e.getMessage();
        } catch (Throwable e) {
            return "DEFECT\t" + e;
        }
        long[] rowShape = model.inputShape();
        if (rowShape == null) {
            return "REFUSED_AT_EXPLAIN\tinput shape unknown";
        }
        long[] shape = new long[rowShape.length + 1];
        shape[0] = 2;
        for (int i = 0; i < rowShape.length; i++) {
            shape[i + 1] = rowShape[i] < 0 ? FREE_DIMENSION : rowShape[i];
        }
        Nd4j.getRandom().setSeed(file.getFileName().toString().hashCode()); // the same input for a file in every run
        INDArray x = Nd4j.rand(model.dataType(), shape);
        if (model.tokenInput().isPresent()) { // token ids, uniform in [0, vocabulary)
            x = Transforms.floor(x.muli(model.tokenInput().get().vocabulary()), false);
        }
        boolean tokens = model.tokenInput().isPresent();
        try {
            Attributions saliency = (tokens ? TokenAttribution.of(model, (net, reference) -> Saliency.of(net))
                    : Saliency.of(model)).attribute(x, Target.predicted());
            INDArray values = saliency.values();
            if (!Arrays.equals(values.shape(), shape)) {
                return "DEFECT\tsaliency of shape " + Arrays.toString(values.shape()) + " for input " + Arrays.toString(shape);
            }
            if (values.isNaN().any() || values.isInfinite().any()) {
                return "DEFECT\tnon-finite saliency";
            }
            // IG takes the engine's path sums (fused into a dense or convolutional first layer where one is)
            INDArray ig = (tokens ? TokenAttribution.of(model, (net, reference) -> IntegratedGradients.of(net).withSteps(4)
                    .withReference(reference)) : IntegratedGradients.of(model).withSteps(4)).attribute(x, Target.predicted()).values();
            if (!Arrays.equals(ig.shape(), shape) || ig.isNaN().any() || ig.isInfinite().any()) {
                return "DEFECT\tintegrated gradients of shape " + Arrays.toString(ig.shape()) + " or not finite";
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "REFUSED_AT_EXPLAIN\t" + e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (Throwable e) {
            return "DEFECT\t" + e;
        }
        try {
            FiniteDifferenceCheck check = tokens ? embeddingFiniteDifferenceCheck(file, model, x) : finiteDifferenceCheck(file, model, x);
            return check.error() > MAX_RELATIVE_ERROR ? "DEFECT\tsigned saliency in double differs from central finite"
                    + " differences of DL4J's output by " + check + " (bound " + MAX_RELATIVE_ERROR + ")"
                    : "EXPLAINED\t" + FD_ERROR + check;
        } catch (Throwable e) {
            return "DEFECT\tthe explained file cannot be checked against finite differences in double: " + e;
        }
    }
}
