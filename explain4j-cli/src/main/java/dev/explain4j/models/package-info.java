/**
 * The small models shipped in {@code models/} and how they are rebuilt: {@link dev.explain4j.models.ShippedData}
 * reads the shipped data sets and splits them, {@link dev.explain4j.models.ShippedModels} trains the iris MLP and the
 * digits CNN from scratch, seeded, and writes the model zips and sample inputs. Not used by the library itself.
 */
package dev.explain4j.models;
