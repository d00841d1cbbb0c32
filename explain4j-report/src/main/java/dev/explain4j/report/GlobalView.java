package dev.explain4j.report;

import dev.explain4j.global.AttributionClustering;
import dev.explain4j.global.FeatureEffect;
import dev.explain4j.global.GlobalAnalysis;
import dev.explain4j.global.GlobalImportance;
import dev.explain4j.global.SurrogateTree;

import java.util.List;

/**
 * What the report's global section shows: importance over a data set, the surrogate tree, the clusterings and feature
 * effects (partial dependence, ALE). Any part may be null (or empty) when it was not computed.
 */
public record GlobalView(GlobalImportance importance, SurrogateTree.Result surrogate,
                         List<AttributionClustering.Result> clusterings, List<FeatureEffect> effects) {
    public GlobalView {
        clusterings = clusterings == null ? List.of() : List.copyOf(clusterings);
        effects = effects == null ? List.of() : List.copyOf(effects);
    }

    public GlobalView(GlobalImportance importance, SurrogateTree.Result surrogate,
                      List<AttributionClustering.Result> clusterings) {
        this(importance, surrogate, clusterings, List.of());
    }

    /** This view with feature effects to show, one picture each. */
    public GlobalView withEffects(List<FeatureEffect> effects) {
        return new GlobalView(importance, surrogate, clusterings, effects);
    }

    /** The importance by explained output, the surrogate tree and the clusterings of a global analysis. */
    public static GlobalView of(GlobalAnalysis.Result global) {
        return new GlobalView(global.importance(), global.surrogate().orElse(null), global.clusterings());
    }
}
