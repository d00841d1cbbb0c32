package dev.explain4j.cli;

import dev.explain4j.model.ComputeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code explain4j} command. Exit codes: 0 on success, 2 on bad input (a one-line message on stderr naming the
 * file, row, column, option or layer at fault; never a stack trace), 1 on an internal error.
 */
@Command(name = "explain4j", mixinStandardHelpOptions = true, version = "explain4j 0.1.0",
        description = "Explains what drove a neural network's output: gradient and perturbation attributions for DL4J and Keras models.",
        subcommands = {ExplainCommand.class, InfoCommand.class, ReportCommand.class, GlobalCommand.class, PlotCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Explain4j {
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL_ERROR = 1;
    private static final Pattern LIBRARY_LIMIT = Pattern.compile("(samples|steps|max-steps|pairs)\\b[^;]* must be at (least|most) ");

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "also print on stderr which compute backend runs, and why")
    boolean verbose;

    public static void main(String[] args) {
        // ND4J announces its backend at INFO on every start; a command line shows warnings only unless asked
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // ...and the line saying which compute backend runs, and why, for `info` and --verbose only: on a bad input
        // the one line on stderr must be the one naming what is wrong
        boolean verbose = Arrays.asList(args).contains("--verbose") || (args.length > 0 && "info".equals(args[0]));
        if (verbose && System.getProperty("org.slf4j.simpleLogger.log." + ComputeBackend.LOGGER) == null) {
            System.setProperty("org.slf4j.simpleLogger.log." + ComputeBackend.LOGGER, "info");
        }
        ComputeBackend.select(); // before anything touches ND4J: no CUDA stack trace on a machine without a GPU
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command with the given streams; returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Explain4j());
        // '@FILE' is an option value here (--class-names @FILE), not one of picocli's argument files
        cli.setExpandAtFiles(false);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("explain4j: " + firstLine(e.getMessage()) + " (see: explain4j "
                    + e.getCommandLine().getCommandName() + " --help)");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(e, err));
        try {
            return cli.execute(args);
        } catch (Throwable e) { // errors (out of memory) pass picocli's handler, which takes exceptions only
            return failure(e, err);
        }
    }

    /** One line on stderr for any failure, never a stack trace; the exit code says whose fault it is. */
    static int failure(Throwable e, PrintWriter err) {
        if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            err.println("explain4j: " + asOptions(firstLine(e.getMessage())));
            return BAD_INPUT;
        }
        if (e instanceof ArithmeticException) {
            err.println("explain4j: the request is too large: " + firstLine(e.getMessage())
                    + "; use fewer rows, --steps or --samples");
            return BAD_INPUT;
        }
        if (e instanceof OutOfMemoryError) {
            err.println("explain4j: out of memory (" + firstLine(e.getMessage()) + "); use fewer rows, --steps, --samples"
                    + " or a smaller --batch-size, or give Java more memory (EXPLAIN4J_JAVA_OPTS=-Xmx...)");
            return BAD_INPUT;
        }
        err.println("explain4j: internal error, please report it with the command that caused it: "
                + e.getClass().getName() + ": " + firstLine(e.getMessage()));
        return INTERNAL_ERROR;
    }

    /**
     * A library limit ({@code Limits.check}) names its parameter as the library spells it, "samples must be at most
     * ..."; on the command line that is the option which set it: "--samples must be at most ...". Shapley sampling's
     * pairs come from --samples.
     */
    static String asOptions(String message) {
        Matcher limit = LIBRARY_LIMIT.matcher(message);
        if (!limit.lookingAt()) {
            return message;
        }
        String name = limit.group(1);
        return (name.equals("pairs") ? "--samples (pairs)" : "--" + name) + message.substring(limit.end(1));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
