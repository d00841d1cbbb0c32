package dev.explain4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rows of a batch of token ids [rows, T] grouped by where their padding is. A method explains each group with the
 * mask of its positions fixed, however it stacks or perturbs the group's rows, and {@link #merge} puts the groups'
 * results back in the batch's row order. Methods that key their randomness on a row's values (RowRandom) give every
 * row the same result in a group as in the whole batch.
 */
public final class PaddingPartition {
    private final int rows;
    private final List<int[]> rowsOfGroup = new ArrayList<>();
    private final List<boolean[]> realOfGroup = new ArrayList<>();

    private PaddingPartition(int rows) {
        this.rows = rows;
    }

    /** Groups the rows of {@code ids} by the positions that hold {@code padId}. */
    public static PaddingPartition of(INDArray ids, long padId) {
        if (ids.rank() != 2) {
            throw new IllegalArgumentException("padding is read off token ids [rows, T]; got a batch shaped "
                    + Arrays.toString(ids.shape()));
        }
        int n = (int) ids.size(0);
        int length = (int) ids.size(1);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        Map<String, boolean[]> patterns = new LinkedHashMap<>();
        double[][] values = ids.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        for (int r = 0; r < n; r++) {
            boolean[] real = new boolean[length];
            for (int t = 0; t < length; t++) {
                real[t] = values[r][t] != padId;
            }
            String key = Arrays.toString(real);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            patterns.putIfAbsent(key, real);
        }
        PaddingPartition partition = new PaddingPartition(n);
        groups.forEach((key, members) -> {
            partition.rowsOfGroup.add(members.stream().mapToInt(Integer::intValue).toArray());
            partition.realOfGroup.add(patterns.get(key));
        });
        return partition;
    }

    public int groups() {
        return rowsOfGroup.size();
    }

    /** The batch rows of group {@code g}, ascending. */
    public int[] rows(int g) {
        return rowsOfGroup.get(g).clone();
    }

    /** Whether each position of group {@code g}'s rows holds a real token (not padding). */
    public boolean[] real(int g) {
        return realOfGroup.get(g).clone();
    }

    /** The real positions of group {@code g}, ascending. */
    public int[] realPositions(int g) {
        boolean[] real = realOfGroup.get(g);
        return java.util.stream.IntStream.range(0, real.length).filter(t -> real[t]).toArray();
    }

    /** Group {@code g}'s rows of {@code batch} (any array whose first axis counts the rows), in 'c' order. */
    public INDArray select(INDArray batch, int g) {
        return selectRows(batch, rowsOfGroup.get(g));
    }

    /** The given rows of a batch of any rank, in 'c' order. */
    public static INDArray selectRows(INDArray batch, int[] rows) {
        long[] shape = batch.shape().clone();
        shape[0] = rows.length;
        INDArray flat = batch.dup('c').reshape('c', batch.size(0), -1);
        return Nd4j.pullRows(flat, 1, rows).reshape('c', shape);
    }

    /**
     * The groups' results, one per group in group order, as one result in the batch's row order: values, standard
     * errors and every per-row figure interleaved back; the method, its parameters and seed are the first group's.
     */
    public Attributions.Builder merge(List<Attributions> results) {
        if (results.size() != groups()) {
            throw new IllegalArgumentException(results.size() + " results for " + groups() + " groups");
        }
        Attributions first = results.get(0);
        Attributions.Builder merged = Attributions.builder(first.method(), mergeArrays(results, Attributions::values));
        first.parameters().forEach(merged::parameter);
        first.seed().ifPresent(merged::seed);
        if (first.standardErrors().isPresent()) {
            merged.standardErrors(mergeArrays(results, a -> a.standardErrors().orElseThrow()));
        }
        mergeInts(results, Attributions::targets).ifPresent(merged::targets);
        mergeInts(results, Attributions::stepsUsed).ifPresent(merged::stepsUsed);
        mergeDoubles(results, Attributions::targetOutputs).ifPresent(merged::targetOutputs);
        mergeDoubles(results, Attributions::referenceOutputs).ifPresent(merged::referenceOutputs);
        mergeDoubles(results, Attributions::completenessDelta).ifPresent(merged::completenessDelta);
        mergeDoubles(results, Attributions::intercepts).ifPresent(merged::intercepts);
        mergeDoubles(results, Attributions::fitScores).ifPresent(merged::fitScores);
        mergeDoubles(results, Attributions::localPredictions).ifPresent(merged::localPredictions);
        return merged;
    }

    private INDArray mergeArrays(List<Attributions> results, Function<Attributions, INDArray> part) {
        INDArray first = part.apply(results.get(0));
        long[] shape = first.shape().clone();
        shape[0] = rows;
        INDArray merged = Nd4j.create(first.dataType(), rows, first.length() / first.size(0));
        for (int g = 0; g < results.size(); g++) {
            INDArray values = part.apply(results.get(g));
            INDArray flat = values.dup('c').reshape('c', values.size(0), -1);
            int[] members = rowsOfGroup.get(g);
            for (int i = 0; i < members.length; i++) {
                merged.putRow(members[i], flat.getRow(i));
            }
        }
        return merged.reshape('c', shape);
    }

    private Optional<int[]> mergeInts(List<Attributions> results, Function<Attributions, Optional<int[]>> part) {
        if (part.apply(results.get(0)).isEmpty()) {
            return Optional.empty();
        }
        int[] merged = new int[rows];
        for (int g = 0; g < results.size(); g++) {
            int[] values = part.apply(results.get(g)).orElseThrow();
            int[] members = rowsOfGroup.get(g);
            for (int i = 0; i < members.length; i++) {
                merged[members[i]] = values[i];
            }
        }
        return Optional.of(merged);
    }

    private Optional<double[]> mergeDoubles(List<Attributions> results, Function<Attributions, Optional<double[]>> part) {
        if (part.apply(results.get(0)).isEmpty()) {
            return Optional.empty();
        }
        double[] merged = new double[rows];
        for (int g = 0; g < results.size(); g++) {
            double[] values = part.apply(results.get(g)).orElseThrow();
            int[] members = rowsOfGroup.get(g);
            for (int i = 0; i < members.length; i++) {
                merged[members[i]] = values[i];
            }
        }
        return Optional.of(merged);
    }
}
