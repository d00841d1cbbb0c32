package dev.explain4j.io;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads an input CSV: one sample per row, its values flattened row-major in the model's input layout, comma
 * separated, UTF-8. The first row is a header of feature names when none of its cells is a number.
 *
 * <p>Everything a user can get wrong is refused with a {@link CsvInputException} whose one-line message names the
 * file, the line and column, and what was expected: a missing or unreadable file, an empty file, a header without
 * rows, an empty or non-numeric cell, NaN or infinity, rows of different widths, and (when the reader was given one)
 * a width other than the model's. Nothing is guessed or silently dropped: a value that is not plainly a decimal
 * number (hexadecimal, {@code 1.5f}, a decimal comma) is refused, not read as something else.
 */
public final class CsvInputReader {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setTrim(true)
            .setIgnoreEmptyLines(true)
            .build();
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NAN = Pattern.compile("[+-]?nan", Pattern.CASE_INSENSITIVE);
    private static final Pattern INFINITE = Pattern.compile("[+-]?inf(inity)?", Pattern.CASE_INSENSITIVE);
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final int QUOTED_CELL_LIMIT = 40;
    /**
     * Caps on what a file may make this reader allocate, checked before the allocation: a line longer than this
     * (a row of a million values at 16 characters each), or /dev/zero, is refused instead of filling the heap.
     */
    public static final int MAX_LINE_CHARS = 1 << 24;
    /** At most this many values in one file: the most one array can hold. */
    public static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private final int expectedWidth;
    private final String widthReason;

    private CsvInputReader(int expectedWidth, String widthReason) {
        this.expectedWidth = expectedWidth;
        this.widthReason = widthReason;
    }

    /** A reader that takes rows of any width, as long as they all have the same. */
    public static CsvInputReader anyWidth() {
        return new CsvInputReader(-1, null);
    }

    /**
     * A reader that also requires {@code width} values per row.
     *
     * @param reason why that width, for the message, e.g. {@code "the model's input is [8, 8, 1]"}; may be null
     */
    public static CsvInputReader ofWidth(int width, String reason) {
        if (width < 1) {
            throw new IllegalArgumentException("expected width must be ≥ 1, got " + width);
        }
        return new CsvInputReader(width, reason);
    }

