package dev.explain4j.io;

import java.io.BufferedOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file so that it either appears whole or not at all: the content goes to a temporary file
 * {@code .NAME.PID-N.partial} in the destination's directory (the same file system, so the final rename is atomic),
 * which replaces the destination only once everything was written. On any failure the temporary file is deleted and an
 * existing destination is left as it was; a shutdown hook deletes the temporary files of a run stopped by SIGINT or
 * SIGTERM, and the next write of the same destination deletes those left by a process that no longer runs (killed
 * with SIGKILL, power cut).
 *
 * <p>A new file gets the permissions the user's umask gives; a replaced file keeps its own. Inside
 * {@link #allOrNothing(Runnable)} the files written by one command appear together, or none of them does.
 */
public final class AtomicFiles {
    private static final String SUFFIX = ".partial";
    /** Temporary files being written by this process, deleted by the shutdown hook if the JVM stops first. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();
    /** The group of {@link #allOrNothing} running on this thread: destination → its written temporary file. */
    private static final ThreadLocal<Map<Path, Path>> GROUP = new ThreadLocal<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> IN_PROGRESS.forEach(AtomicFiles::deleteQuietly),
                "explain4j-partial-files"));
    }

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
        deleteStalePartials(directory, target.getFileName().toString());
        Path temporary = createTemporary(destination, directory, target);
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                content.writeTo(out);
            }
            Map<Path, Path> group = GROUP.get();
            if (group != null) {
                Path earlier = group.put(target, temporary);
                if (earlier != null) {
                    discard(earlier);
                }
            } else {
                commit(target, temporary);
            }
            done = true;
        } catch (IOException e) {
            throw new OutputFileException("cannot write " + destination + ": " + reason(e, directory), e);
        } finally {
            if (!done) {
                discard(temporary);
            }
        }
    }

    /**
     * Runs {@code writes} so that the files it writes through this class appear together once it returns, or, if it
     * fails anywhere, none of them appears (and files they would have replaced stay as they were).
     */
    public static void allOrNothing(Runnable writes) {
        if (GROUP.get() != null) {
            writes.run(); // already inside a group: its files join it
            return;
        }
        Map<Path, Path> group = new LinkedHashMap<>();
        GROUP.set(group);
        try {
            writes.run();
            GROUP.remove();
            // every file is complete on disk before the first rename: what remains can fail only as a rename can
            for (Map.Entry<Path, Path> file : group.entrySet()) {
                try {
                    commit(file.getKey(), file.getValue());
                } catch (IOException e) {
                    throw new OutputFileException("cannot write " + file.getKey() + ": " + reason(e, file.getKey().getParent()), e);
                }
            }
            group.clear();
        } finally {
            GROUP.remove();
            group.values().forEach(AtomicFiles::discard);
        }
    }

    private static void commit(Path target, Path temporary) throws IOException {
        if (Files.exists(target) && Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        IN_PROGRESS.remove(temporary);
    }

    /**
     * Created with the default permissions (0666 less the umask), not {@code Files.createTempFile}'s owner-only 0600:
     * the result must look like any other file the user writes.
     */
    private static Path createTemporary(Path destination, Path directory, Path target) {
        String prefix = "." + target.getFileName() + "." + ProcessHandle.current().pid() + "-";
        while (true) {
            Path temporary = directory.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + SUFFIX);
            IN_PROGRESS.add(temporary);
            try {
                Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temporary;
            } catch (FileAlreadyExistsException taken) {
                IN_PROGRESS.remove(temporary);
            } catch (IOException e) {
                IN_PROGRESS.remove(temporary);
                throw new OutputFileException("cannot write " + destination + ": " + reason(e, directory), e);
            }
        }
    }

    /** Deletes the temporary files of {@code name} whose writer process is gone; a running writer's stay. */
    private static void deleteStalePartials(Path directory, String name) {
        // .NAME.PID-N.partial; earlier versions wrote .NAME.N.partial, N random, which reads as the pid of no process
        Pattern own = Pattern.compile(Pattern.quote("." + name + ".") + "(\\d+)(-\\d+)?" + Pattern.quote(SUFFIX));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "." + globEscape(name) + ".*" + SUFFIX)) {
            for (Path file : files) {
                Matcher m = own.matcher(file.getFileName().toString());
                if (m.matches() && !isRunning(m.group(1))) {
                    deleteQuietly(file);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // cleaning is a courtesy: the write itself reports what is wrong with the directory
        }
    }

    private static boolean isRunning(String pid) {
        try {
            long id = Long.parseLong(pid);
            return id == ProcessHandle.current().pid() || ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException tooLong) {
            return false;
        }
    }

    private static String globEscape(String name) {
        return name.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
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

    private static String reason(IOException e, Path directory) {
        if (e instanceof AccessDeniedException) {
            return directory == null ? "permission denied" : "permission denied in " + directory;
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void discard(Path temporary) {
        deleteQuietly(temporary);
        IN_PROGRESS.remove(temporary);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the original failure is the one to report; a stray .partial file is removed by the next write
        }
    }
}
