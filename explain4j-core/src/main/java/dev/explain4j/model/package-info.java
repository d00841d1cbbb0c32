/**
 * Models as explain4j sees them: {@link dev.explain4j.model.ExplainableModel} (any batch function) and
 * {@link dev.explain4j.model.NetworkModel} (a DL4J network, with the gradient engine), targets and output spaces.
 */
package dev.explain4j.model;
