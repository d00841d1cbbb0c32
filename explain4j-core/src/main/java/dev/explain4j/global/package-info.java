/**
 * Global views of a model over a data set, rather than of one prediction: {@link dev.explain4j.global.GlobalImportance}
 * (mean |attribution| per feature and class, from any local method), {@link dev.explain4j.global.AttributionClustering}
 * (cohorts of rows explained alike), {@link dev.explain4j.global.SurrogateTree} (the network distilled into readable
 * rules, with its fidelity), {@link dev.explain4j.global.LinearWeights} (|w|·std(x) of a linear model or first layer)
 * and {@link dev.explain4j.global.PermutationImportance}; {@link dev.explain4j.global.GlobalAnalysis} computes them
 * all, as {@code explain4j global} does. Feature effects of any model: {@link dev.explain4j.global.PartialDependence}
 * (with its ICE curves) and {@link dev.explain4j.global.AccumulatedLocalEffects}, both giving a
 * {@link dev.explain4j.global.FeatureEffect}.
 */
package dev.explain4j.global;
