package dev.explain4j.io;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * An input CSV that cannot be used, with a one-line message that names the file and, where there is one, the line
 * of the row at fault and the column, and what was expected there. An {@link IllegalArgumentException}, so callers
 * that treat bad user input alike (the command line: exit code 2) need no special case.
 */
public final class CsvInputException extends IllegalArgumentException {
    private final String source;
    private final int line;
    private final int column;

    private CsvInputException(String source, int line, int column, String columnName, String problem) {
        super(compose(source, line, column, columnName, problem));
        this.source = Objects.requireNonNull(source);
        this.line = line;
        this.column = column;
    }

    static CsvInputException ofFile(String source, String problem) {
        return new CsvInputException(source, 0, 0, null, problem);
    }

    static CsvInputException ofLine(String source, int line, String problem) {
        return new CsvInputException(source, line, 0, null, problem);
    }

    /** @param columnName the header's name for the column, or null when the file has no header */
    static CsvInputException ofCell(String source, int line, int column, String columnName, String problem) {
        return new CsvInputException(source, line, column, columnName, problem);
    }

    private static String compose(String source, int line, int column, String columnName, String problem) {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(": line ").append(line);
            if (column > 0) {
                b.append(", column ").append(column);
                if (columnName != null) {
                    b.append(" (").append(columnName).append(')');
                }
            }
        }
        b.append(": ").append(problem);
        // the message must stay one line even when it quotes a cell that held a line break
        return b.toString().replace("\r", "\\r").replace("\n", "\\n");
    }

    /** The file (or the name given for a stream) that was read. */
    public String source() {
        return source;
    }

    /**
     * The 1-based line of the file where the row at fault is (the header and blank lines count, as in an editor);
     * empty when the whole file is at fault.
     */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The 1-based column at fault; empty when a whole row or the whole file is at fault. */
    public OptionalInt column() {
        return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
    }
}
