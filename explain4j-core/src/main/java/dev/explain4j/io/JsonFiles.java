package dev.explain4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Path;

/**
 * JSON for results other than {@link dev.explain4j.core.Attributions} (global views, metrics): maps and result records
 * as Jackson writes them, every key kebab-case (record fields included), the file whole or not at all.
 */
public final class JsonFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);

    private JsonFiles() {
    }

    /** @throws OutputFileException when the file cannot be written */
    public static void write(Object value, Path file) {
        AtomicFiles.write(file, w -> JSON.writeValue(w, value));
    }

    /** The text {@link #write} would put in a file. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
