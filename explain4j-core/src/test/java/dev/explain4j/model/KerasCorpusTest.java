package dev.explain4j.model;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Robustness and correctness on 454 real Keras files (testdata/keras-corpus): each one either imports and gets finite
 * saliency of its input's shape on a generated input, whose signed gradient in double agrees with central finite
 * differences of DL4J's own output (see {@link KerasCorpusProbe#finiteDifferenceCheck}), or is refused with an
 * IllegalArgumentException naming the file (at import) or the layer (at explanation). No other exception, no hang (a
 * per-file time limit), no crash. The files are explained
 * in child JVMs ({@link KerasCorpusProbe}), so a crash or a hang is pinned on the file in progress.
 */
class KerasCorpusTest {
    private static final Path CORPUS = Path.of("testdata", "keras-corpus");
    private static final long SECONDS_PER_FILE = 60;
    private static final int FILES_PER_CHILD = 120;
    /** Where a crashed child writes its JVM crash log, not the project root (the JVM falls back there if it is missing). */
    private static final Path CRASH_LOGS = Path.of("target", "keras-corpus-crashes");
    /** Outcomes of the corpus today (307 + 54 + 93 = 454 files); raise the floor when more files are explained. */
    private static final int EXPLAINED_FLOOR = 307;
    private static final int REFUSED_AT_IMPORT_CEILING = 54;
    private static final int REFUSED_AT_EXPLAIN_CEILING = 93;

    @Test
    void everyFileIsExplainedOrClearlyRefused() throws Exception {
        List<String> files;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            files = walk.map(Path::toString).filter(p -> p.endsWith(".h5") || p.endsWith(".hdf5")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(450);
        Files.createDirectories(CRASH_LOGS);
        Map<String, String> outcomes = new TreeMap<>();
        List<String> defects = new ArrayList<>();
        int next = 0;
        while (next < files.size()) {
            List<String> batch = files.subList(next, Math.min(files.size(), next + FILES_PER_CHILD));
            next += runChild(batch, outcomes, defects);
        }
        // explained files by their finite-difference error, worst first: "error at row ..., coordinate ... (file)"
        List<String> checks = outcomes.entrySet().stream().filter(o -> o.getValue().startsWith("EXPLAINED"))
                .map(o -> o.getValue().substring(o.getValue().indexOf(KerasCorpusProbe.FD_ERROR) + KerasCorpusProbe.FD_ERROR.length())
                        + " (" + o.getKey() + ")")
                .sorted(Comparator.comparingDouble((String c) -> Double.parseDouble(c.split(" ")[0])).reversed())
                .toList();
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        outcomes.forEach((file, line) -> {
            String outcome = line.split("\t", 2)[0];
            counts.merge(outcome, 1, Integer::sum);
            if (!outcome.equals("EXPLAINED")) {
                reasons.merge(line.replaceAll("testdata/\\S+", "FILE").replaceAll("\\d+", "#"), 1, Integer::sum);
            }
            if (outcome.equals("DEFECT")) {
                defects.add(file + ": " + line);
            }
        });
        System.out.println("Keras corpus: " + files.size() + " files, " + counts);
        System.out.println("  worst relative errors of explained files' signed saliency in double against central finite"
                + " differences (bound " + KerasCorpusProbe.MAX_RELATIVE_ERROR + "):");
        checks.stream().limit(3).forEach(check -> System.out.println("    " + check));
        reasons.forEach((reason, n) -> System.out.println("  " + n + " × " + (reason.length() > 200 ? reason.substring(0, 200) : reason)));
        assertThat(defects).isEmpty();
        assertThat(outcomes).hasSize(files.size());
        // the floor measured on this corpus: a file that stops importing or explaining is a regression
        assertThat(counts.getOrDefault("EXPLAINED", 0)).as("explained").isGreaterThanOrEqualTo(EXPLAINED_FLOOR);
        assertThat(counts.getOrDefault("REFUSED_AT_IMPORT", 0)).as("refused at import").isLessThanOrEqualTo(REFUSED_AT_IMPORT_CEILING);
        assertThat(counts.getOrDefault("REFUSED_AT_EXPLAIN", 0)).as("refused at explain").isLessThanOrEqualTo(REFUSED_AT_EXPLAIN_CEILING);
    }

    /** Explains {@code batch} in one child JVM; returns how many files it settled (at least one). */
    private static int runChild(List<String> batch, Map<String, String> outcomes, List<String> defects) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-XX:ErrorFile=" + CRASH_LOGS.toAbsolutePath() + "/hs_err_pid%p.log", "-cp", System.getProperty("java.class.path"), KerasCorpusProbe.class.getName()));
        command.addAll(batch);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the child died; the loop below notices
            }
            lines.add("EOF");
        });
        reader.setDaemon(true);
        reader.start();
        int settled = 0;
        String current = null;
        try {
            while (true) {
                String line = lines.poll(SECONDS_PER_FILE, TimeUnit.SECONDS);
                if (line == null) {
                    defects.add(current + ": no answer within " + SECONDS_PER_FILE + " s");
                    return settled + 1;
                }
                if (line.startsWith("START\t")) {
                    current = line.substring(6);
                } else if (line.startsWith("DONE\t")) {
                    String[] parts = line.split("\t", 3);
                    outcomes.put(parts[1], parts.length > 2 ? parts[2] : "");
                    settled++;
                    current = null;
                } else if (line.equals("FINISHED")) {
                    return settled;
                } else if (line.equals("EOF")) {
                    defects.add((current != null ? current : "after " + settled + " files") + ": the JVM crashed (crash log in " + CRASH_LOGS + ", exit code "
                            + child.waitFor() + ")");
                    return Math.max(1, settled + (current != null ? 1 : 0));
                }
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
