/**
 * Global views of a model over a data set, rather than of one prediction: permutation importance.
 */
package dev.explain4j.global;
