package dev.explain4j.model;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.Saliency;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Robustness on 454 real Keras files (testdata/keras-corpus): each one either imports and gets finite saliency of its
 * input's shape on a generated input, or is refused with an IllegalArgumentException naming the file. No other
 * exception, no hang (per-file time limit).
 */
class KerasCorpusTest {
    private static final Path CORPUS = Path.of("testdata", "keras-corpus");
    private static final long SECONDS_PER_FILE = 60;
    /** Length given to free (None) dimensions of generated inputs, e.g. sequence length. */
    private static final long FREE_DIMENSION = 6;

    enum Outcome { EXPLAINED, REFUSED_AT_IMPORT, REFUSED_AT_EXPLAIN }

    private record Result(Path file, Outcome outcome, String message) {
    }

    @Test
    void everyFileIsExplainedOrClearlyRefused() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            files = walk.filter(p -> p.toString().endsWith(".h5") || p.toString().endsWith(".hdf5")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(450);
        List<Result> results = new ArrayList<>();
        List<String> defects = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "keras-corpus");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Path file : files) {
                Future<Result> future = worker.submit(() -> explain(file));
                try {
                    results.add(future.get(SECONDS_PER_FILE, TimeUnit.SECONDS));
                } catch (TimeoutException e) {
                    future.cancel(true);
                    defects.add(file + ": no answer within " + SECONDS_PER_FILE + " s");
                } catch (java.util.concurrent.ExecutionException e) {
                    defects.add(file + ": " + e.getCause() + " at " + Arrays.stream(e.getCause().getStackTrace()).limit(6).toList());
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Map<Outcome, Integer> counts = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (Result r : results) {
            counts.merge(r.outcome(), 1, Integer::sum);
            if (r.outcome() != Outcome.EXPLAINED) {
                reasons.merge(reason(r.message()), 1, Integer::sum);
            }
        }
        System.out.println("Keras corpus: " + files.size() + " files, " + counts);
        reasons.forEach((reason, n) -> System.out.println("  " + n + " × " + reason));
        results.stream().filter(r -> r.outcome() != Outcome.EXPLAINED)
                .forEach(r -> System.out.println("  " + r.file().getFileName() + ": " + r.message()));
        assertThat(defects).isEmpty();
        assertThat(counts.getOrDefault(Outcome.EXPLAINED, 0)).isGreaterThan(files.size() / 2);
    }

    /** The message with file names and numbers stripped, to group refusals by kind. */
    private static String reason(String message) {
        String m = message.replaceAll("testdata/\\S+", "FILE").replaceAll("\\d+", "#");
        return m.length() > 160 ? m.substring(0, 160) : m;
    }

    private static Result explain(Path file) {
        NetworkModel model;
        try {
            model = ModelLoader.load(file, null);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("refusal of %s", file).contains(file.toString());
            return new Result(file, Outcome.REFUSED_AT_IMPORT, e.getMessage());
        }
        long[] rowShape = model.inputShape();
        if (rowShape == null) {
            return new Result(file, Outcome.REFUSED_AT_EXPLAIN, "input shape unknown");
        }
        long[] shape = new long[rowShape.length + 1];
        shape[0] = 2;
        for (int i = 0; i < rowShape.length; i++) {
            shape[i + 1] = rowShape[i] < 0 ? FREE_DIMENSION : rowShape[i];
        }
        INDArray x = Nd4j.rand(model.dataType(), shape);
        try {
            Attributions saliency = Saliency.of(model).attribute(x, Target.predicted());
            INDArray values = saliency.values();
            assertThat(values.shape()).as("%s", file).containsExactly(shape);
            assertThat(values.isNaN().any() || values.isInfinite().any()).as("non-finite saliency for %s", file).isFalse();
            return new Result(file, Outcome.EXPLAINED, "");
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new Result(file, Outcome.REFUSED_AT_EXPLAIN, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
