package dev.explain4j.cli;

import dev.explain4j.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The folder `report` and `global` write several files into: all of them appear, or none does. */
final class OutputFolder {
    private OutputFolder() {
    }

    /** Refuses, before any work, an {@code --out} that names something other than a folder. */
    static void check(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is an existing file; --out must be a folder"
                    + " (an existing one or one to create)");
        }
    }

    /** Creates {@code dir} if needed and runs {@code writes} all-or-nothing. */
    static void write(Path dir, Runnable writes) {
        check(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output folder " + dir + ": " + reason(e), e);
        }
        AtomicFiles.allOrNothing(writes);
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "a file of that name is in the way"
                : e.getMessage();
    }
}
