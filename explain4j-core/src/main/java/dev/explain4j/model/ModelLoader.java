package dev.explain4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.hdf5.DSetCreatPropList;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads a model file, recognised by its content rather than its name: a DL4J model zip (MultiLayerNetwork or
 * ComputationGraph, as written by {@code ModelSerializer}) or a Keras HDF5 file (Sequential or functional), imported
 * through DL4J's {@code KerasModelImport} without its training configuration.
 *
 * <p>Keras images keep the Keras layout: channels_last models take rows [h, w, c], so a Keras user's (flattened,
 * row-major) data works unchanged. Every failure is an {@link IllegalArgumentException} naming the file.
 */
public final class ModelLoader {
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Caps on what a model file may make the loader allocate: a configuration, any other zip entry, one dimension. */
    public static final int MAX_CONFIGURATION_BYTES = 64 << 20;
    public static final long MAX_ENTRY_BYTES = 2L << 30;
    public static final long MAX_DIMENSION = Integer.MAX_VALUE;
    /** Caps on the HDF5 datasets of a Keras file, as DL4J reads them whole: one dataset, and all of them together. */
    public static final long MAX_DATASET_BYTES = 2L << 30;
    public static final long MAX_DATASETS_BYTES = 4L << 30;

    private ModelLoader() {
    }

