package dev.explain4j.spark;

import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One {@link NetworkModel} per executor JVM and model: built once from the broadcast file, then shared by every task
 * of the executor (the engine is thread-safe: each thread borrows its own copy of the network). Keyed by the file's
 * SHA-256 and the settings that make another model of it, so a stage run again, or a copy of it, finds the model
 * already built. At most {@link #MAX_MODELS} are kept; the oldest is dropped (not closed: a running task may hold it,
 * and an unreachable model releases its native memory itself).
 */
final class ExecutorModels {
    static final int MAX_MODELS = 8;
    private static final Map<String, NetworkModel> MODELS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NetworkModel> eldest) {
            return size() > MAX_MODELS;
        }
    };
    private static boolean threadsSet;

    private ExecutorModels() {
    }

    /** SHA-256 of the model file, in hex. */
    static String key(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The model the spec names, built from {@code bytes} (asked for only when this JVM has not built it yet). */
    static synchronized NetworkModel get(ExplainSpec spec, Supplier<byte[]> bytes) {
        NetworkModel model = MODELS.get(spec.modelCacheKey());
        if (model == null) {
            setThreads();
            model = spec.configure(load(bytes.get(), spec.graphOutput()));
            MODELS.put(spec.modelCacheKey(), model);
        }
        return model;
    }

    /** ModelLoader recognises a file by its content: the bytes go through a temporary file, deleted at once. */
    private static NetworkModel load(byte[] bytes, String graphOutput) {
        Path file = null;
        try {
            file = Files.createTempFile("explain4j-model", ".bin");
            Files.write(file, bytes);
            return ModelLoader.load(file, graphOutput);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model to a temporary file: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind is the operating system's to clean
                }
            }
        }
    }

    /**
     * On a cluster executor, ND4J's OpenMP threads per call = spark.task.cpus: the executor runs cores / task.cpus
     * tasks at once, so its cores are used without oversubscription (with the default, one pool as large as the
     * machine per call, concurrent tasks fight for the cores). An OMP_NUM_THREADS the user set wins; in local mode
     * the JVM is the user's own and is left as it is.
     */
    private static void setThreads() {
        TaskContext task = TaskContext.get();
        if (threadsSet || task == null || System.getenv("OMP_NUM_THREADS") != null
                || SparkEnv.get() == null || SparkEnv.get().conf().get("spark.master", "").startsWith("local")) {
            return;
        }
        Nd4j.getEnvironment().setMaxThreads(Math.max(1, task.cpus()));
        threadsSet = true;
    }
}
