package dev.explain4j.perturbation;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What every perturbation method shares: the model, the batch size, the {@link Reference} absent features take their
 * values from, input checks, feature groups, and the one loop that evaluates coalitions ({@link #evaluateCoalitions}).
 * A coalition is a 0/1 mask over feature groups: a group in the coalition keeps the input's values, a group outside
 * takes the reference's (for a background distribution, each background row's in turn, and the outputs are averaged
 * with the background weights).
 *
 * <p>Immutable: every {@code withY} returns a new method, so one configured method may be shared between threads.
 *
 * @param <M> the concrete method, which the shared {@code withY} calls return
 */
public abstract class PerturbationAttribution<M extends PerturbationAttribution<M>> implements AttributionMethod {
    protected final ExplainableModel model;
    protected final int batchSize;
    /** Null only where the method has a default of its own that no reference expresses (LimeImage's superpixel means). */
    protected final Reference reference;

    protected PerturbationAttribution(ExplainableModel model, int batchSize, Reference reference) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        this.model = model;
        this.batchSize = BatchedEvaluator.checkBatchSize(batchSize);
        this.reference = reference;
    }

    /** Most rows per model call (default {@value BatchedEvaluator#DEFAULT_BATCH_SIZE}). */
    public M withBatchSize(int rows) {
        return copy(BatchedEvaluator.checkBatchSize(rows), reference);
    }

    /** What a removed feature takes: see the method's own documentation for the references it accepts. */
    public M withReference(Reference reference) {
        if (reference == null) {
            throw new IllegalArgumentException("reference must not be null");
        }
        return copy(batchSize, reference);
    }

    /** This method with another batch size or reference, every other setting kept. */
    protected abstract M copy(int batchSize, Reference reference);

    /**
     * Refuses a request whose coalition masks (rows × coalitions per row × groups bytes, all held at once) pass
     * {@link Limits#MAX_COALITION_ENTRIES}, naming the option that sets the coalitions and the largest value it may
     * take for these rows and groups. {@code rows} may also count bytes per entry (KernelSHAP's regression).
     */
    static void checkCoalitionEntries(String option, long value, int rows, long coalitionsPerRow, int groups) {
        long perRow = coalitionsPerRow * groups;
        if (perRow > Limits.MAX_COALITION_ENTRIES / rows) {
            long largest = value * (Limits.MAX_COALITION_ENTRIES / rows) / Math.max(1, perRow);
            throw new IllegalArgumentException(option + " " + value + " with " + groups + " feature groups and " + rows
                    + " rows needs " + rows + " × " + perRow + " coalition entries, more than " + Limits.MAX_COALITION_ENTRIES
                    + "; use at most " + largest + " " + option + ", fewer rows per call or feature groups");
        }
    }

    /** Checks the inputs against the model and returns them flattened, [rows, features], in the model's type. */
    protected INDArray flatInputs(INDArray inputs) {
        if (inputs == null) {
            throw new IllegalArgumentException("inputs must not be null");
        }
        Inputs.checkShape(inputs, model.inputShape(), "inputs");
        return inputs.castTo(model.dataType()).dup('c').reshape('c', inputs.size(0), -1);
    }

    /**
     * A reference as weighted rows flattened, [m, features], in the model's type, checked against the inputs.
     *
     * @param inputs the inputs as the caller gave them, already checked against the model
     */
    protected Reference.Distribution flatDistribution(Reference reference, INDArray inputs) {
        Reference.Distribution d = reference.distribution(inputs.castTo(model.dataType()), model);
        return new Reference.Distribution(d.rows().dup('c').reshape('c', d.size(), -1), d.weights());
    }

    static int groupCount(int[] groupOf) {
        int max = -1;
        for (int g : groupOf) {
            max = Math.max(max, g);
        }
        return max + 1;
    }

    /** The model's outputs at the inputs, the resolved targets, and the value of every planned coalition. */
    protected static final class CoalitionValues {
        /** f(x) for every output, per row. */
        public final double[][] outputs;
        public final int[] targets;
        /** f_target(x) per row. */
        public final double[] fx;
        /** Σ_j w_j f_target(b_j) per row: the value of the empty coalition. */
        public final double[] fnull;
        /** values[row][coalition] = Σ_j w_j f_target(x in the coalition, b_j elsewhere). */
        public final double[][] values;

        CoalitionValues(double[][] outputs, int[] targets, double[] fx, double[] fnull, double[][] values) {
            this.outputs = outputs;
            this.targets = targets;
            this.fx = fx;
            this.fnull = fnull;
            this.values = values;
        }
    }

    /**
     * Evaluates, in one batched stream, the inputs, the baselines and every planned coalition.
     *
     * @param on         the model, or a view of it in the layout of x (channels-first images)
     * @param x          inputs [n, D] in the model's type
     * @param baselines  [nb, D] shared by all rows, or [n, D] one per row when {@code perRow}
     * @param weights    background weights (length nb), ignored when {@code perRow}
     * @param groupOf    group of each of the D features
     * @param masks      per row, its coalitions flattened: masks[r][c·G + g] = 1 if group g is in coalition c
     */
    protected CoalitionValues evaluateCoalitions(ExplainableModel on, INDArray x, INDArray baselines, double[] weights,
                                                 boolean perRow, int[] groupOf, byte[][] masks, Target target) {
        final int n = (int) x.size(0);
        final int width = (int) x.size(1);
        final int groups = groupCount(groupOf);
        final int nb = perRow ? 1 : (int) baselines.size(0);
        final int baselineRows = (int) baselines.size(0);
        if (baselines.size(1) != width) {
            throw new IllegalArgumentException("baseline has " + baselines.size(1) + " features per row, the inputs have " + width);
        }
        final long[] unitStart = new long[n + 1];
        for (int r = 0; r < n; r++) {
            unitStart[r + 1] = unitStart[r] + masks[r].length / groups;
        }
        final long maskedRows = unitStart[n] * nb;
        final long total = n + baselineRows + maskedRows;
        final DataType type = on.dataType();

        InputOutputs inputs = new InputOutputs(n, target);
        double[][] referenceOutputs = new double[baselineRows][];
        double[][] values = new double[n][];
        for (int r = 0; r < n; r++) {
            values[r] = new double[(int) (unitStart[r + 1] - unitStart[r])];
        }

        BatchedEvaluator.RowSource source = (first, count) -> {
            INDArray[] parts = new INDArray[3];
            int p = 0;
            long end = first + count;
            if (first < n) {
                parts[p++] = x.get(NDArrayIndex.interval(first, Math.min(end, n)), NDArrayIndex.all());
            }
            long bFirst = Math.max(first, n);
            long bEnd = Math.min(end, n + baselineRows);
            if (bFirst < bEnd) {
                parts[p++] = baselines.get(NDArrayIndex.interval(bFirst - n, bEnd - n), NDArrayIndex.all());
            }
            long mFirst = Math.max(first, n + baselineRows);
            if (mFirst < end) {
                parts[p++] = maskedRows(x, baselines, perRow, nb, groupOf, groups, masks, unitStart,
                        mFirst - n - baselineRows, (int) (end - mFirst), type);
            }
            return p == 1 ? parts[0] : Nd4j.concat(0, Arrays.copyOf(parts, p));
        };
        BatchedEvaluator.OutputSink sink = (first, out) -> {
            double[][] block = Inputs.rowsAsDoubles(out);
            for (int i = 0; i < block.length; i++) {
                long t = first + i;
                if (inputs.keep(t, block[i])) {
                    continue;
                }
                if (t < n + baselineRows) {
                    referenceOutputs[(int) (t - n)] = block[i];
                    continue;
                }
                long m = t - n - baselineRows;
                long unit = m / nb;
                int j = (int) (m % nb);
                int r = rowOf(unitStart, unit);
                values[r][(int) (unit - unitStart[r])] += (perRow ? 1.0 : weights[j]) * block[i][inputs.targets()[r]];
            }
        };
        new BatchedEvaluator(on, batchSize).evaluate(total, source, sink);
        int[] targets = inputs.targets();
        double[][] outputs = inputs.outputs;
        double[] fx = new double[n];
        double[] fnull = new double[n];
        for (int r = 0; r < n; r++) {
            fx[r] = outputs[r][targets[r]];
            if (perRow) {
                fnull[r] = referenceOutputs[r][targets[r]];
            } else {
                for (int j = 0; j < nb; j++) {
                    fnull[r] += weights[j] * referenceOutputs[j][targets[r]];
                }
            }
        }
        return new CoalitionValues(outputs, targets, fx, fnull, values);
    }

    /** One row's coalitions, planned from the row's own random stream. */
    protected interface RowPlan {
        /** Its coalitions flattened, as {@link #evaluateCoalitions} takes them. */
        byte[] masks();
    }

    /** Turns the values of row {@code row}'s coalitions (at {@code index} of its block) into its attributions. */
    @FunctionalInterface
    protected interface RowFinish<P extends RowPlan> {
        void accept(int row, P plan, CoalitionValues values, int index);
    }

    /**
     * Plans and evaluates the rows of x against a shared background in blocks whose coalition masks
     * ({@code entriesPerRow} bytes a row) fit {@link Limits#MAX_COALITION_ENTRIES}. A row's plan comes from its own
     * stream whatever the blocks, and only one block's plans are held at once.
     *
     * @param x inputs [n, D] in the model's type
     * @return the target of every row
     */
    protected <P extends RowPlan> int[] evaluateInBlocks(INDArray x, Reference.Distribution background, int[] groupOf,
                                                         long entriesPerRow, Target target, IntFunction<P> plan,
                                                         RowFinish<P> finish) {
        int n = (int) x.size(0);
        int rowsPerBlock = (int) Math.min(n, Limits.MAX_COALITION_ENTRIES / Math.max(1, entriesPerRow));
        int[] targets = new int[n];
        for (int first = 0; first < n; first += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, n - first);
            List<P> plans = new ArrayList<>(rows);
            byte[][] masks = new byte[rows][];
            for (int i = 0; i < rows; i++) {
                plans.add(plan.apply(first + i));
                masks[i] = plans.get(i).masks();
            }
            INDArray block = rows == n ? x : x.get(NDArrayIndex.interval(first, first + rows)).dup('c');
            CoalitionValues v = evaluateCoalitions(model, block, background.rows(), background.weights(), false, groupOf,
                    masks, target.rows(first, first + rows));
            System.arraycopy(v.targets, 0, targets, first, rows);
            for (int i = 0; i < rows; i++) {
                finish.accept(first + i, plans.get(i), v, i);
            }
        }
        return targets;
    }

    private static int rowOf(long[] unitStart, long unit) {
        int lo = 0;
        int hi = unitStart.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (unitStart[mid] <= unit) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Rows [first, first+count) of the coalition part of the stream: x where the mask is 1, the baseline elsewhere. */
    private static INDArray maskedRows(INDArray x, INDArray baselines, boolean perRow, int nb, int[] groupOf, int groups,
                                       byte[][] masks, long[] unitStart, long first, int count, DataType type) {
        int width = groupOf.length;
        double[] mask = new double[count * width];
        int[] rowIdx = new int[count];
        int[] baseIdx = new int[count];
        for (int i = 0; i < count; i++) {
            long m = first + i;
            long unit = m / nb;
            int r = rowOf(unitStart, unit);
            int c = (int) (unit - unitStart[r]);
            rowIdx[i] = r;
            baseIdx[i] = perRow ? r : (int) (m % nb);
            byte[] rowMasks = masks[r];
            int offset = c * groups;
            int base = i * width;
            for (int f = 0; f < width; f++) {
                mask[base + f] = rowMasks[offset + groupOf[f]];
            }
        }
        INDArray keep = Nd4j.create(mask, new long[]{count, width}, DataType.DOUBLE).castTo(type);
        // x·m + b·(1−m) rather than b + m·(x−b): with m ∈ {0,1} this reproduces x and b bit for bit
        // pullRows: one native gather (getRows made a view object per row, ~30% of KernelSHAP in JFR)
        INDArray rows = Nd4j.pullRows(x, 1, rowIdx).muli(keep);
        return rows.addi(Nd4j.pullRows(baselines, 1, baseIdx).muli(keep.rsubi(1.0)));
    }

    /** The model's outputs at the inputs, the targets and f_target at the inputs. */
    protected static final class SampleValues {
        public final double[][] outputs;
        public final int[] targets;
        public final double[] fx;

        SampleValues(double[][] outputs, int[] targets, double[] fx) {
            this.outputs = outputs;
            this.targets = targets;
            this.fx = fx;
        }
    }

    /** The samples of each input row, made when the stream reaches them, and what is done with their values. */
    protected interface Neighbourhoods {
        /** The flat rows of row r's samples; asked once per row, rows in ascending order. */
        double[][] samples(int row);

        /** f_target at row r's samples, in their order, once all of them are evaluated (rows in ascending order). */
        void evaluated(int row, double[] values);
    }

    /**
     * Evaluates, in one batched stream, the inputs and then {@code perRow} samples of every input row r; the target of
     * row r is read off each of its samples' outputs. A row's samples are made when the stream reaches them and its
     * values handed on as soon as they are in, so only the rows one batch spans are held, however many rows there are.
     */
    protected SampleValues evaluateSamples(INDArray x, int perRow, Target target, Neighbourhoods neighbourhoods) {
        final int n = (int) x.size(0);
        InputOutputs inputs = new InputOutputs(n, target);
        double[][] xs = Inputs.rowsAsDoubles(x);
        int width = (int) x.size(1);
        DataType type = model.dataType();
        double[][][] held = new double[1][][];
        int[] heldRow = {-1};
        Map<Integer, double[]> pending = new HashMap<>();
        // one flat buffer per batch, converted to the model's type as it is filled: an ND4J cast and concat of the
        // batch cost more than the small model's forward pass (JFR); the inputs' values survive the double round trip
        BatchedEvaluator.RowSource source = (first, count) -> {
            double[] flat = new double[count * width];
            for (int i = 0; i < count; i++) {
                long t = first + i;
                double[] row;
                if (t < n) {
                    row = xs[(int) t];
                } else {
                    int r = (int) ((t - n) / perRow);
                    if (r != heldRow[0]) {
                        held[0] = neighbourhoods.samples(r);
                        heldRow[0] = r;
                    }
                    row = held[0][(int) ((t - n) % perRow)];
                }
                System.arraycopy(row, 0, flat, i * width, width);
            }
            return Nd4j.create(flat, new long[]{count, width}, type);
        };
        BatchedEvaluator.OutputSink sink = (first, out) -> {
            double[][] block = Inputs.rowsAsDoubles(out);
            for (int i = 0; i < block.length; i++) {
                long t = first + i;
                if (inputs.keep(t, block[i])) {
                    continue;
                }
                int r = (int) ((t - n) / perRow);
                int sample = (int) ((t - n) % perRow);
                double[] values = pending.computeIfAbsent(r, row -> new double[perRow]);
                values[sample] = block[i][inputs.targets()[r]];
                if (sample == perRow - 1) {
                    neighbourhoods.evaluated(r, pending.remove(r));
                }
            }
        };
        new BatchedEvaluator(model, batchSize).evaluate((long) n * perRow + n, source, sink);
        int[] targets = inputs.targets();
        double[] fx = new double[n];
        for (int r = 0; r < n; r++) {
            fx[r] = inputs.outputs[r][targets[r]];
        }
        return new SampleValues(inputs.outputs, targets, fx);
    }

    /** Puts a flat [n, D] double matrix into an array of the inputs' shape, in the model's type. */
    protected INDArray shaped(double[][] flat, INDArray inputs) {
        return Nd4j.create(flat).castTo(model.dataType()).reshape('c', inputs.shape());
    }

    /**
     * Starts an {@link Attributions} builder with what every method that evaluates coalitions against its reference
     * records: the batch size, the reference and f at the inputs and at the reference.
     */
    protected Attributions.Builder result(double[][] flatValues, INDArray inputs, CoalitionValues v) {
        return Attributions.builder(name(), shaped(flatValues, inputs))
                .parameter("batch-size", batchSize)
                .parameter("reference", reference.describe())
                .reference(reference)
                .targets(v.targets)
                .targetOutputs(v.fx)
                .referenceOutputs(v.fnull);
    }

    /**
     * The model seen through channels-first image rows [c, h, w] (windows and superpixels are spatial), still
     * predicting in its own layout (NHWC, or flat rows).
     */
    static ExplainableModel channelsFirst(ExplainableModel model, ImageGeometry image) {
        return ExplainableModel.of(batch -> model.predict(image.fromNchw(batch)),
                new long[]{image.channels(), image.height(), image.width()}, model.outputSize(), model.dataType());
    }

    /** Flat rows [m, D] of images in the model's layout (that of {@code inputs}) as [m, c, h, w], in 'c' order. */
    static INDArray channelsFirstRows(ImageGeometry image, INDArray flatRows, INDArray inputs) {
        long[] shape = inputs.shape().clone();
        shape[0] = flatRows.size(0);
        return image.toNchw(flatRows.reshape('c', shape)).dup('c');
    }

    /**
     * The model's outputs at the explained inputs, which every stream evaluates first, and the targets resolved from
     * them once they have all arrived (before the first perturbed row needs one).
     */
    private static final class InputOutputs {
        final double[][] outputs;
        private final Target target;
        private int[] targets;

        InputOutputs(int rows, Target target) {
            this.outputs = new double[rows][];
            this.target = target;
        }

        /** Keeps stream row {@code t} if it is one of the inputs; false for every later row. */
        boolean keep(long t, double[] output) {
            if (t >= outputs.length) {
                return false;
            }
            outputs[(int) t] = output;
            return true;
        }

        int[] targets() {
            if (targets == null) {
                targets = target.resolve(Nd4j.create(outputs));
            }
            return targets;
        }
    }
}
