package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.model.NetworkModel;

import java.nio.file.Path;
import java.util.List;

/** The command line's side of the method registry: its option values turned into the library's settings. */
final class MethodCatalog {
    /** The --baseline values that name a reference rather than a CSV file of rows. */
    static final List<String> NAMED_BASELINES = List.of("zero", "mean", "blur");

    static final List<String> NAMES = MethodRegistry.names();

    private MethodCatalog() {
    }

    static AttributionMethod create(String name, MethodSettings s, NetworkModel model, InputRows input) {
        MethodRegistry.get(name);
        dev.explain4j.core.MethodSettings settings = new dev.explain4j.core.MethodSettings(reference(s.baseline(), input),
                s.background() == null ? null : Reference.distribution(input.readLike(s.background())), s.steps(),
                s.integration() == null ? null : IntegrationRule.parse(s.integration()), s.layer(), s.window(), s.stride(),
                s.samples(), s.seed(), s.batchSize());
        return MethodRegistry.create(name, model, settings, input.features());
    }

    /** --baseline: zeros, the inputs' mean, a blurred copy, or the rows of a CSV (one, or one per input row). */
    private static Reference reference(String baseline, InputRows input) {
        if (baseline == null) {
            return null;
        }
        return switch (baseline) {
            case "zero" -> Reference.zeros();
            case "mean" -> Reference.mean(input.features());
            case "blur" -> Reference.blurred(1.0);
            default -> Reference.rows(input.readLike(Path.of(baseline)));
        };
    }
}
