package dev.explain4j.report;

import dev.explain4j.global.AttributionClustering;
import dev.explain4j.global.GlobalAnalysis;
import dev.explain4j.global.GlobalImportance;
import dev.explain4j.global.SurrogateTree;

import java.util.List;

/**
 * What the report's global section shows: importance over a data set, the surrogate tree and the clusterings. Any
 * part may be null (or empty) when it was not computed.
 */
public record GlobalView(GlobalImportance importance, SurrogateTree.Result surrogate,
                         List<AttributionClustering.Result> clusterings) {
    public GlobalView {
        clusterings = clusterings == null ? List.of() : List.copyOf(clusterings);
    }

    /** The importance by explained output, the surrogate tree and the clusterings of a global analysis. */
    public static GlobalView of(GlobalAnalysis.Result global) {
        return new GlobalView(global.importance(), global.surrogate().orElse(null), global.clusterings());
    }
}
