package dev.explain4j.gradient;

import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.segment.SegmentSum;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The straight-path sum shared by Integrated Gradients and Expected Gradients: paths p from a baseline row b_{β(p)} to
 * an input row x_{r(p)}, each with the same number of points, accumulate per input row
 * <pre>  A_r = Σ_{p : r(p) = r} (x_r − b_{β(p)}) ⊙ Σ_s w_{p,s} ∂f/∂x (b_{β(p)} + α_{p,s} (x_r − b_{β(p)}))</pre>
 * IG has one path per row with all its steps; Expected Gradients one single-point path per sample. Chunks of whole
 * paths (or of one path's steps, when a path has more points than a chunk holds) go through
 * {@link NetworkModel#pathGradients}, which sums each path's gradients: (x − b) multiplies once per path, not per point.
 */
final class PathIntegral {
    private static final String CHUNK_WORKSPACE_ID = "EXPLAIN4J_PATH_CHUNK";
    /**
     * The path ends and sums of a chunk: for Expected Gradients arrays of chunk × features, which as fresh zeroed
     * allocations were ~12% of a path method on the MLP. Reused from chunk to chunk; grows with the largest chunk.
     */
    private static final WorkspaceConfiguration CHUNK_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyMirroring(MirroringPolicy.FULL).policySpill(SpillPolicy.REALLOCATE)
            .build();

    private PathIntegral() {
    }

    /**
     * @param x         [rows, ...]
     * @param baselines [baseline rows, ...] same row shape as x
     * @param row       input row of each path, ascending
     * @param baseline  baseline row of each path
     * @param alpha     position of each point, path-major: point s of path p at p · steps + s
     * @param weight    weight of each point, in the same order
     * @param targets   output index per input row
     * @param chunkRows points per chunk; 0 for the model's default
     * @return A, shaped like x
     */
    static INDArray accumulate(NetworkModel model, INDArray x, INDArray baselines, int[] row, int[] baseline,
                               double[] alpha, double[] weight, int[] targets, int chunkRows) {
        long rows = x.size(0);
        long features = x.length() / rows;
        INDArray flatX = x.reshape('c', rows, features);
        INDArray flatB = baselines.reshape('c', baselines.size(0), features);
        INDArray total = Nd4j.zeros(x.dataType(), rows, features);
        int paths = row.length;
        int steps = alpha.length / paths;
        int chunk = chunkRows > 0 ? chunkRows : model.chunkRows(x);
        int pathsPerChunk = Math.max(1, chunk / steps);
        int stepsPerChunk = Math.min(steps, chunk);
        Chunks chunks = new Chunks(model, flatX, flatB, total, x.shape(), row, baseline, alpha, weight, steps, targets);
        for (int p = 0; p < paths; p += pathsPerChunk) {
            for (int s = 0; s < steps; s += stepsPerChunk) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CHUNK_WORKSPACE, CHUNK_WORKSPACE_ID)) {
                    chunks.add(p, Math.min(paths, p + pathsPerChunk), s, Math.min(steps, s + stepsPerChunk));
                }
            }
        }
        return total.reshape('c', x.shape());
    }

    private record Chunks(NetworkModel model, INDArray flatX, INDArray flatB, INDArray total, long[] shape, int[] row,
                          int[] baseline, double[] alpha, double[] weight, int steps, int[] targets) {

        /** Adds the points [firstStep, endStep) of the paths [firstPath, endPath) to total. */
        void add(int firstPath, int endPath, int firstStep, int endStep) {
            int paths = endPath - firstPath;
            int chunkSteps = endStep - firstStep;
            long[] pathShape = shape.clone();
            pathShape[0] = paths;
            INDArray from = Nd4j.pullRows(flatB, 1, Arrays.copyOfRange(baseline, firstPath, endPath));
            INDArray to = Nd4j.pullRows(flatX, 1, Arrays.copyOfRange(row, firstPath, endPath));
            double[] a = new double[paths * chunkSteps];
            double[] w = new double[a.length];
            int[] pathTargets = new int[paths];
            for (int p = 0; p < paths; p++) {
                System.arraycopy(alpha, (firstPath + p) * steps + firstStep, a, p * chunkSteps, chunkSteps);
                System.arraycopy(weight, (firstPath + p) * steps + firstStep, w, p * chunkSteps, chunkSteps);
                pathTargets[p] = targets[row[firstPath + p]];
            }
            INDArray sums = model.pathGradients(from.reshape('c', pathShape), to.reshape('c', pathShape),
                    Nd4j.createFromArray(a).reshape(paths, chunkSteps), Nd4j.createFromArray(w).reshape(paths, chunkSteps),
                    pathTargets).reshape('c', paths, flatX.size(1));
            INDArray perPath = sums.muli(to.subi(from));
            // a row's paths are consecutive: one segment sum adds them up
            int firstRow = row[firstPath];
            int[] segments = new int[paths];
            for (int p = 0; p < paths; p++) {
                segments[p] = row[firstPath + p] - firstRow;
            }
            INDArray perRow = segments[paths - 1] == paths - 1 ? perPath
                    : Nd4j.exec(new SegmentSum(perPath, Nd4j.createFromArray(segments).castTo(DataType.INT)))[0];
            total.get(NDArrayIndex.interval(firstRow, firstRow + perRow.size(0)), NDArrayIndex.all()).addi(perRow);
        }
    }
}
