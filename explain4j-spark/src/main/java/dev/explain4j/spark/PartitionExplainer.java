package dev.explain4j.spark;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.MethodInfo;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Explains one partition: its rows are read in chunks as large as the model's memory budget allows (at most
 * {@link #MAX_CHUNK_ROWS}), each chunk is one call of the method, and its rows go out in the order they came, each
 * with its input columns kept. Nothing is shuffled; a chunk's rows are the only ones held at a time.
 *
 * <p>With a row-key column, a stochastic method explains each row alone with a seed derived from the key
 * ({@link RowSeeds}): one call per row.
 */
final class PartitionExplainer implements MapPartitionsFunction<Row, Row> {
    /** Rows held per chunk at most, whatever the budget allows (input rows, their results and Spark's rows). */
    static final int MAX_CHUNK_ROWS = 4096;

    private final ExplainSpec spec;
    private final Broadcast<byte[]> modelFile;

    PartitionExplainer(ExplainSpec spec, Broadcast<byte[]> modelFile) {
        this.spec = spec;
        this.modelFile = modelFile;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        NetworkModel model = ExecutorModels.get(spec, modelFile::value);
        MethodInfo info = MethodRegistry.get(spec.method());
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();
            private long consumed;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && rows.hasNext()) {
                    explainNextChunk();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void explainNextChunk() {
                List<Row> chunk = new ArrayList<>();
                List<double[]> values = new ArrayList<>();
                int limit = 1;
                long[] rowShape = null;
                while (chunk.size() < limit && rows.hasNext()) {
                    Row row = rows.next();
                    double[] v = InputColumn.values(row, spec.inputColumn(), "input-col", rowName(row, consumed));
                    if (rowShape == null) {
                        rowShape = InputColumn.rowShape(model, v.length, "input-col '" + spec.inputName() + "', row "
                                + rowName(row, consumed));
                        limit = chunkLimit(model, rowShape);
                    } else if (v.length != values.get(0).length) {
                        throw new IllegalArgumentException("input-col '" + spec.inputName() + "', row "
                                + rowName(row, consumed) + ": " + v.length + " values, where the rows before it have "
                                + values.get(0).length);
                    }
                    chunk.add(row);
                    values.add(v);
                    consumed++;
                }
                INDArray x = batch(values, rowShape, model);
                int[] targets = targetColumn(chunk);
                boolean perRowSeed = spec.rowKeyColumn() >= 0 && info.stochastic();
                if (perRowSeed) {
                    for (int r = 0; r < chunk.size(); r++) {
                        INDArray one = x.get(NDArrayIndex.interval(r, r + 1)).dup();
                        long seed = RowSeeds.of(spec.seed(), chunk.get(r).get(spec.rowKeyColumn()));
                        Target target = spec.target(targets == null ? null : new int[]{targets[r]});
                        emit(chunk.subList(r, r + 1), explain(one, target, seed, chunk.subList(r, r + 1)));
                    }
                } else {
                    emit(chunk, explain(x, spec.target(targets), spec.seed(), chunk));
                }
            }

            private Attributions explain(INDArray x, Target target, long seed, List<Row> chunk) {
                try {
                    return spec.create(model, x, seed).attribute(x, target);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("input-col '" + spec.inputName() + "', rows "
                            + rowName(chunk.get(0), consumed - chunk.size()) + " to "
                            + rowName(chunk.get(chunk.size() - 1), consumed - 1) + ": " + e.getMessage(), e);
                }
            }

            private void emit(List<Row> chunk, Attributions result) {
                List<Object[]> added = OutputColumns.rows(result, info, spec.featureNames());
                for (int r = 0; r < chunk.size(); r++) {
                    Row in = chunk.get(r);
                    Object[] out = new Object[in.size() + added.get(r).length];
                    for (int c = 0; c < in.size(); c++) {
                        out[c] = in.get(c);
                    }
                    System.arraycopy(added.get(r), 0, out, in.size(), added.get(r).length);
                    ready.add(RowFactory.create(out));
                }
            }
        };
    }

    private int chunkLimit(NetworkModel model, long[] rowShape) {
        if (spec.chunkRows() > 0) {
            return spec.chunkRows();
        }
        long[] probe = new long[rowShape.length + 1];
        probe[0] = 1;
        System.arraycopy(rowShape, 0, probe, 1, rowShape.length);
        return Math.min(MAX_CHUNK_ROWS, model.chunkRows(Nd4j.zeros(model.dataType(), probe)));
    }

    private static INDArray batch(List<double[]> values, long[] rowShape, NetworkModel model) {
        long[] shape = new long[rowShape.length + 1];
        shape[0] = values.size();
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return Nd4j.createFromArray(values.toArray(double[][]::new)).castTo(model.dataType()).reshape('c', shape);
    }

    private int[] targetColumn(List<Row> chunk) {
        if (spec.targetColumn() < 0) {
            return null;
        }
        int[] targets = new int[chunk.size()];
        for (int r = 0; r < targets.length; r++) {
            Row row = chunk.get(r);
            if (row.isNullAt(spec.targetColumn())) {
                throw new IllegalArgumentException("target-col '" + row.schema().fields()[spec.targetColumn()].name()
                        + "', row " + rowName(row, -1) + ": null");
            }
            targets[r] = Math.toIntExact(((Number) row.get(spec.targetColumn())).longValue());
        }
        return targets;
    }

    /** How messages name a row: by its key when the stage has a row-key column, else by its place in the partition. */
    private String rowName(Row row, long index) {
        if (spec.rowKeyColumn() >= 0) {
            return "with key " + row.get(spec.rowKeyColumn());
        }
        TaskContext task = TaskContext.get();
        return (index >= 0 ? index + 1 + " " : "") + "of partition " + (task == null ? "?" : task.partitionId());
    }
}
