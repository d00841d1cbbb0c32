package dev.explain4j.io;

import dev.explain4j.text.TextFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The names of a model's outputs, by index: given as {@code a,b,c}, as {@code @FILE} (one name per line), or found in
 * the sidecar file {@code MODEL.classes} beside the model ({@code iris-mlp.zip} → {@code iris-mlp.classes}), which
 * is how the shipped models know theirs. Names are trimmed; blank lines of a file are skipped; an empty or repeated
 * name is refused, because {@code --target NAME} could not tell them apart.
 */
public final class ClassNames {
    /** The sidecar's extension. */
    public static final String SIDECAR_EXTENSION = ".classes";

    private ClassNames() {
    }

    /**
     * @param text   {@code a,b,c} or {@code @FILE}
     * @param option how the caller spells the option, for messages ({@code --class-names})
     */
    public static List<String> parse(String text, String option) {
        if (text.startsWith("@")) {
            Path file = Path.of(text.substring(1));
            return checked(lines(file), option + " " + text);
        }
        List<String> names = new ArrayList<>();
        for (String name : text.split(",", -1)) {
            names.add(name.trim());
        }
        return checked(names, option + " '" + text + "'");
    }

    /** The names in {@code MODEL.classes} beside {@code modelFile}, if that file exists. */
    public static Optional<List<String>> sidecar(Path modelFile) {
        Path file = sidecarOf(modelFile);
        return Files.isRegularFile(file) ? Optional.of(checked(lines(file), file.toString())) : Optional.empty();
    }

    /** {@code dir/name.zip} → {@code dir/name.classes}. */
    public static Path sidecarOf(Path modelFile) {
        String name = modelFile.getFileName().toString().replaceAll("\\.[A-Za-z0-9]+$", "");
        return modelFile.resolveSibling(name + SIDECAR_EXTENSION);
    }

    /** Fails unless there is one name per model output; {@code source} names where the names came from. */
    public static List<String> checkCount(List<String> names, int outputs, String source) {
        if (names.size() != outputs) {
            throw new IllegalArgumentException(source + ": " + names.size() + " class names for a model with " + outputs
                    + " outputs; expected one name per output");
        }
        return names;
    }

    private static List<String> lines(Path file) {
        List<String> names = new ArrayList<>();
        for (String line : TextFiles.read(file).split("\\R")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static List<String> checked(List<String> names, String source) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isEmpty()) {
                throw new IllegalArgumentException(source + ": class name " + (i + 1) + " is empty");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(source + ": class name '" + name + "' is given twice");
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(source + ": no class names");
        }
        return List.copyOf(names);
    }
}
