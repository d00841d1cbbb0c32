package dev.explain4j.cli;

import dev.explain4j.model.ComputeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The {@code explain4j} command. Exit codes: 0 on success, 2 on bad input (a one-line message on stderr naming the
 * file, row, column, option or layer at fault; never a stack trace), 1 on an internal error.
 */
@Command(name = "explain4j", mixinStandardHelpOptions = true, version = "explain4j 0.1.0",
        description = "Explains what drove a neural network's output: gradient and perturbation attributions for DL4J and Keras models.",
        subcommands = {ExplainCommand.class, InfoCommand.class, ReportCommand.class, GlobalCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Explain4j {
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        // ND4J announces its backend at INFO on every start; a command line shows warnings only unless asked
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // ...but the one line saying which compute backend runs, and why
        if (System.getProperty("org.slf4j.simpleLogger.log." + ComputeBackend.LOGGER) == null) {
            System.setProperty("org.slf4j.simpleLogger.log." + ComputeBackend.LOGGER, "info");
        }
        ComputeBackend.select(); // before anything touches ND4J: no CUDA stack trace on a machine without a GPU
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command with the given streams; returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Explain4j());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("explain4j: " + firstLine(e.getMessage()) + " (see: explain4j "
                    + e.getCommandLine().getCommandName() + " --help)");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
                err.println("explain4j: " + firstLine(e.getMessage()));
                return BAD_INPUT;
            }
            throw e;
        });
        return cli.execute(args);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