    /** @param output for a graph with several outputs, the one to explain; else null */
    public static NetworkModel load(Path file, String output) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file " + file + " does not exist or is not a file");
        }
        byte[] head = readHead(file);
        if (startsWith(head, HDF5_SIGNATURE)) {
            return loadKeras(file, output);
        }
        if (startsWith(head, ZIP_SIGNATURE)) {
            return loadDl4jZip(file, output);
        }
        throw new IllegalArgumentException("model file " + file + " is neither a DL4J model zip nor a Keras HDF5 (.h5) file");
    }

    private static byte[] readHead(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] head, byte[] signature) {
        return head.length >= signature.length && Arrays.equals(Arrays.copyOf(head, signature.length), signature);
    }

    private static NetworkModel loadDl4jZip(Path file, String output) {
        String configuration;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null || zip.getEntry("coefficients.bin") == null) {
                throw new IllegalArgumentException("model file " + file + " is a zip but not a DL4J model"
                        + " (expected configuration.json and coefficients.bin inside)");
            }
            checkInflatedSizes(file, zip);
            try (InputStream in = zip.getInputStream(entry)) {
                configuration = new String(in.readNBytes(MAX_CONFIGURATION_BYTES), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("model file " + file + " is a corrupt zip: " + e.getMessage(), e);
        }
        Object network;
        try {
            network = JSON.readTree(configuration).has("vertices")
                    ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("model file " + file + " could not be read as a DL4J model: " + firstLine(e), e);
        }
        return of(network, output);
    }

    /**
     * DL4J inflates every entry whole; a zip whose entries inflate beyond the caps (a zip bomb: 1 MB that inflates to
     * 1 GiB) is refused by entry before anything is allocated. The sizes are counted by inflating into a small
     * buffer, since the sizes a zip declares are the attacker's to choose.
     */
    private static void checkInflatedSizes(Path file, ZipFile zip) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
            long cap = entry.getName().endsWith(".json") ? MAX_CONFIGURATION_BYTES : MAX_ENTRY_BYTES;
            long size = 0;
            try (InputStream in = zip.getInputStream(entry)) {
                for (int n; (n = in.read(buffer)) > 0 && size <= cap; ) {
                    size += n;
                }
            }
            if (size > cap) {
                throw new IllegalArgumentException("model file " + file + ": zip entry " + entry.getName()
                        + " inflates to more than " + cap + " bytes, the cap on " + (cap == MAX_CONFIGURATION_BYTES
                        ? "a model configuration" : "one entry") + "; not a model explain4j will load");
            }
        }
    }

    private static NetworkModel of(Object network, String output) {
        return network instanceof ComputationGraph graph ? NetworkModel.of(graph, output)
                : NetworkModel.of((MultiLayerNetwork) network);
    }

    private static NetworkModel loadKeras(Path file, String output) {
        checkDatasetSizes(file);
        JsonNode config = kerasModelConfig(file);
        boolean sequential = "Sequential".equals(config.path("class_name").asText());
        long[] inputShape = kerasInputShape(file, config, sequential); // checked before DL4J's import, which casts each to int
        Object network = kerasNetwork(file, config);
        NetworkModel model;
        try {
            model = of(network, output);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Keras model " + file + ": " + e.getMessage(), e);
        }
        return inputShape == null ? model : model.withInputShape(inputShape);
    }

    /**
     * The DL4J network of a Keras file's model configuration, as DL4J imports it with the corrections below: a token
     * chain imported as a chain, an identity after a trailing Reshape or Permute, channels-last 3-D croppings, a dense
     * output per time step wrapped per time step.
     */
    static Object kerasNetwork(Path file, JsonNode config) {
        boolean sequential = "Sequential".equals(config.path("class_name").asText());
        JsonNode chain = sequential ? null : tokenChainAsSequential(config);
        JsonNode identity = withIdentityOutput(chain != null ? chain : config);
        JsonNode rewritten = identity != null ? identity : chain;
        boolean asSequential = rewritten == null ? sequential : "Sequential".equals(rewritten.path("class_name").asText());
        String json = rewritten == null ? null : withFileAttributes(file, (ObjectNode) rewritten).toString();
        Object network = importKeras(file, asSequential, json);
        KerasWeightsCheck.requireWeightsFromFile(file, network, () -> importKeras(file, asSequential, json));
        return perTimeStepOutputAsSequence(file, withChannelsLastCroppings(network, channelsLastCroppings(config)));
    }

    /**
     * @param json a model configuration to import instead of the file's (with the file's weights), or null
     */
    private static Object importKeras(Path file, boolean sequential, String json) {
        // KerasModelImport closes its HDF5 archive only when the import succeeds; a leaked archive is then closed by
        // JavaCPP's deallocator thread while this one uses HDF5, which is not thread-safe (seen as a SIGSEGV in
        // libhdf5). The builder is closed here whatever happens.
        try (KerasModelBuilder builder = new KerasModel().modelBuilder().modelHdf5Filename(file.toString()).enforceTrainingConfig(false)) {
            if (json != null) {
                builder.setModelJson(json);
            }
            return sequential ? builder.buildSequential().getMultiLayerNetwork() : builder.buildModel().getComputationGraph();
        } catch (Exception | LinkageError e) {
            throw new IllegalArgumentException("Keras model " + file + " cannot be imported by DL4J: " + firstLine(e), e);
        }
    }

    /**
     * DL4J reads each weight dataset whole, at the size its dataspace declares: a file of a few kilobytes may declare
     * a chunked dataset of terabytes that was never written (HDF5 returns fill values for it). Before the import every
     * dataset is sized from its header, nothing read: one above {@link #MAX_DATASET_BYTES}, all together above
     * {@link #MAX_DATASETS_BYTES}, or uncompressed datasets (no filter, so their bytes must be in the file) that
     * together declare more than the file holds, are refused by file and dataset path.
     */
    private static void checkDatasetSizes(Path file) {
        org.bytedeco.hdf5.global.hdf5.H5Eset_auto2(org.bytedeco.hdf5.global.hdf5.H5E_DEFAULT, null, null);
        long[] totals = new long[2]; // all datasets, uncompressed datasets
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5;
            try {
                h5 = new H5File(file.toString(), org.bytedeco.hdf5.global.hdf5.H5F_ACC_RDONLY());
            } catch (Exception | LinkageError e) {
                throw new IllegalArgumentException("Keras file " + file + " is corrupt or truncated: " + firstLine(e), e);
            }
            try {
                checkDatasetSizes(file, h5, "/", totals);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Keras file " + file + " is corrupt or truncated: " + firstLine(e), e);
            } finally {
                h5.deallocate();
            }
        }
        long fileBytes = file.toFile().length();
        if (totals[1] > fileBytes) {
            throw new IllegalArgumentException("Keras file " + file + ": its uncompressed datasets declare " + totals[1]
                    + " bytes but the file holds " + fileBytes + "; not a model explain4j will load");
        }
    }

    private static void checkDatasetSizes(Path file, Group group, String path, long[] totals) {
        for (long i = 0, n = group.getNumObjs(); i < n; i++) {
            String name = group.getObjnameByIdx(i).getString();
            String child = path + name;
            int type = group.childObjType(name);
            if (type == org.bytedeco.hdf5.global.hdf5.H5O_TYPE_GROUP) {
                Group sub = group.openGroup(name);
                try {
                    checkDatasetSizes(file, sub, child + "/", totals);
                } finally {
                    sub.deallocate();
                }
            } else if (type == org.bytedeco.hdf5.global.hdf5.H5O_TYPE_DATASET) {
                DataSet dataset = group.openDataSet(name);
                try {
                    long bytes = datasetBytes(dataset);
                    if (bytes > MAX_DATASET_BYTES || bytes < 0) {
                        throw new IllegalArgumentException("Keras file " + file + ": dataset " + child + " declares "
                                + (bytes < 0 ? "more than 2^63" : Long.toString(bytes)) + " bytes, more than the cap of "
                                + MAX_DATASET_BYTES + " on one dataset; not a model explain4j will load");
                    }
                    totals[0] += bytes;
                    DSetCreatPropList creation = dataset.getCreatePlist();
                    try {
                        if (creation.getNfilters() == 0) {
                            totals[1] += bytes;
                        }
                    } finally {
                        creation.deallocate();
                    }
                    if (totals[0] > MAX_DATASETS_BYTES) {
                        throw new IllegalArgumentException("Keras file " + file + ": its datasets up to " + child
                                + " declare more than " + MAX_DATASETS_BYTES + " bytes, the cap on all of them; not a"
                                + " model explain4j will load");
                    }
                } finally {
                    dataset.deallocate();
                }
            }
        }
    }

    /** Elements × element size as the dataset's header declares them; -1 past {@code Long.MAX_VALUE}. */
    private static long datasetBytes(DataSet dataset) {
        DataSpace space = dataset.getSpace();
        DataType type = dataset.asAbstractDs().getDataType();
        try {
            return Math.multiplyHigh(space.getSimpleExtentNpoints(), type.getSize()) != 0 ? -1
                    : space.getSimpleExtentNpoints() * type.getSize();
        } finally {
            space.deallocate();
            type.deallocate();
        }
    }

    private static JsonNode kerasModelConfig(Path file) {
        // HDF5 prints its own error stack to stderr on a bad file; the exception below says it in one line
        org.bytedeco.hdf5.global.hdf5.H5Eset_auto2(org.bytedeco.hdf5.global.hdf5.H5E_DEFAULT, null, null);
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            if (!archive.hasAttribute("model_config")) {
                throw new IllegalArgumentException("Keras file " + file + " holds no model_config: weights-only files cannot be explained");
            }
            return JSON.readTree(archive.readAttributeAsJson("model_config"));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new IllegalArgumentException("Keras file " + file + " is corrupt or truncated: " + firstLine(e), e);
        }
    }

    /**
     * The row shape of the model's (single) input, or null if it declares none or several: a functional model's
     * inputs are its InputLayers; a Sequential model's input is the first layer's {@code batch_input_shape} (Keras
     * writes it on an InputLayer and again on the layer after it, and an old file on that layer alone). Every declared
     * dimension is checked.
     */
    private static long[] kerasInputShape(Path file, JsonNode modelConfig, boolean sequential) {
        List<JsonNode> shapes = new ArrayList<>();
        for (JsonNode layer : kerasLayers(modelConfig)) {
            JsonNode shape = layer.path("config").path("batch_input_shape");
            if (shape.isArray()) {
                for (int i = 1; i < shape.size(); i++) {
                    JsonNode d = shape.get(i);
                    if (!d.isNull() && !(d.canConvertToExactIntegral() && d.asLong() >= 1 && d.asLong() <= MAX_DIMENSION)) {
                        throw new IllegalArgumentException("Keras model " + file + ": layer '" + layer.path("config")
                                .path("name").asText() + "' has input dimension " + i + " = " + d + "; expected 1.."
                                + MAX_DIMENSION + " or null");
                    }
                }
                if (sequential ? shapes.isEmpty() : "InputLayer".equals(layer.path("class_name").asText())) {
                    shapes.add(shape);
                }
            }
        }
        if (shapes.size() != 1) {
            return null;
        }
        JsonNode shape = shapes.get(0);
        long[] rowShape = new long[shape.size() - 1];
        for (int i = 1; i < shape.size(); i++) {
            rowShape[i - 1] = shape.get(i).isNull() ? -1 : shape.get(i).asLong();
        }
        return rowShape;
    }

    /**
     * A functional model that is a chain from an InputLayer through an Embedding (each layer fed by the one before
     * it, the last one the output) as the Sequential model it is, or null for any other model. Token attributions run
     * the network after its embedding, which explain4j cuts from MultiLayerNetworks only; DL4J imports the chain with
     * the same layers and weights, and its outputs equal those of the graph import (issue_9349 and misc_0 of the Keras
     * corpus, to the last printed digit).
     */
    private static ObjectNode tokenChainAsSequential(JsonNode modelConfig) {
        JsonNode layers = kerasLayers(modelConfig);
        if (layers.size() < 3 || !"InputLayer".equals(layers.get(0).path("class_name").asText())
                || !"Embedding".equals(layers.get(1).path("class_name").asText())) {
            return null;
        }
        for (int i = 1; i < layers.size(); i++) {
            JsonNode nodes = layers.get(i).path("inbound_nodes");
            if (nodes.size() != 1 || nodes.get(0).size() != 1 || !nodes.get(0).get(0).path(0).asText()
                    .equals(layers.get(i - 1).path("config").path("name").asText())) {
                return null;
            }
        }
        JsonNode outputs = modelConfig.path("config").path("output_layers");
        if (outputs.size() != 1 || !outputs.get(0).path(0).asText().equals(layers.get(layers.size() - 1).path("config").path("name").asText())) {
            return null;
        }
        ObjectNode chain = JSON.createObjectNode();
        chain.put("class_name", "Sequential");
        ObjectNode config = chain.putObject("config");
        config.set("name", modelConfig.path("config").path("name"));
        ArrayNode chained = config.putArray("layers");
        for (JsonNode layer : layers) {
            chained.add(((ObjectNode) layer.deepCopy()).without("inbound_nodes"));
        }
        return chain;
    }

    /**
     * A model whose output layer is a Reshape or a Permute with an identity Activation after it, or null for any other
     * model. DL4J imports those two as input preprocessors of the layer after them, so a model that ends with one has
     * nothing to attach it to ("Layer reshape could not be mapped to Layer, Vertex, or InputPreProcessor"; misc_1 and
     * misc_2 of the Keras corpus, a Reshape and a Permute alone); the identity computes nothing and holds it.
     */
    static ObjectNode withIdentityOutput(JsonNode modelConfig) {
        JsonNode layers = kerasLayers(modelConfig);
        JsonNode last = layers.get(layers.size() - 1);
        String kind = last == null ? "" : last.path("class_name").asText();
        if (!kind.equals("Reshape") && !kind.equals("Permute")) {
            return null;
        }
        ObjectNode copy = modelConfig.deepCopy();
        String name = last.path("config").path("name").asText();
        ObjectNode identity = JSON.createObjectNode();
        identity.put("class_name", "Activation");
        identity.putObject("config").put("name", name + "_identity").put("activation", "linear").put("trainable", false);
        boolean functional = copy.path("config").has("output_layers");
        if (functional) {
            identity.set("inbound_nodes", JSON.createArrayNode().add(JSON.createArrayNode().add(
                    JSON.createArrayNode().add(name).add(0).add(0).add(JSON.createObjectNode()))));
            ((ObjectNode) copy.path("config")).set("output_layers",
                    JSON.createArrayNode().add(JSON.createArrayNode().add(name + "_identity").add(0).add(0)));
        }
        ((ArrayNode) kerasLayers(copy)).add(identity);
        return copy;
    }

    /** DL4J reads the Keras version and backend from the configuration it imports; they are attributes of the file. */
    private static ObjectNode withFileAttributes(Path file, ObjectNode modelConfig) {
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            for (String attribute : List.of("keras_version", "backend")) {
                if (archive.hasAttribute(attribute)) {
                    modelConfig.put(attribute, archive.readAttributeAsString(attribute));
                }
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("Keras file " + file + " is corrupt or truncated: " + firstLine(e), e);
        }
        return modelConfig;
    }

    /**
     * An output layer fed through {@code RnnToFeedForwardPreProcessor}, as DL4J imports a Keras Dense on a sequence
     * (which Keras applies at each time step: [n, T, units]), computes on rows × T rows, so the network's output has one
     * row per sequence and time step instead of one per input row (misc_0 of the corpus: 10 output rows for 2 sequences
     * of 5). In a chain that layer is wrapped in {@code TimeDistributed} instead, on the same parameters: the output is
     * then [n, T, units], Keras' own, and its rows are DL4J's rows regrouped per sequence. In a graph it is refused.
     */
    private static Object perTimeStepOutputAsSequence(Path file, Object network) {
        if (network instanceof MultiLayerNetwork chain) {
            int last = chain.getnLayers() - 1;
            org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = chain.getLayerWiseConfigurations();
            if (!(conf.getInputPreProcess(last) instanceof org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor pre)
                    || !(conf.getConf(last).getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer)) {
                return network;
            }
            org.deeplearning4j.nn.conf.MultiLayerConfiguration sequence = conf.clone();
            org.deeplearning4j.nn.conf.layers.Layer dense = sequence.getConf(last).getLayer();
            org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed wrapped =
                    new org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed(dense, pre.getRnnDataFormat());
            wrapped.setLayerName(dense.getLayerName());
            sequence.getConf(last).setLayer(wrapped);
            sequence.getInputPreProcessors().remove(last);
            MultiLayerNetwork rebuilt = new MultiLayerNetwork(sequence);
            rebuilt.init(chain.params().dup(), false);
            return rebuilt;
        }
        ComputationGraph graph = (ComputationGraph) network;
        for (String name : graph.getConfiguration().getNetworkOutputs()) {
            if (graph.getConfiguration().getVertices().get(name) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex vertex
                    && vertex.getPreProcessor() instanceof org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor) {
                throw new IllegalArgumentException("Keras model " + file + ": output layer '" + name + "' ("
                        + vertex.getLayerConf().getLayer().getClass().getSimpleName() + ") is applied to each time step of"
                        + " a sequence, and DL4J's import of this graph gives its outputs as one row per sequence and time"
                        + " step, not one per input row; explain4j explains one output row per input row");
            }
        }
        return network;
    }

    private static JsonNode kerasLayers(JsonNode modelConfig) {
        JsonNode layers = modelConfig.path("config").path("layers");
        return layers.isMissingNode() ? modelConfig.path("config") : layers;
    }

    /**
     * The names of the Keras {@code Cropping3D} layers on channels-last volumes, which DL4J 1.0.0-M2.1 imports as a
     * cropping of the wrong axes (see {@link Cropping3DChannelsLast}).
     */
    static List<String> channelsLastCroppings(JsonNode modelConfig) {
        List<String> names = new ArrayList<>();
        for (JsonNode layer : kerasLayers(modelConfig)) {
            if ("Cropping3D".equals(layer.path("class_name").asText())
                    && !"channels_first".equals(layer.path("config").path("data_format").asText())) {
                names.add(layer.path("config").path("name").asText());
            }
        }
        return names;
    }

    /**
     * The imported network with each of the named DL4J {@code Cropping3D} layers replaced by a
     * {@link Cropping3DChannelsLast} of the same cropping (they have no parameters, so the others' are kept as they
     * are); the network itself when there are none.
     */
    static Object withChannelsLastCroppings(Object network, List<String> names) {
        if (names.isEmpty()) {
            return network;
        }
        if (network instanceof MultiLayerNetwork chain) {
            org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = chain.getLayerWiseConfigurations().clone();
            for (org.deeplearning4j.nn.conf.NeuralNetConfiguration layer : conf.getConfs()) {
                replaceCropping(layer, names);
            }
            MultiLayerNetwork rebuilt = new MultiLayerNetwork(conf);
            rebuilt.init(chain.params().dup(), false);
            return rebuilt;
        }
        ComputationGraph graph = (ComputationGraph) network;
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        conf.getVertices().values().forEach(vertex -> {
            if (vertex instanceof org.deeplearning4j.nn.conf.graph.LayerVertex layer) {
                replaceCropping(layer.getLayerConf(), names);
            }
        });
        ComputationGraph rebuilt = new ComputationGraph(conf);
        rebuilt.init(graph.params().dup(), false);
        return rebuilt;
    }

    private static void replaceCropping(org.deeplearning4j.nn.conf.NeuralNetConfiguration layer, List<String> names) {
        if (layer.getLayer() instanceof org.deeplearning4j.nn.conf.layers.convolutional.Cropping3D cropping
                && names.contains(cropping.getLayerName())) {
            Cropping3DChannelsLast replacement = new Cropping3DChannelsLast(cropping.getCropping());
            replacement.setLayerName(cropping.getLayerName());
            layer.setLayer(replacement);
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
