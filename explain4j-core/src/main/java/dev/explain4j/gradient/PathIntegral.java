package dev.explain4j.gradient;

import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.PathEnds;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The straight-path sum shared by Integrated Gradients and Expected Gradients: paths p from a baseline row b_{β(p)} to
 * an input row x_{r(p)}, each with the same number of points, accumulate per input row
 * <pre>  A_r = Σ_{p : r(p) = r} (x_r − b_{β(p)}) ⊙ Σ_s w_{p,s} ∂f/∂x (b_{β(p)} + α_{p,s} (x_r − b_{β(p)}))</pre>
 * IG has one path per row with all its steps; Expected Gradients one single-point path per sample. Chunks of whole
 * paths (or of one path's steps, when a path has more points than a chunk holds) go through
 * {@link NetworkModel#pathGradients}, which sums each path's gradients: (x − b) multiplies once per path, not per point,
 * and a linear first layer is computed once per distinct baseline or input row of the chunk.
 */
final class PathIntegral {
    private static final String CHUNK_WORKSPACE_ID = "EXPLAIN4J_PATH_CHUNK-";
    private static final AtomicLong CALLS = new AtomicLong();
    /**
     * The path ends and sums of a chunk: for Expected Gradients arrays of chunk × features, which as fresh zeroed
     * allocations were ~12% of a path method on the MLP. Reused from chunk to chunk of a call; grows with the largest
     * chunk, and is released when the call ends.
     */
    private static final WorkspaceConfiguration CHUNK_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyMirroring(MirroringPolicy.FULL).policySpill(SpillPolicy.REALLOCATE)
            .build();

    private PathIntegral() {
    }

    /**
     * The paths of one call, described point by point so that a chunk's points are generated when the chunk is built:
     * nothing on the heap grows with paths × steps. PathIntegral asks for every path exactly once per chunk of its
     * steps, paths in ascending order and a path's steps in ascending order, so a stateful (seeded) description
     * gives the same points however the calls are chunked.
     */
    interface Paths {
        /** Number of paths. */
        long count();

        /** Points per path. */
        int steps();

        /** Input row of path p, ascending in p. */
        int row(long path);

        /**
         * Writes the positions and weights of steps [firstStep, firstStep + length) of path p at {@code offset} of
         * {@code alpha} and {@code weight}; returns the path's baseline row.
         */
        int points(long path, int firstStep, int length, double[] alpha, double[] weight, int offset);
    }

    /**
     * @param x         [rows, ...]
     * @param baselines [baseline rows, ...] same row shape as x
     * @param paths     the paths and their points
     * @param targets   output index per input row
     * @param chunkRows points per chunk; 0 for the model's default
     * @return A, shaped like x
     */
    static INDArray accumulate(NetworkModel model, INDArray x, INDArray baselines, Paths paths, int[] targets, int chunkRows) {
        long rows = x.size(0);
        long features = x.length() / rows;
        INDArray flatX = x.reshape('c', rows, features);
        INDArray flatB = baselines.reshape('c', baselines.size(0), features);
        INDArray total = Nd4j.zeros(x.dataType(), rows, features);
        long count = paths.count();
        int steps = paths.steps();
        int chunk = chunkRows > 0 ? chunkRows : model.chunkRows(x);
        int pathsPerChunk = Math.max(1, chunk / steps);
        int stepsPerChunk = Math.min(steps, chunk);
        Chunks chunks = new Chunks(model, x, baselines, flatX, flatB, total, paths, targets);
        // a workspace of this call's own: a per-thread one outlived the model (and its close()) with the thread
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        MemoryWorkspace workspace = manager.createNewWorkspace(CHUNK_WORKSPACE, CHUNK_WORKSPACE_ID + CALLS.incrementAndGet());
        try {
            for (long p = 0; p < count; p += pathsPerChunk) {
                int chunkPaths = (int) Math.min(pathsPerChunk, count - p);
                for (int s = 0; s < steps; s += stepsPerChunk) {
                    try (MemoryWorkspace ignored = workspace.notifyScopeEntered()) {
                        chunks.add(p, chunkPaths, s, Math.min(stepsPerChunk, steps - s));
                    }
                }
            }
        } finally {
            manager.destroyWorkspace(workspace);
        }
        return total.reshape('c', x.shape());
    }

    private record Chunks(NetworkModel model, INDArray x, INDArray baselines, INDArray flatX, INDArray flatB,
                          INDArray total, Paths paths, int[] targets) {

        /** Adds the points [firstStep, firstStep + chunkSteps) of the paths [firstPath, firstPath + count) to total. */
        void add(long firstPath, int count, int firstStep, int chunkSteps) {
            // count · chunkSteps ≤ the chunk's points, an int
            double[] a = new double[count * chunkSteps];
            double[] w = new double[a.length];
            int[] from = new int[count];
            int[] to = new int[count];
            int[] pathTargets = new int[count];
            for (int p = 0; p < count; p++) {
                from[p] = paths.points(firstPath + p, firstStep, chunkSteps, a, w, p * chunkSteps);
                to[p] = paths.row(firstPath + p);
                pathTargets[p] = targets[to[p]];
            }
            INDArray sums = model.pathGradients(new PathEnds(baselines, x, from, to),
                    Nd4j.createFromArray(a).reshape(count, chunkSteps), Nd4j.createFromArray(w).reshape(count, chunkSteps),
                    pathTargets).reshape('c', count, flatX.size(1));
            INDArray perPath = sums.muli(Nd4j.pullRows(flatX, 1, to).subi(Nd4j.pullRows(flatB, 1, from)));
            // a row's paths are consecutive: one sum per run of them (libnd4j's segment_sum took 70% of Expected
            // Gradients on the MLP in JFR, more than the network's own pass)
            int firstRow = to[0];
            INDArray perRow = perPath;
            if (to[count - 1] - firstRow != count - 1) {
                perRow = Nd4j.zeros(perPath.dataType(), to[count - 1] - firstRow + 1, perPath.size(1));
                for (int p = 0; p < count; ) {
                    int run = p;
                    while (run < count && to[run] == to[p]) {
                        run++;
                    }
                    perRow.getRow(to[p] - firstRow).assign(perPath.get(NDArrayIndex.interval(p, run), NDArrayIndex.all()).sum(0));
                    p = run;
                }
            }
            total.get(NDArrayIndex.interval(firstRow, firstRow + perRow.size(0)), NDArrayIndex.all()).addi(perRow);
        }
    }
}
