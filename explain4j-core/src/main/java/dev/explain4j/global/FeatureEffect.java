package dev.explain4j.global;

import dev.explain4j.io.AtomicFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the model's output for one class moves with one feature (or a pair), over a data set: a partial dependence with
 * its ICE curves ({@link PartialDependence}) or accumulated local effects ({@link AccumulatedLocalEffects}).
 * Immutable: arrays go in and come out as copies.
 *
 * @param kind         which effect
 * @param features     the flattened column of each swept feature (one, or two for a 2-D partial dependence)
 * @param featureNames their names, from the CSV header or x0, x1, ...
 * @param grids        per feature the values it was set to (ALE: the interval edges)
 * @param values       the effect at each grid point; for a pair, row-major with the first feature outer
 *                     ({@code values[i · grids[1].length + j]})
 * @param individual   ICE: per data row its output at each grid point, same order as values; empty for ALE
 * @param intervalRows ALE: data rows in each interval (edges k−1, k]; empty for partial dependence
 * @param deciles      per feature the 10 %, 20 %, .., 90 % quantiles of its column in the data, for the plot's rug
 * @param target       the output index the effect is of
 * @param rows         data rows averaged over
 */
public record FeatureEffect(Kind kind, int[] features, List<String> featureNames, double[][] grids, double[] values,
                            double[][] individual, int[] intervalRows, double[][] deciles, int target, int rows) {
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

    public enum Kind {
        PARTIAL_DEPENDENCE("pdp"), ACCUMULATED_LOCAL_EFFECTS("ale");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** Short name, the file prefix: pdp, ale. */
        public String key() {
            return key;
        }
    }

    public FeatureEffect {
        features = features.clone();
        featureNames = List.copyOf(featureNames);
        grids = Copies.of(grids);
        values = values.clone();
        individual = individual == null ? new double[0][] : Copies.of(individual);
        intervalRows = intervalRows == null ? new int[0] : intervalRows.clone();
        deciles = Copies.of(deciles);
    }

    @Override
    public double[][] deciles() {
        return Copies.of(deciles);
    }

    /** This effect without its ICE curves (smaller files when only the average is wanted). */
    public FeatureEffect withoutCurves() {
        return new FeatureEffect(kind, features, featureNames, grids, values, null, intervalRows, deciles, target, rows);
    }

    @Override
    public int[] features() {
        return features.clone();
    }

    @Override
    public double[][] grids() {
        return Copies.of(grids);
    }

    /** The grid of the i-th swept feature. */
    public double[] grid(int i) {
        return grids[i].clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double[][] individual() {
        return Copies.of(individual);
    }

    @Override
    public int[] intervalRows() {
        return intervalRows.clone();
    }

    /** The ICE curves, when this is a partial dependence. */
    public Optional<double[][]> iceCurves() {
        return individual.length == 0 ? Optional.empty() : Optional.of(individual());
    }

    /** True for a 2-D partial dependence. */
    public boolean isPair() {
        return features.length == 2;
    }

    /** {@code pdp-NAME}, {@code pdp-NAME-NAME2} or {@code ale-NAME}, the name made safe for a file. */
    public String fileStem() {
        StringBuilder stem = new StringBuilder(kind.key());
        for (String name : featureNames) {
            stem.append('-').append(name.replaceAll("[^A-Za-z0-9._-]+", "_"));
        }
        return stem.toString();
    }

    /** For JSON writers: kebab-case keys, the ICE curves under "individual" for a partial dependence. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", kind.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        map.put("features", featureNames);
        map.put("feature-indices", features);
        map.put("target", target);
        map.put("rows", rows);
        map.put("grid", numbers(grids));
        map.put("values", numbers(values));
        if (individual.length > 0) {
            map.put("individual", numbers(individual));
        }
        if (intervalRows.length > 0) {
            map.put("interval-rows", intervalRows);
        }
        map.put("deciles", numbers(deciles));
        return map;
    }

    /**
     * A value that is a float (a float model's grid values and outputs) in float's shortest form, as the attribution
     * writers write float results: 0.2f, not the double 0.20000000298023224; read back as float it is v exactly.
     */
    private static Number number(double v) {
        float f = (float) v;
        return Double.isFinite(v) && f == v ? (Number) f : (Number) v;
    }

    private static List<Number> numbers(double[] v) {
        return java.util.Arrays.stream(v).mapToObj(FeatureEffect::number).toList();
    }

    private static List<List<Number>> numbers(double[][] m) {
        return java.util.Arrays.stream(m).map(FeatureEffect::numbers).toList();
    }

    /**
     * One CSV line per grid point: the feature value(s), the effect, then (partial dependence) each row's ICE value
     * in columns {@code ice_1 ..} or (ALE) the rows of the interval ending there (0 at the first edge).
     */
    public void writeCsv(Path file) {
        AtomicFiles.write(file, w -> {
            CSVPrinter printer = new CSVPrinter(w, CSV);
            List<Object> header = new ArrayList<>(featureNames);
            header.add(kind.key());
            if (intervalRows.length > 0) {
                header.add("interval_rows");
            }
            for (int r = 0; r < individual.length; r++) {
                header.add("ice_" + (r + 1));
            }
            printer.printRecord(header);
            int inner = isPair() ? grids[1].length : 1;
            for (int p = 0; p < values.length; p++) {
                List<Object> record = new ArrayList<>();
                record.add(number(grids[0][p / inner]));
                if (isPair()) {
                    record.add(number(grids[1][p % inner]));
                }
                record.add(number(values[p]));
                if (intervalRows.length > 0) {
                    record.add(p == 0 ? 0 : intervalRows[p - 1]);
                }
                for (double[] curve : individual) {
                    record.add(number(curve[p]));
                }
                printer.printRecord(record);
            }
            printer.flush();
        });
    }
}
