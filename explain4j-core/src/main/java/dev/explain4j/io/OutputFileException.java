package dev.explain4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An output file that could not be written (no such directory, not writable, disk full, ...), with a one-line
 * message naming the file and the reason. Whatever went wrong, no partial file was left at the destination.
 */
public final class OutputFileException extends UncheckedIOException {

    OutputFileException(String message, IOException cause) {
        super(message.replace("\r", "\\r").replace("\n", "\\n"), cause);
    }

    OutputFileException(String message) {
        this(message, new IOException(message));
    }
}
