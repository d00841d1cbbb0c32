/**
 * How far an explanation can be trusted: {@link dev.explain4j.metrics.Completeness} (IG delta, Shapley efficiency gap),
 * {@link dev.explain4j.metrics.Infidelity} and {@link dev.explain4j.metrics.MaxSensitivity} (Captum's definitions),
 * {@link dev.explain4j.metrics.DeletionInsertion} curves with their AUC, the
 * {@link dev.explain4j.metrics.ModelRandomization} sanity check, and {@link dev.explain4j.metrics.QualityReport}, all
 * of them but the sanity check for one result. All read {@link dev.explain4j.core.Attributions} and evaluate against
 * the {@link dev.explain4j.core.Reference} it records.
 */
package dev.explain4j.metrics;
