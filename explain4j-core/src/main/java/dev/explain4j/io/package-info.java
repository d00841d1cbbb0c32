/**
 * Files in and out: {@link dev.explain4j.io.CsvInputReader} turns an input CSV into an {@link dev.explain4j.io.InputTable}
 * (or fails with a {@link dev.explain4j.io.CsvInputException} naming the file, row and column);
 * {@link dev.explain4j.io.AttributionsCsvWriter} and {@link dev.explain4j.io.AttributionsJsonWriter} write an
 * {@link dev.explain4j.core.Attributions} through {@link dev.explain4j.io.AtomicFiles}, so a failed write leaves no
 * partial file behind.
 */
package dev.explain4j.io;
