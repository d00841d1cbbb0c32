package dev.explain4j.gradient;

import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The stacked-path loop shared by Integrated Gradients and Expected Gradients: for points j on straight paths from a
 * baseline b_j to an input row x_{r(j)}, accumulates per row
 * <pre>  A_r = Σ_{j : r(j) = r} w_j · ∂f/∂x (b_j + α_j (x_r − b_j)) ⊙ (x_r − b_j)</pre>
 * Points are built and differentiated in chunks (one forward+backward each); the per-row sums are one reduction per row's run of
 * points in a chunk, never a loop over steps.
 */
final class PathIntegral {
    private static final String CHUNK_WORKSPACE_ID = "EXPLAIN4J_PATH_CHUNK";
    /**
     * The points, differences and weighted gradients of a chunk: four or five arrays of chunk × features, which as
     * fresh zeroed allocations were ~12% of IG on the MLP. Reused from chunk to chunk; grows with the largest chunk.
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
     * @param row       input row of each point, ascending
     * @param baseline  baseline row of each point
     * @param alpha     position of each point on its path
     * @param weight    weight of each point
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
        int points = row.length;
        int chunk = chunkRows > 0 ? chunkRows : model.chunkRows(x);
        for (int start = 0; start < points; start += chunk) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CHUNK_WORKSPACE, CHUNK_WORKSPACE_ID)) {
                addChunk(model, flatX, flatB, total, x, row, baseline, alpha, weight, targets, start,
                        Math.min(points, start + chunk));
            }
        }
        return total.reshape('c', x.shape());
    }

    /** Adds the points [start, end) to total; its temporaries live in the chunk workspace. */
    private static void addChunk(NetworkModel model, INDArray flatX, INDArray flatB, INDArray total, INDArray x,
                                 int[] row, int[] baseline, double[] alpha, double[] weight, int[] targets,
                                 int start, int end) {
        long features = flatX.size(1);
        long[] pointShape = x.shape().clone();
        int[] rowIdx = Arrays.copyOfRange(row, start, end);
        INDArray from = Nd4j.pullRows(flatB, 1, Arrays.copyOfRange(baseline, start, end));
        INDArray difference = Nd4j.pullRows(flatX, 1, rowIdx).subi(from);
        INDArray alphas = Nd4j.createFromArray(Arrays.copyOfRange(alpha, start, end)).castTo(x.dataType())
                .reshape(end - start, 1);
        // b + α(x − b) in one new array: each full-size temporary costs about a tenth of the MLP's pass
        INDArray at = difference.mulColumnVector(alphas).addi(from);
        pointShape[0] = end - start;
        int[] pointTargets = new int[end - start];
        for (int j = 0; j < pointTargets.length; j++) {
            pointTargets[j] = targets[rowIdx[j]];
        }
        INDArray gradient = model.gradients(at.reshape('c', pointShape), Target.perRow(pointTargets), null, true,
                end - start).inputGradient().reshape('c', end - start, features);
        // each row's points are consecutive: sum its weighted gradients over that run (a dense selection-matrix
        // product did rows × the work, ~15% of IG on the MLP)
        INDArray weights = Nd4j.createFromArray(Arrays.copyOfRange(weight, start, end)).castTo(x.dataType())
                .reshape(end - start, 1);
        INDArray weighted = gradient.muli(difference).muliColumnVector(weights);
        for (int j = 0; j < rowIdx.length; ) {
            int k = j;
            while (k < rowIdx.length && rowIdx[k] == rowIdx[j]) {
                k++;
            }
            INDArray run = weighted.get(NDArrayIndex.interval(j, k), NDArrayIndex.all());
            total.getRow(rowIdx[j]).addi(run.sum(0));
            j = k;
        }
    }
}
