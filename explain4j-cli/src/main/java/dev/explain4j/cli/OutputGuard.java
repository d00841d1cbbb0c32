package dev.explain4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * Refuses, before any work, an output that would replace one of the command's own inputs: {@code --out x.csv} with
 * {@code --input x.csv} would otherwise leave the user with attributions where their data was.
 */
final class OutputGuard {
    private OutputGuard() {
    }

    /**
     * @param outputs the files the command would write (they need not exist yet)
     * @param inputs  option name → the file it names; null values (options not given) are skipped
     * @throws IllegalArgumentException naming both options when an output is, after resolving links, an input
     */
    static void refuseOverwritingInputs(Collection<Path> outputs, Map<String, Path> inputs) {
        for (Path output : outputs) {
            Path resolvedOutput = resolve(output);
            for (Map.Entry<String, Path> input : inputs.entrySet()) {
                if (input.getValue() != null && same(resolvedOutput, output, input.getValue())) {
                    throw new IllegalArgumentException("--out would write " + output + ", which is the " + input.getKey()
                            + " file " + input.getValue() + "; choose another output so the input is not overwritten");
                }
            }
        }
    }

    /** The file a {@code --baseline} value names, or null when it names a reference (zero, mean, blur). */
    static Path baselineFile(String baseline) {
        return baseline == null || MethodCatalog.NAMED_BASELINES.contains(baseline) ? null : Path.of(baseline);
    }

    private static boolean same(Path resolvedOutput, Path output, Path input) {
        if (resolvedOutput.equals(resolve(input))) {
            return true;
        }
        try {
            // hard links: two names, one file
            return Files.exists(output) && Files.exists(input) && Files.isSameFile(output, input);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /**
     * The real path of a file, or for one that does not exist yet, the real path of its nearest existing ancestor
     * followed by the rest of the name: {@code link/new.csv} resolves through {@code link}.
     */
    static Path resolve(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException unreadable) {
            return absolute;
        }
    }
}
