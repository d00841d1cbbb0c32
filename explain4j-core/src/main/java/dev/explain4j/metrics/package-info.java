/**
 * How far an explanation can be trusted: {@link dev.explain4j.metrics.Completeness} (IG delta, Shapley efficiency gap),
 * {@link dev.explain4j.metrics.Infidelity} and {@link dev.explain4j.metrics.MaxSensitivity} (Captum's definitions),
 * {@link dev.explain4j.metrics.DeletionInsertion} curves with their AUC, and the
 * {@link dev.explain4j.metrics.ModelRandomization} sanity check. All read {@link dev.explain4j.core.Attributions}.
 */
package dev.explain4j.metrics;
