package dev.explain4j.io;

import dev.explain4j.core.Attributions;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.Optional;

/** What both writers need from an {@link Attributions}: rows flattened row-major, their width, their precision. */
final class AttributionValues {
    private final double[][] rows;
    private final int width;
    private final boolean singlePrecision;

    private AttributionValues(double[][] rows, int width, boolean singlePrecision) {
        this.rows = rows;
        this.width = width;
        this.singlePrecision = singlePrecision;
    }

    static AttributionValues of(Attributions attributions) {
        DataType type = attributions.values().dataType();
        double[][] rows = new double[attributions.rows()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = attributions.row(i);
        }
        int width = rows.length == 0 ? 0 : rows[0].length;
        boolean single = type == DataType.FLOAT || type == DataType.HALF || type == DataType.BFLOAT16;
        return new AttributionValues(rows, width, single);
    }

    /** Fails unless the names are one per flattened value. */
    void checkHeader(Optional<List<String>> header) {
        if (header.isPresent() && header.get().size() != width) {
            throw new IllegalArgumentException("the header has " + header.get().size() + " names but each row has "
                    + width + " attribution values; expected one name per value");
        }
    }

    double[][] rows() {
        return rows;
    }

    int width() {
        return width;
    }

    /** Whether the values were computed in float (or narrower), so that float's shortest decimal form is exact. */
    boolean singlePrecision() {
        return singlePrecision;
    }

    /**
     * A value as text: a float's value is written in float's shortest form ({@code 0.1}, not the
     * {@code 0.10000000149011612} its widening to double would print), so files are as short as the precision allows.
     */
    String format(double value) {
        return singlePrecision ? Float.toString((float) value) : Double.toString(value);
    }
}
