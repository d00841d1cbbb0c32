package dev.explain4j.perturbation;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.PaddingPartition;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A perturbation method over the real tokens of a model that masks padding ({@link NetworkModel#withPadId}): each
 * group of rows that share their padding ({@link PaddingPartition}) is explained by the method on its real positions
 * only, through a view of the model that puts the padding back before predicting. Padded positions are then no
 * features: they never enter a coalition, a window or a sample, get exactly zero, and a row's padding does not change
 * what its real tokens get (seeded methods key a row's stream on its real tokens). The reference is one of token ids,
 * read at the real positions. Immutable and thread-safe.
 */
public final class RealTokens implements AttributionMethod {

    /** Builds the perturbation method that runs on a group's real positions. */
    @FunctionalInterface
    public interface Method {
        /**
         * @param realTokens the model seen on rows of the group's real positions, [rows, M]
         * @param reference  the token reference at those positions
         * @param rows       the group's rows at those positions, for defaults that depend on the explained rows
         */
        AttributionMethod create(ExplainableModel realTokens, Reference reference, INDArray rows);
    }

    private final NetworkModel model;
    private final long padId;
    private final Method method;
    private final String name;
    private final Reference reference;

    private RealTokens(NetworkModel model, long padId, Method method, String name, Reference reference) {
        this.model = model;
        this.padId = padId;
        this.method = method;
        this.name = name;
        this.reference = reference;
    }

    /** @throws IllegalArgumentException unless the model masks padding */
    public static RealTokens of(NetworkModel model, Method method) {
        long padId = model.padId().orElseThrow(() -> new IllegalArgumentException(
                "perturbing real tokens only needs a model that masks padding (withPadId)"));
        INDArray oneToken = Nd4j.zeros(model.dataType(), 1, 1);
        String name = Objects.requireNonNull(method, "method").create(model, Reference.zeros(), oneToken).name();
        return new RealTokens(model, padId, method, name, Reference.zeros());
    }

    /** The token ids absent positions take (default {@link Reference#zeros()}: token 0). */
    public RealTokens withReference(Reference tokenReference) {
        return new RealTokens(model, padId, method, name, Objects.requireNonNull(tokenReference, "reference"));
    }

    @Override
    public Attributions attribute(INDArray ids, Target target) {
        PaddingPartition partition = PaddingPartition.of(ids, padId);
        long length = ids.size(1);
        List<Attributions> results = new ArrayList<>();
        for (int g = 0; g < partition.groups(); g++) {
            int[] positions = partition.realPositions(g);
            int[] rows = partition.rows(g);
            if (positions.length == 0) {
                throw new IllegalArgumentException("row " + rows[0] + " holds only padding (token " + padId
                        + "): it has no token to attribute to");
            }
            INDArray groupIds = columns(partition.select(ids, g), positions);
            ExplainableModel view = ExplainableModel.of(real -> model.predict(withPadding(real, positions, length)),
                    new long[]{positions.length}, model.outputSize(), model.dataType());
            AttributionMethod groupMethod = method.create(view, groupReference(ids, partition, g, positions), groupIds);
            Attributions result = groupMethod.attribute(groupIds, target.select(rows));
            results.add(result.mapLayout(values -> withPadding(values, positions, length, 0)));
        }
        Attributions.Builder merged = partition.merge(results).reference(reference).parameter("pad-id", padId);
        if (results.get(0).parameters().containsKey("reference")) {
            merged.parameter("reference", reference.describe()); // not the rows of real positions each group saw
        }
        return merged.build();
    }

    /** The reference at group g's real positions: its background rows, or the reference rows of the group's rows. */
    private Reference groupReference(INDArray ids, PaddingPartition partition, int g, int[] positions) {
        if (reference.isDistribution()) {
            Reference.Distribution background = reference.distribution(ids, model);
            return Reference.distribution(columns(background.rows(), positions), background.weights());
        }
        INDArray rows = columns(partition.select(reference.resolve(ids, model), g), positions);
        INDArray first = rows.getRow(0, true);
        return Reference.rows(rows.equals(first.broadcast(rows.shape())) ? first : rows);
    }

    private static INDArray columns(INDArray rows, int[] positions) {
        return rows.get(NDArrayIndex.all(), NDArrayIndex.indices(toLongs(positions))).dup('c');
    }

    /** Rows [k, M] of real positions spread over [k, T], the other positions holding the padding id. */
    private INDArray withPadding(INDArray real, int[] positions, long length) {
        return withPadding(real, positions, length, padId);
    }

    private static INDArray withPadding(INDArray real, int[] positions, long length, double fill) {
        INDArray full = Nd4j.valueArrayOf(new long[]{real.size(0), length}, fill, real.dataType());
        for (int i = 0; i < positions.length; i++) {
            full.getColumn(positions[i]).assign(real.getColumn(i));
        }
        return full;
    }

    private static long[] toLongs(int[] values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        return longs;
    }

    @Override
    public String name() {
        return name;
    }
}
