/**
 * Global views of a model over a data set, rather than of one prediction: {@link dev.explain4j.global.GlobalImportance}
 * (mean |attribution| per feature and class, from any local method), {@link dev.explain4j.global.AttributionClustering}
 * (cohorts of rows explained alike), {@link dev.explain4j.global.SurrogateTree} (the network distilled into readable
 * rules, with its fidelity), {@link dev.explain4j.global.LinearWeights} (|w|·std(x) of a linear model or first layer)
 * and {@link dev.explain4j.global.PermutationImportance}.
 */
package dev.explain4j.global;
