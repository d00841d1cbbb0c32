package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.GradCam;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.TokenInput;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The command line's side of the method registry: its option values turned into the library's settings. */
final class MethodCatalog {
    /** The --baseline values that name a reference rather than a CSV file of rows. */
    static final List<String> NAMED_BASELINES = List.of("zero", "mean", "blur");

    static final List<String> NAMES = MethodRegistry.names();

    private MethodCatalog() {
    }

    static AttributionMethod create(String name, MethodSettings s, NetworkModel model, InputRows input) {
        dev.explain4j.core.MethodSettings settings = new dev.explain4j.core.MethodSettings(reference(s, input, model),
                s.background() == null ? null : Reference.distribution(input.readLike(s.background(), model)), s.steps(),
                s.integration() == null ? null : IntegrationRule.parse(s.integration()), s.layer(), s.window(), s.stride(),
                s.samples(), s.seed(), s.batchSize(), s.groups() == null ? null : groups(s.groups(), input), s.neuron(),
                s.upsample() == null ? null : upsampling(s.upsample()));
        return MethodRegistry.create(name, model, settings, input.features());
    }

    /** --upsample: none, nearest or bilinear. */
    private static GradCam.Upsampling upsampling(String mode) {
        for (GradCam.Upsampling value : GradCam.Upsampling.values()) {
            if (value.name().equalsIgnoreCase(mode)) {
                return value;
            }
        }
        throw new IllegalArgumentException("--upsample '" + mode + "': expected none, nearest or bilinear");
    }

    /** --groups: rows of non-negative integer group ids, as wide as the input rows. */
    private static int[][] groups(Path file, InputRows input) {
        long width = input.features().length() / Math.max(1, input.features().size(0));
        InputTable table = CsvInputReader.ofWidth(Math.toIntExact(width), "one group id per input feature").read(file);
        int headerLines = table.featureNames().isPresent() ? 1 : 0;
        int[][] groups = new int[table.rows()][];
        for (int r = 0; r < table.rows(); r++) {
            double[] row = table.row(r);
            groups[r] = new int[row.length];
            for (int c = 0; c < row.length; c++) {
                if (row[c] < 0 || row[c] != Math.rint(row[c]) || row[c] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("--groups " + file + ": line " + (r + 1 + headerLines) + ", column "
                            + (c + 1) + ": " + row[c] + " is not a group id (a non-negative integer)");
                }
                groups[r][c] = (int) row[c];
            }
        }
        return groups;
    }

    /**
     * --baseline: zeros, the inputs' mean, a blurred copy, or the rows of a CSV (one, or one per input row); or, for a
     * model that takes token ids, --reference-token: that id at every position.
     */
    private static Reference reference(MethodSettings s, InputRows input, NetworkModel model) {
        Optional<TokenInput> tokens = model.tokenInput();
        if (s.referenceToken() != null) {
            long vocabulary = tokens.orElseThrow(() -> new IllegalArgumentException("--reference-token applies to models"
                    + " that take token ids (an embedding as their first layer); this one does not")).vocabulary();
            if (s.baseline() != null) {
                throw new IllegalArgumentException("--reference-token and --baseline both set the reference; give one");
            }
            if (s.referenceToken() < 0 || s.referenceToken() >= vocabulary) {
                throw new IllegalArgumentException("--reference-token " + s.referenceToken() + ": the model's token ids are"
                        + " 0 to " + (vocabulary - 1));
            }
            return Reference.constant(s.referenceToken());
        }
        String baseline = s.baseline();
        if (baseline == null) {
            return null;
        }
        if (tokens.isPresent() && (baseline.equals("mean") || baseline.equals("blur"))) {
            throw new IllegalArgumentException("--baseline " + baseline + " does not apply to token ids; give"
                    + " --reference-token ID or a CSV of id rows");
        }
        return switch (baseline) {
            case "zero" -> Reference.zeros();
            case "mean" -> Reference.mean(input.features());
            case "blur" -> Reference.blurred(1.0);
            default -> Reference.rows(input.readLike(Path.of(baseline), model));
        };
    }
}
