package dev.explain4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.core.Attributions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads back what {@link AttributionsJsonWriter} writes: the values with their shape, method, parameters, seed,
 * targets, outputs at the input and at the reference, completeness deltas, steps used, the tokens, the attention
 * weights, and the feature names. A
 * {@code null} value (non-finite when written) reads as NaN. The reference itself is not in the file.
 *
 * <p>When every value is written in float's shortest form (as the writer writes float results) the values read back
 * as float, else as double, so a file read and written again is the same file. Anything malformed is refused with an {@link IllegalArgumentException} naming the file and the key.
 */
public final class AttributionsJsonReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The writer's keys (kebab-case); LIME's surrogate figures included, standard errors not yet read back. */
    enum Key {
        METHOD("method"),
        PARAMETERS("parameters"),
        SEED("seed"),
        SHAPE("shape"),
        FEATURE_NAMES("feature-names"),
        CLASS_NAMES("class-names"),
        TOKENS("tokens"),
        TARGETS("targets"),
        OUTPUTS("outputs"),
        REFERENCE_OUTPUTS("reference-outputs"),
        COMPLETENESS_DELTA("completeness-delta"),
        STEPS_USED("steps-used"),
        INTERCEPTS("intercepts"),
        FIT_SCORES("fit-scores"),
        LOCAL_PREDICTIONS("local-predictions"),
        ATTENTION("attention"),
        ATTRIBUTIONS("attributions");

        private final String[] names;

        Key(String... names) {
            this.names = names;
        }

        JsonNode in(JsonNode object) {
            for (String name : names) {
                JsonNode node = object.get(name);
                if (node != null && !node.isNull()) {
                    return node;
                }
            }
            return null;
        }

        String spelling() {
            return names[0];
        }
    }

    /** A file's attributions, the input's feature names and the model's class names, when it had them. */
    public record Contents(Attributions attributions, Optional<List<String>> featureNames,
                           Optional<List<String>> classNames) {
    }

    private AttributionsJsonReader() {
    }

    /** @throws IllegalArgumentException naming the file (and the key) when it is missing, unreadable or malformed */
    public static Contents read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.newBufferedReader(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object as explain4j explain writes it");
        }
        return new Contents(attributions(file, root), names(file, root, Key.FEATURE_NAMES), names(file, root, Key.CLASS_NAMES));
    }

    private static Attributions attributions(Path file, JsonNode root) {
        JsonNode method = require(file, root, Key.METHOD);
        long[] shape = longs(file, require(file, root, Key.SHAPE), Key.SHAPE);
        INDArray values = rows(file, shape, Key.SHAPE, require(file, root, Key.ATTRIBUTIONS), Key.ATTRIBUTIONS);
        Attributions.Builder b = Attributions.builder(method.asText(), values);
        JsonNode parameters = Key.PARAMETERS.in(root);
        if (parameters != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                b.parameter(p.getKey(), p.getValue().asText());
            }
        }
        JsonNode seed = Key.SEED.in(root);
        if (seed != null) {
            if (!seed.canConvertToLong() || !seed.isIntegralNumber()) {
                throw bad(file, Key.SEED, "expected an integer");
            }
            b.seed(seed.asLong());
        }
        ints(file, root, Key.TARGETS).ifPresent(b::targets);
        doubles(file, root, Key.OUTPUTS).ifPresent(b::targetOutputs);
        doubles(file, root, Key.REFERENCE_OUTPUTS).ifPresent(b::referenceOutputs);
        doubles(file, root, Key.COMPLETENESS_DELTA).ifPresent(b::completenessDelta);
        ints(file, root, Key.STEPS_USED).ifPresent(b::stepsUsed);
        doubles(file, root, Key.INTERCEPTS).ifPresent(b::intercepts);
        doubles(file, root, Key.FIT_SCORES).ifPresent(b::fitScores);
        doubles(file, root, Key.LOCAL_PREDICTIONS).ifPresent(b::localPredictions);
        tokens(file, root).ifPresent(b::tokens);
        attention(file, root).ifPresent(b::attention);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /**
     * An array of the given shape from one JSON array per row (its first dimension) of its values row-major: float
     * when every value is in float's shortest form (as the writer writes float results), else double.
     */
    private static INDArray rows(Path file, long[] shape, Key shapeKey, JsonNode rows, Key key) {
        if (!rows.isArray() || shape.length == 0 || shape[0] != rows.size()) {
            throw bad(file, key, "expected one array per row, " + (shape.length == 0 ? "?" : shape[0]) + " rows");
        }
        long width = 1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw bad(file, shapeKey, "negative dimension " + shape[i]);
            }
            width = Math.multiplyExact(width, shape[i]);
        }
        if (Math.multiplyExact(width, shape[0]) > Integer.MAX_VALUE - 8) {
            throw bad(file, shapeKey, "too many values for one array");
        }
        double[] flat = new double[(int) (width * shape[0])];
        boolean singlePrecision = true;
        int at = 0;
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            if (!row.isArray() || row.size() != width) {
                throw bad(file, key, "row " + (r + 1) + " has " + (row.isArray() ? row.size() : 0)
                        + " values, expected " + width);
            }
            for (JsonNode v : row) {
                double value = number(file, v, key);
                singlePrecision &= Double.isNaN(value) || Double.parseDouble(Float.toString((float) value)) == value;
                flat[at++] = value;
            }
        }
        DataType type = singlePrecision ? DataType.FLOAT : DataType.DOUBLE;
        return Nd4j.createFromArray(flat).castTo(type).reshape('c', shape);
    }

    /** Per attention layer its shape and weights, as {@code AttributionsJsonWriter} writes them. */
    private static Optional<Map<String, INDArray>> attention(Path file, JsonNode root) {
        JsonNode node = Key.ATTENTION.in(root);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw bad(file, Key.ATTENTION, "expected an object of layers");
        }
        Map<String, INDArray> layers = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> layer = it.next();
            JsonNode shape = layer.getValue().get("shape");
            JsonNode weights = layer.getValue().get("weights");
            if (shape == null || weights == null) {
                throw bad(file, Key.ATTENTION, "layer '" + layer.getKey() + "': expected its shape and weights");
            }
            layers.put(layer.getKey(), rows(file, longs(file, shape, Key.ATTENTION), Key.ATTENTION, weights, Key.ATTENTION));
        }
        return Optional.of(layers);
    }

    private static Optional<List<String>> names(Path file, JsonNode root, Key key) {
        JsonNode names = key.in(root);
        if (names == null) {
            return Optional.empty();
        }
        if (!names.isArray()) {
            throw bad(file, key, "expected an array of names");
        }
        List<String> out = new ArrayList<>();
        names.forEach(n -> out.add(n.asText()));
        return Optional.of(List.copyOf(out));
    }

    /** Per row an array of strings, null at padding. */
    private static Optional<List<List<String>>> tokens(Path file, JsonNode root) {
        JsonNode node = Key.TOKENS.in(root);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw bad(file, Key.TOKENS, "expected one array of tokens per row");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < node.size(); r++) {
            JsonNode row = node.get(r);
            if (!row.isArray()) {
                throw bad(file, Key.TOKENS, "row " + (r + 1) + ": expected an array of tokens");
            }
            List<String> tokens = new ArrayList<>();
            for (JsonNode token : row) {
                if (!token.isNull() && !token.isTextual()) {
                    throw bad(file, Key.TOKENS, "row " + (r + 1) + ": expected strings or null, got " + token);
                }
                tokens.add(token.isNull() ? null : token.asText());
            }
            rows.add(tokens);
        }
        return Optional.of(rows);
    }

    private static JsonNode require(Path file, JsonNode root, Key key) {
        JsonNode node = key.in(root);
        if (node == null) {
            throw bad(file, key, "missing");
        }
        return node;
    }

    private static Optional<double[]> doubles(Path file, JsonNode root, Key key) {
        JsonNode node = key.in(root);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw bad(file, key, "expected an array of numbers");
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(file, node.get(i), key);
        }
        return Optional.of(out);
    }

    private static Optional<int[]> ints(Path file, JsonNode root, Key key) {
        JsonNode node = key.in(root);
        if (node == null) {
            return Optional.empty();
        }
        long[] values = longs(file, node, key);
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            if (values[i] != (int) values[i]) {
                throw bad(file, key, values[i] + " is out of range");
            }
            out[i] = (int) values[i];
        }
        return Optional.of(out);
    }

    private static long[] longs(Path file, JsonNode node, Key key) {
        if (!node.isArray()) {
            throw bad(file, key, "expected an array of integers");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad(file, key, "expected integers, got " + v);
            }
            out[i] = v.asLong();
        }
        return out;
    }

    private static double number(Path file, JsonNode v, Key key) {
        if (v.isNull()) {
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw bad(file, key, "expected numbers, got " + v);
        }
        return v.asDouble();
    }

    private static IllegalArgumentException bad(Path file, Key key, String what) {
        return new IllegalArgumentException(file + ": key '" + key.spelling() + "': " + what);
    }
}
