package dev.explain4j.io;

import dev.explain4j.core.Attributions;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes attributions as CSV: one row per explained input row, the values flattened row-major in the same width and
 * order as the input, under the input's header when it had one. Only the values: method, targets and outputs go
 * to the JSON form ({@link AttributionsJsonWriter}). The file appears whole or not at all ({@link AtomicFiles}).
 */
public final class AttributionsCsvWriter {
    private AttributionsCsvWriter() {
    }

    /** Writes without a header row. */
    public static void write(Attributions attributions, Path destination) {
        write(attributions, Optional.empty(), destination);
    }

    /**
     * @param header the input's feature names, one per flattened value, to repeat as the first row
     * @throws IllegalArgumentException when the header's width is not the attributions'
     * @throws OutputFileException when the file cannot be written
     */
    public static void write(Attributions attributions, Optional<List<String>> header, Path destination) {
        AttributionValues values = AttributionValues.of(attributions);
        values.checkHeader(header);
        AtomicFiles.write(destination, writer -> {
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build());
            if (header.isPresent()) {
                printer.printRecord(header.get());
            }
            String[] cells = new String[values.width()];
            for (double[] row : values.rows()) {
                for (int i = 0; i < row.length; i++) {
                    cells[i] = values.format(row[i]);
                }
                printer.printRecord((Object[]) cells);
            }
            printer.flush();
        });
    }
}
