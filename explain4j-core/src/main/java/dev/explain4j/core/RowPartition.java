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
 * The rows of a batch of token ids [rows, T] in parts that share where their padding is (and, when given, their word
 * groups). A method explains each part with the mask of its positions fixed, however it stacks or perturbs the part's
 * rows, and {@link #merge} puts the parts' results back in the batch's row order. Methods that key their randomness on
 * a row's values (RowRandom) give every row the same result in a part as in the whole batch.
 */
public final class RowPartition {
    private final int rows;
    private final List<int[]> rowsOfPart = new ArrayList<>();
    private final List<boolean[]> realOfPart = new ArrayList<>();
    private final List<int[]> wordsOfPart = new ArrayList<>();

    private RowPartition(int rows) {
        this.rows = rows;
    }

    /** Parts of the rows of {@code ids} that hold {@code padId} at the same positions. */
    public static RowPartition of(INDArray ids, long padId) {
        return of(ids, padId, null);
    }

    /**
     * Parts of the rows of {@code ids} that hold {@code padId} (null: no padding) at the same positions and have the
     * same word groups.
     *
     * @param words per row (or one row for all) the word id of each position, or null
     */
    public static RowPartition of(INDArray ids, Long padId, int[][] words) {
        if (ids.rank() != 2) {
            throw new IllegalArgumentException("token rows are [rows, T]; got a batch shaped " + Arrays.toString(ids.shape()));
        }
        int n = (int) ids.size(0);
        int length = (int) ids.size(1);
        if (words != null && words.length != 1 && words.length != n) {
            throw new IllegalArgumentException("got word groups for " + words.length + " rows, expected 1 or one per row (" + n + ")");
        }
        Map<String, List<Integer>> parts = new LinkedHashMap<>();
        Map<String, boolean[]> patterns = new LinkedHashMap<>();
        Map<String, int[]> groups = new LinkedHashMap<>();
        double[][] values = ids.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        for (int r = 0; r < n; r++) {
            boolean[] real = new boolean[length];
            for (int t = 0; t < length; t++) {
                real[t] = padId == null || values[r][t] != padId;
            }
            int[] rowWords = words == null ? null : words[words.length == 1 ? 0 : r];
            if (rowWords != null && rowWords.length != length) {
                throw new IllegalArgumentException("word groups of row " + r + " have " + rowWords.length
                        + " entries, expected one per position (" + length + ")");
            }
            String key = Arrays.toString(real) + Arrays.toString(rowWords);
            parts.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            patterns.putIfAbsent(key, real);
            groups.putIfAbsent(key, rowWords);
        }
        RowPartition partition = new RowPartition(n);
        parts.forEach((key, members) -> {
            partition.rowsOfPart.add(members.stream().mapToInt(Integer::intValue).toArray());
            partition.realOfPart.add(patterns.get(key));
            partition.wordsOfPart.add(groups.get(key));
        });
        return partition;
    }

    public int parts() {
        return rowsOfPart.size();
    }

    /** The batch rows of part {@code p}, ascending. */
    public int[] rows(int p) {
        return rowsOfPart.get(p).clone();
    }

    /** Whether each position of part {@code p}'s rows holds a real token (not padding). */
    public boolean[] real(int p) {
        return realOfPart.get(p).clone();
    }

    /** The word id of each position of part {@code p}'s rows, or null when none were given. */
    public int[] words(int p) {
        int[] words = wordsOfPart.get(p);
        return words == null ? null : words.clone();
    }

    /** The real positions of part {@code p}, ascending. */
    public int[] realPositions(int p) {
        boolean[] real = realOfPart.get(p);
        return java.util.stream.IntStream.range(0, real.length).filter(t -> real[t]).toArray();
    }

    /** Part {@code p}'s rows of {@code batch} (any array whose first axis counts the rows), in 'c' order. */
    public INDArray select(INDArray batch, int p) {
        return selectRows(batch, rowsOfPart.get(p));
    }

    /** The given rows of a batch of any rank, in 'c' order. */
    private static INDArray selectRows(INDArray batch, int[] rows) {
        long[] shape = batch.shape().clone();
        shape[0] = rows.length;
        INDArray flat = batch.dup('c').reshape('c', batch.size(0), -1);
        return Nd4j.pullRows(flat, 1, rows).reshape('c', shape);
    }

    /**
     * The parts' results, one per part in part order, as one result in the batch's row order: values, standard
     * errors and every per-row figure interleaved back; the method, its parameters and seed are the first part's.
     */
    public Attributions.Builder merge(List<Attributions> results) {
        if (results.size() != parts()) {
            throw new IllegalArgumentException(results.size() + " results for " + parts() + " parts");
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
        for (int p = 0; p < results.size(); p++) {
            INDArray values = part.apply(results.get(p));
            INDArray flat = values.dup('c').reshape('c', values.size(0), -1);
            int[] members = rowsOfPart.get(p);
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
        for (int p = 0; p < results.size(); p++) {
            int[] values = part.apply(results.get(p)).orElseThrow();
            int[] members = rowsOfPart.get(p);
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
        for (int p = 0; p < results.size(); p++) {
            double[] values = part.apply(results.get(p)).orElseThrow();
            int[] members = rowsOfPart.get(p);
            for (int i = 0; i < members.length; i++) {
                merged[members[i]] = values[i];
            }
        }
        return Optional.of(merged);
    }
}
