package dev.explain4j.io;

import java.io.BufferedOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a text file so that it either appears whole or not at all: the content goes to a temporary file in the
 * destination's directory (the same file system, so the final rename is atomic), which replaces the destination only
 * once everything was written. On any failure the temporary file is deleted and an existing destination is left as
 * it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** What produces a text file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Writer writer) throws IOException;
    }

    /** What produces a binary file's content (pictures, pages already encoded). */
    @FunctionalInterface
    public interface Bytes {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes UTF-8 text to {@code destination}.
     *
     * @throws OutputFileException when the destination cannot be written, with a one-line reason
     */
    public static void write(Path destination, Content content) {
        writeBytes(destination, out -> {
            // writers such as Jackson's close what they are given; closing here must only flush, the file is ours
            Writer writer = new FilterWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            content.writeTo(writer);
            writer.flush();
        });
    }

    /**
     * Writes bytes to {@code destination}.
     *
     * @throws OutputFileException when the destination cannot be written, with a one-line reason
     */
    public static void writeBytes(Path destination, Bytes content) {
        Path target = destination.toAbsolutePath().normalize();
        Path directory = checkDestination(destination, target);
        Path temporary;
        try {
            temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".partial");
        } catch (IOException e) {
            throw new OutputFileException("cannot write " + destination + ": " + reason(e, directory), e);
        }
        boolean moved = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                content.writeTo(out);
            }
            givePermissions(temporary, target);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            throw new OutputFileException("cannot write " + destination + ": " + reason(e, directory), e);
        } finally {
            if (!moved) {
                deleteQuietly(temporary);
            }
        }
    }

    /** Refuses, before anything is written, destinations that cannot work; returns the directory to write in. */
    private static Path checkDestination(Path destination, Path target) {
        if (target.getFileName() == null) {
            throw new OutputFileException("cannot write " + destination + ": not a file name");
        }
        if (Files.isDirectory(target)) {
            throw new OutputFileException("cannot write " + destination + ": it is a directory; expected a file name");
        }
        Path directory = target.getParent();
        if (!Files.exists(directory)) {
            throw new OutputFileException("cannot write " + destination + ": directory " + directory + " does not exist");
        }
        if (!Files.isDirectory(directory)) {
            throw new OutputFileException("cannot write " + destination + ": " + directory + " is not a directory");
        }
        if (!Files.isWritable(directory)) {
            throw new OutputFileException("cannot write " + destination + ": directory " + directory + " is not writable");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new OutputFileException("cannot write " + destination + ": the existing file is read-only");
        }
        return directory;
    }

    /**
     * Temporary files are created owner-only; the result should look like any other file the user writes: the
     * permissions of the file it replaces, or rw-r--r--.
     */
    private static void givePermissions(Path temporary, Path target) throws IOException {
        if (!Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temporary, permissions);
    }

    private static String reason(IOException e, Path directory) {
        if (e instanceof AccessDeniedException) {
            return "permission denied in " + directory;
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the original failure is the one to report; a stray .partial file is named after the destination
        }
    }
}