    /** Reads a UTF-8 CSV file. */
    public InputTable read(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw CsvInputException.ofFile(source, "is a directory, expected a CSV file");
        }
        if (!Files.exists(file)) {
            throw CsvInputException.ofFile(source, "no such file");
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, source);
        } catch (AccessDeniedException e) {
            throw CsvInputException.ofFile(source, "cannot be read: permission denied");
        } catch (IOException e) {
            throw CsvInputException.ofFile(source, "cannot be read: " + e);
        }
    }

    /**
     * Reads CSV text from a stream the caller owns (and closes).
     *
     * @param source the name to give in messages, e.g. the file name
     */
    public InputTable read(Reader reader, String source) {
        Objects.requireNonNull(source, "source");
        try (CSVParser parser = FORMAT.parse(new LineCappedReader(reader))) {
            return parse(parser, source);
        } catch (UncheckedIOException e) {
            throw unreadable(source, e.getCause());
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    private static CsvInputException unreadable(String source, IOException cause) {
        if (cause instanceof LineTooLong tooLong) {
            return CsvInputException.ofLine(source, tooLong.line, "is longer than " + MAX_LINE_CHARS
                    + " characters, the cap on one line; expected rows of comma-separated numbers, one sample per line");
        }
        if (cause instanceof CharacterCodingException) {
            return CsvInputException.ofFile(source, "is not UTF-8 text; expected a CSV file of numbers");
        }
        // Commons CSV reports broken quoting as an IOException whose message names the line
        return CsvInputException.ofFile(source, "is not valid CSV: " + cause.getMessage());
    }

    private InputTable parse(CSVParser parser, String source) {
        List<String> header = null;
        int headerLine = 0;
        int firstLine = 0;
        int width = -1;
        List<double[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (CSVRecord record : parser) {
            List<String> cells = new ArrayList<>(record.toList());
            int line = startLine(parser, cells);
            if (cells.size() == 1 && cells.get(0).isEmpty()) {
                continue; // a line of spaces: blank, like the empty lines the parser already skips
            }
            if (width < 0) {
                stripByteOrderMark(cells);
                checkSeparator(source, line, cells);
                width = cells.size();
                firstLine = line;
                checkExpectedWidth(source, line, width);
                if (isHeader(source, line, cells)) {
                    header = cells;
                    headerLine = line;
                    continue;
                }
            } else if (cells.size() != width) {
                throw CsvInputException.ofLine(source, line, "has " + count(cells.size()) + ", expected " + width
                        + " like " + (header != null ? "the header" : "the first row") + " on line " + firstLine);
            }
            if ((rows.size() + 1L) * width > MAX_VALUES) {
                throw CsvInputException.ofLine(source, line, "brings the file beyond " + MAX_VALUES
                        + " values, the most one input can hold; split the file");
            }
            rows.add(parseRow(source, line, cells, header));
            lines.add(line);
        }
        if (width < 0) {
            throw CsvInputException.ofFile(source, "is empty; expected rows of comma-separated numbers, one sample per row");
        }
        if (rows.isEmpty()) {
            throw CsvInputException.ofLine(source, headerLine,
                    "is a header of feature names, and no data rows follow it; expected at least one row of numbers");
        }
        return new InputTable(source, header, rows, lines.stream().mapToInt(Integer::intValue).toArray(), width);
    }

    private void checkExpectedWidth(String source, int line, int width) {
        if (expectedWidth > 0 && width != expectedWidth) {
            throw CsvInputException.ofLine(source, line, "has " + count(width) + ", expected " + expectedWidth
                    + (widthReason == null ? "" : " (" + widthReason + ")"));
        }
    }

    /**
     * The line a record starts on: Commons CSV counts the line it ends on, and a quoted cell may hold line breaks.
     */
    private static int startLine(CSVParser parser, List<String> cells) {
        long line = parser.getCurrentLineNumber();
        for (String cell : cells) {
            line -= cell.chars().filter(c -> c == '\n').count();
        }
        return (int) Math.max(1, line);
    }

    private static void stripByteOrderMark(List<String> cells) {
        // spreadsheet programs start UTF-8 CSVs with a byte order mark, which Java's decoder keeps as a character
        String first = cells.get(0);
        if (!first.isEmpty() && first.charAt(0) == BYTE_ORDER_MARK) {
            cells.set(0, first.substring(1).trim());
        }
    }

    /** One column holding semicolons or tabs is a file in another dialect, not a one-feature input. */
    private static void checkSeparator(String source, int line, List<String> cells) {
        String cell = cells.get(0);
        if (cells.size() == 1 && (cell.indexOf(';') >= 0 || cell.indexOf('\t') >= 0)) {
            throw CsvInputException.ofLine(source, line, "has one column, " + quote(cell) + ": the file looks separated by "
                    + (cell.indexOf(';') >= 0 ? "semicolons" : "tabs") + "; expected commas");
        }
    }

    /** A header has no numbers at all; a first row with some numbers and some text is refused, not guessed at. */
    private static boolean isHeader(String source, int line, List<String> cells) {
        int firstText = -1;
        boolean anyNumber = false;
        for (int i = 0; i < cells.size(); i++) {
            if (looksNumeric(cells.get(i))) {
                anyNumber = true;
            } else if (firstText < 0) {
                firstText = i;
            }
        }
        if (firstText < 0) {
            return false;
        }
        if (anyNumber) {
            String cell = cells.get(firstText);
            throw CsvInputException.ofCell(source, line, firstText + 1, null, describe(cell)
                    + "; the first row mixes numbers and text, so it is neither a header of names nor a row of numbers");
        }
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).isEmpty()) {
                throw CsvInputException.ofCell(source, line, i + 1, null,
                        "the header has an empty name; expected a feature name in every column");
            }
        }
        return true;
    }

    private static boolean looksNumeric(String cell) {
        return DECIMAL.matcher(cell).matches() || NAN.matcher(cell).matches() || INFINITE.matcher(cell).matches();
    }

    private static double[] parseRow(String source, int line, List<String> cells, List<String> header) {
        double[] row = new double[cells.size()];
        for (int i = 0; i < row.length; i++) {
            String cell = cells.get(i);
            String problem = null;
            if (DECIMAL.matcher(cell).matches()) {
                row[i] = Double.parseDouble(cell);
                if (Double.isInfinite(row[i])) {
                    problem = quote(cell) + " is too large for a double; every value must be a finite number";
                }
            } else if (NAN.matcher(cell).matches()) {
                problem = "the value is NaN; every value must be a finite number";
            } else if (INFINITE.matcher(cell).matches()) {
                problem = "the value is infinite (" + cell + "); every value must be a finite number";
            } else {
                problem = describe(cell);
            }
            if (problem != null) {
                throw CsvInputException.ofCell(source, line, i + 1, header == null ? null : header.get(i), problem);
            }
        }
        return row;
    }

    /** Why a cell is not a number, quoting it (shortened) so the user can find it. */
    private static String describe(String cell) {
        if (cell.isEmpty()) {
            return "the cell is empty; expected a number";
        }
        return quote(cell) + " is not a number; expected a decimal number such as 0.5 or -1.2e-3";
    }

    /** A cell in quotes, shortened, to name it in a message. */
    private static String quote(String cell) {
        return "\"" + (cell.length() > QUOTED_CELL_LIMIT ? cell.substring(0, QUOTED_CELL_LIMIT) + "…" : cell) + "\"";
    }

    private static String count(int columns) {
        return columns == 1 ? "1 column" : columns + " columns";
    }

    /** Fails as soon as one line exceeds {@link #MAX_LINE_CHARS}, before the parser buffers it. */
    private static final class LineCappedReader extends java.io.FilterReader {
        private long lineLength;
        private int line = 1;

        LineCappedReader(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count((char) c);
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            for (int i = offset; i < offset + n; i++) {
                count(buffer[i]);
            }
            return n;
        }

        private void count(char c) throws LineTooLong {
            if (c == '\n') {
                line++;
                lineLength = 0;
            } else if (++lineLength > MAX_LINE_CHARS) {
                throw new LineTooLong(line);
            }
        }
    }

    private static final class LineTooLong extends IOException {
        final int line;

        LineTooLong(int line) {
            super("line " + line + " is too long");
            this.line = line;
        }
    }
}
