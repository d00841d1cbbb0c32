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
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Robustness and correctness on 454 real Keras files (testdata/keras-corpus): each one either imports and gets finite
 * saliency of its input's shape on a generated input, whose signed gradient in double agrees with central finite
 * differences of DL4J's own output (see {@link KerasCorpusProbe#finiteDifferenceCheck}; token models at their
 * embedding's output, {@link KerasCorpusProbe#embeddingFiniteDifferenceCheck}), or is refused with an
 * IllegalArgumentException naming the file (at import) or the layer (at explanation). No other exception, no hang (a
 * per-file time limit), no crash. The files are explained
 * in child JVMs ({@link KerasCorpusProbe}), so a crash or a hang is pinned on the file in progress. The outcomes are
 * counted per cause and asserted exactly, with the files of each refusal printed.
 */
class KerasCorpusTest {
    private static final Path CORPUS = Path.of("testdata", "keras-corpus");
    private static final long SECONDS_PER_FILE = 60;
    private static final int FILES_PER_CHILD = 120;
    /** Where a crashed child writes its JVM crash log, not the project root (the JVM falls back there if it is missing). */
    private static final Path CRASH_LOGS = Path.of("target", "keras-corpus-crashes");
    /**
     * What every refusal is for: the outcome, then a name for the cause, recognised by a pattern of its message. A
     * refusal none of them names is counted as "unrecognised", which the exact counts below do not allow.
     */
    private static final Map<String, Pattern> CAUSES = causes(
            "REFUSED_AT_IMPORT Conv2DTranspose weights left random by DL4J", "does not read parameter 'W' of layer 'conv\\d*d_transpose",
            "REFUSED_AT_IMPORT ConvLSTM2D unsupported by DL4J", "ConvLSTM2D",
            "REFUSED_AT_IMPORT LocallyConnected unsupported by DL4J", "Unsupported keras layer type LocallyConnected",
            "REFUSED_AT_IMPORT DL4J import fails: Error parsing protobuf", "Error parsing protobuf",
            "REFUSED_AT_IMPORT DL4J import fails: Index out of bounds", "cannot be imported by DL4J: Index \\d+ out of bounds",
            "REFUSED_AT_EXPLAIN Cropping3D crops all of its input (Keras' output is empty)", "\\(Cropping3D, channels_last\\) crops .* its output is empty");
    /**
     * Outcomes of the corpus today, exactly, per cause (400 explained + 54 refused = 454 files): a file that stops
     * being explained, or one that starts, changes a count, and the counts are then set again deliberately.
     */
    private static final Map<String, Integer> EXPECTED = new TreeMap<>(Map.of(
            "EXPLAINED", 400,
            "REFUSED_AT_IMPORT Conv2DTranspose weights left random by DL4J", 8,
            "REFUSED_AT_IMPORT ConvLSTM2D unsupported by DL4J", 16,
            "REFUSED_AT_IMPORT LocallyConnected unsupported by DL4J", 8,
            "REFUSED_AT_IMPORT DL4J import fails: Error parsing protobuf", 4,
            "REFUSED_AT_IMPORT DL4J import fails: Index out of bounds", 16,
            "REFUSED_AT_EXPLAIN Cropping3D crops all of its input (Keras' output is empty)", 2));

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
        Map<String, Integer> causes = new TreeMap<>();
        Map<String, List<String>> filesByCause = new TreeMap<>();
        outcomes.forEach((file, line) -> {
            String outcome = line.split("\t", 2)[0];
            counts.merge(outcome, 1, Integer::sum);
            if (outcome.equals("DEFECT")) {
                defects.add(file + ": " + line);
                return;
            }
            String cause = cause(outcome, line);
            causes.merge(cause, 1, Integer::sum);
            if (!outcome.equals("EXPLAINED")) {
                filesByCause.computeIfAbsent(cause, c -> new ArrayList<>()).add(Path.of(file).getFileName()
                        + (cause.endsWith("unrecognised") ? " (" + line + ")" : ""));
            }
        });
        System.out.println("Keras corpus: " + files.size() + " files, " + counts);
        System.out.println("  worst relative errors of explained files' signed saliency in double against central finite"
                + " differences (bound " + KerasCorpusProbe.MAX_RELATIVE_ERROR + "):");
        checks.stream().limit(3).forEach(check -> System.out.println("    " + check));
        causes.forEach((cause, n) -> System.out.println("  " + n + " × " + cause
                + (filesByCause.containsKey(cause) ? ": " + String.join(", ", filesByCause.get(cause)) : "")));
        assertThat(defects).isEmpty();
        assertThat(outcomes).hasSize(files.size());
        assertThat(causes).as("outcomes per cause").isEqualTo(EXPECTED);
    }

    /** The outcome and the name of its cause in {@link #CAUSES} ("EXPLAINED" for an explained file). */
    private static String cause(String outcome, String line) {
        if (outcome.equals("EXPLAINED")) {
            return outcome;
        }
        return CAUSES.entrySet().stream().filter(c -> c.getKey().startsWith(outcome + " ") && c.getValue().matcher(line).find())
                .map(Map.Entry::getKey).findFirst().orElse(outcome + " unrecognised");
    }

    /** Name, pattern, name, pattern, ... in order. */
    private static Map<String, Pattern> causes(String... namesAndPatterns) {
        Map<String, Pattern> causes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndPatterns.length; i += 2) {
            causes.put(namesAndPatterns[i], Pattern.compile(namesAndPatterns[i + 1]));
        }
        return causes;
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
