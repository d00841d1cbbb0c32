package dev.explain4j.text;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The one way text inputs (vocabularies, documents) are read: UTF-8, a leading byte-order mark dropped. */
public final class TextFiles {
    private TextFiles() {
    }

    /** @throws IllegalArgumentException naming the file when it is missing, not UTF-8 or unreadable */
    public static String read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
