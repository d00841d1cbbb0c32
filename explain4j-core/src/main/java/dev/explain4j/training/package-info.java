/**
 * Explaining during training: {@link dev.explain4j.training.AttributionListener}, a DL4J training listener that
 * records how the model's reasons change from snapshot to snapshot without changing the training itself.
 */
package dev.explain4j.training;
