package dev.explain4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The explain4j command as a child JVM on the tests' class path, for what an in-process run cannot show. */
final class ChildCli {
    private ChildCli() {
    }

    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Explain4j.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The command as one shell word list, e.g. to run it under another umask. */
    static String shellLine(String... args) {
        StringBuilder line = new StringBuilder();
        for (String word : command(args)) {
            line.append(line.length() == 0 ? "" : " ").append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }
}
