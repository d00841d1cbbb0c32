package dev.explain4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.explain4j.core.Attributions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes attributions as one JSON object with kebab-case keys: {@code method}, {@code parameters} (name → value as
 * text), {@code seed}, {@code reference} (how the reference was given: zero, mean, row, rows, blur:σ, distribution),
 * {@code shape} (of the values: rows first, then the input's or layer's dimensions), {@code feature-names},
 * {@code class-names} (the model's outputs by index, when known),
 * {@code tokens} (per row the token at each position, {@code null} at padding; token models explained from text),
 * {@code targets}, {@code outputs} (f_target at the input), {@code reference-outputs}, {@code completeness-delta},
 * {@code steps-used}, LIME's {@code intercepts}, {@code fit-scores} and {@code local-predictions}, and
 * {@code attributions} and {@code standard-errors}: one array per row, flattened row-major. Every key is always present;
 * what the method does not provide is {@code null}. A non-finite number, which JSON cannot hold, is written as
 * {@code null} too. The file appears whole or not at all ({@link AtomicFiles}).
 */
public final class AttributionsJsonWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private AttributionsJsonWriter() {
    }

    /** Writes without feature names. */
    public static void write(Attributions attributions, Path destination) {
        write(attributions, Optional.empty(), destination);
    }

    /**
     * @param featureNames the input's header, one name per flattened value
     * @throws IllegalArgumentException when the names' count is not the attributions' width
     * @throws OutputFileException when the file cannot be written
     */
    public static void write(Attributions attributions, Optional<List<String>> featureNames, Path destination) {
        write(attributions, featureNames, List.of(), destination);
    }

    /**
     * As {@link #write(Attributions, Optional, Path)}, with the names of the model's outputs (empty: none known), so
     * that plots and readers of the file can name the target classes.
     */
    public static void write(Attributions attributions, Optional<List<String>> featureNames, List<String> classNames,
                             Path destination) {
        AttributionValues values = AttributionValues.of(attributions);
        values.checkHeader(featureNames);
        AtomicFiles.write(destination, writer -> {
            try (JsonGenerator json = JSON.createGenerator(writer)) {
                json.useDefaultPrettyPrinter();
                json.writeStartObject();
                json.writeStringField("method", attributions.method());
                json.writeObjectFieldStart("parameters");
                for (Map.Entry<String, String> parameter : attributions.parameters().entrySet()) {
                    json.writeStringField(parameter.getKey(), parameter.getValue());
                }
                json.writeEndObject();
                json.writeFieldName("seed");
                if (attributions.seed().isPresent()) {
                    json.writeNumber(attributions.seed().get());
                } else {
                    json.writeNull();
                }
                json.writeFieldName("reference");
                if (attributions.reference().isPresent()) {
                    json.writeString(attributions.reference().get().describe());
                } else {
                    json.writeNull();
                }
                json.writeFieldName("shape");
                long[] shape = attributions.values().shape();
                json.writeArray(shape, 0, shape.length);
                writeStrings(json, "feature-names", featureNames);
                writeStrings(json, "class-names", classNames.isEmpty() ? Optional.empty() : Optional.of(classNames));
                json.writeFieldName("tokens");
                if (attributions.tokens().isPresent()) {
                    json.writeStartArray();
                    for (List<String> row : attributions.tokens().get()) {
                        json.writeStartArray();
                        for (String token : row) {
                            json.writeString(token);
                        }
                        json.writeEndArray();
                    }
                    json.writeEndArray();
                } else {
                    json.writeNull();
                }
                writeAttention(json, attributions);
                writeInts(json, "targets", attributions.targets());
                writeDoubles(json, "outputs", attributions.targetOutputs());
                writeDoubles(json, "reference-outputs", attributions.referenceOutputs());
                writeDoubles(json, "completeness-delta", attributions.completenessDelta());
                writeInts(json, "steps-used", attributions.stepsUsed());
                writeDoubles(json, "intercepts", attributions.intercepts());
                writeDoubles(json, "fit-scores", attributions.fitScores());
                writeDoubles(json, "local-predictions", attributions.localPredictions());
                writeRows(json, "attributions", values);
                json.writeFieldName("standard-errors");
                if (attributions.standardErrors().isPresent()) {
                    writeRows(json, null, AttributionValues.of(attributions.withValues(attributions.standardErrors().get())));
                } else {
                    json.writeNull();
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
        });
    }

    /**
     * "attention": per layer its shape [rows, heads, queries, keys] and one array per row of its weights, row-major
     * over heads, queries and keys; null without attention weights.
     */
    private static void writeAttention(JsonGenerator json, Attributions attributions) throws IOException {
        json.writeFieldName("attention");
        if (attributions.attention().isEmpty()) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        for (Map.Entry<String, INDArray> layer : attributions.attention().get().entrySet()) {
            INDArray weights = layer.getValue();
            json.writeObjectFieldStart(layer.getKey());
            json.writeFieldName("shape");
            json.writeArray(weights.shape(), 0, weights.rank());
            json.writeFieldName("weights");
            json.writeStartArray();
            boolean single = weights.dataType() == DataType.FLOAT;
            for (long r = 0; r < weights.size(0); r++) {
                json.writeStartArray();
                for (double value : weights.get(NDArrayIndex.point(r)).dup('c').data().asDouble()) {
                    writeValue(json, value, single);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    /** One array per row; the field name is null when the caller already wrote it. */
    private static void writeRows(JsonGenerator json, String field, AttributionValues values) throws IOException {
        if (field != null) {
            json.writeFieldName(field);
        }
        json.writeStartArray();
        for (double[] row : values.rows()) {
            json.writeStartArray();
            for (double value : row) {
                writeValue(json, value, values.singlePrecision());
            }
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    private static void writeStrings(JsonGenerator json, String field, Optional<List<String>> strings) throws IOException {
        json.writeFieldName(field);
        if (strings.isPresent()) {
            json.writeStartArray();
            for (String s : strings.get()) {
                json.writeString(s);
            }
            json.writeEndArray();
        } else {
            json.writeNull();
        }
    }

    private static void writeInts(JsonGenerator json, String field, Optional<int[]> values) throws IOException {
        json.writeFieldName(field);
        if (values.isPresent()) {
            json.writeArray(values.get(), 0, values.get().length);
        } else {
            json.writeNull();
        }
    }

    private static void writeDoubles(JsonGenerator json, String field, Optional<double[]> values) throws IOException {
        json.writeFieldName(field);
        if (values.isPresent()) {
            json.writeStartArray();
            for (double value : values.get()) {
                writeValue(json, value, false);
            }
            json.writeEndArray();
        } else {
            json.writeNull();
        }
    }

    private static void writeValue(JsonGenerator json, double value, boolean singlePrecision) throws IOException {
        if (!Double.isFinite(value)) {
            json.writeNull();
        } else if (singlePrecision) {
            json.writeNumber((float) value);
        } else {
            json.writeNumber(value);
        }
    }
}
