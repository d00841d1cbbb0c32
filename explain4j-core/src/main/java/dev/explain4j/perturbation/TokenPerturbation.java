package dev.explain4j.perturbation;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowPartition;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A perturbation method over the token positions of a model that takes token ids, where rows differ in which
 * positions are features: padding ({@link NetworkModel#withPadId}) is none, and word groups (several positions one
 * feature, the sub-word tokens of a word) may differ from row to row. Each part of the rows that share their padding
 * and word groups ({@link RowPartition}) is explained by the method on its real positions only, through a view of the
 * model that puts the padding back before predicting, with the part's word groups as the method's
 * {@link FeatureGroups}. Padded positions then never enter a coalition, a window or a sample, get exactly zero, and a
 * row's padding does not change what its real tokens get (seeded methods key a row's stream on its real tokens). The
 * reference is one of token ids, read at the real positions. Immutable and thread-safe.
 */
public final class TokenPerturbation implements AttributionMethod {

    /** Builds the perturbation method that runs on a part's real positions. */
    @FunctionalInterface
    public interface Method {
        /**
         * @param realTokens the model seen on rows of the part's real positions, [rows, M]
         * @param reference  the token reference at those positions
         * @param rows       the part's rows at those positions, for defaults that depend on the explained rows
         */
        AttributionMethod create(ExplainableModel realTokens, Reference reference, INDArray rows);
    }

    private final NetworkModel model;
    private final Long padId;
    private final Method method;
    private final String name;
    private final Reference reference;
    private final int[][] words;

    private TokenPerturbation(NetworkModel model, Method method, String name, Reference reference, int[][] words) {
        this.model = model;
        this.padId = model.padId().isPresent() ? model.padId().getAsLong() : null;
        this.method = method;
        this.name = name;
        this.reference = reference;
        this.words = words;
    }

    /** @throws IllegalArgumentException unless the model takes token ids */
    public static TokenPerturbation of(NetworkModel model, Method method) {
        if (model.tokenInput().isEmpty()) {
            throw new IllegalArgumentException("perturbing token positions needs a network that takes token ids");
        }
        INDArray oneToken = Nd4j.zeros(model.dataType(), 1, 1);
        String name = Objects.requireNonNull(method, "method").create(model, Reference.zeros(), oneToken).name();
        return new TokenPerturbation(model, method, name, Reference.zeros(), null);
    }

    /** The token ids absent positions take (default {@link Reference#zeros()}: token 0). */
    public TokenPerturbation withReference(Reference tokenReference) {
        return new TokenPerturbation(model, method, name, Objects.requireNonNull(tokenReference, "reference"), words);
    }

    /**
     * Word groups: per row (or one row for all rows) a word id per position; positions of a row with the same id are
     * one feature. The method must take feature groups ({@link FeatureGroups.Grouped}).
     */
    public TokenPerturbation withWordGroups(int[][] wordIds) {
        int[][] copy = Arrays.stream(wordIds).map(int[]::clone).toArray(int[][]::new);
        for (int[] row : copy) {
            FeatureGroups.of(row); // refuses negative ids now rather than at the first part
        }
        return new TokenPerturbation(model, method, name, reference, copy);
    }

    @Override
    public Attributions attribute(INDArray ids, Target target) {
        RowPartition partition = RowPartition.of(ids, padId, words);
        long length = ids.size(1);
        List<Attributions> results = new ArrayList<>();
        for (int p = 0; p < partition.parts(); p++) {
            int[] positions = partition.realPositions(p);
            int[] rows = partition.rows(p);
            if (positions.length == 0) {
                throw new IllegalArgumentException("row " + rows[0] + " holds only padding (token " + padId
                        + "): it has no token to attribute to");
            }
            INDArray partIds = columns(partition.select(ids, p), positions);
            ExplainableModel view = ExplainableModel.of(real -> model.predict(withPadding(real, positions, length)),
                    new long[]{positions.length}, model.outputSize(), model.dataType());
            AttributionMethod partMethod = grouped(method.create(view, partReference(ids, partition, p, positions), partIds),
                    partition.words(p), positions);
            Attributions result = partMethod.attribute(partIds, target.select(rows));
            results.add(result.mapLayout(values -> withPadding(values, positions, length, 0)));
        }
        Attributions.Builder merged = partition.merge(results).reference(reference);
        if (padId != null) {
            merged.parameter("pad-id", padId);
        }
        if (words != null) {
            merged.parameter("groups", "words");
        }
        if (results.get(0).parameters().containsKey("reference")) {
            merged.parameter("reference", reference.describe()); // not the rows of real positions each part saw
        }
        return merged.build();
    }

    /** The method with the part's word groups at its real positions, when there are word groups. */
    private AttributionMethod grouped(AttributionMethod partMethod, int[] partWords, int[] positions) {
        if (partWords == null) {
            return partMethod;
        }
        if (!(partMethod instanceof FeatureGroups.Grouped<?> grouped)) {
            throw new IllegalArgumentException("word groups apply to methods whose players are features or groups of"
                    + " them (feature-ablation, exact-shapley, kernel-shap, shapley-sampling, lime-text), not to " + name);
        }
        int[] real = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            real[i] = partWords[positions[i]];
        }
        return (AttributionMethod) grouped.withGroups(FeatureGroups.of(real));
    }

    /** The reference at part p's real positions: its background rows, or the reference rows of the part's rows. */
    private Reference partReference(INDArray ids, RowPartition partition, int p, int[] positions) {
        if (reference.isDistribution()) {
            Reference.Distribution background = reference.distribution(ids, model);
            return Reference.distribution(columns(background.rows(), positions), background.weights());
        }
        INDArray rows = columns(partition.select(reference.resolve(ids, model), p), positions);
        INDArray first = rows.getRow(0, true);
        return Reference.rows(rows.equals(first.broadcast(rows.shape())) ? first : rows);
    }

    private static INDArray columns(INDArray rows, int[] positions) {
        long[] indices = Arrays.stream(positions).asLongStream().toArray();
        return rows.get(NDArrayIndex.all(), NDArrayIndex.indices(indices)).dup('c');
    }

    /** Rows [k, M] of real positions spread over [k, T], the other positions holding the padding id. */
    private INDArray withPadding(INDArray real, int[] positions, long length) {
        return withPadding(real, positions, length, padId == null ? 0 : padId);
    }

    private static INDArray withPadding(INDArray real, int[] positions, long length, double fill) {
        INDArray full = Nd4j.valueArrayOf(new long[]{real.size(0), length}, fill, real.dataType());
        for (int i = 0; i < positions.length; i++) {
            full.getColumn(positions[i]).assign(real.getColumn(i));
        }
        return full;
    }

    @Override
    public String name() {
        return name;
    }
}
