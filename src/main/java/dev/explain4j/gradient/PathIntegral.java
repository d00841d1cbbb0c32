package dev.explain4j.gradient;

import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The stacked-path loop shared by Integrated Gradients and Expected Gradients: for points j on straight paths from a
 * baseline b_j to an input row x_{r(j)}, accumulates per row
 * <pre>  A_r = Σ_{j : r(j) = r} w_j · ∂f/∂x (b_j + α_j (x_r − b_j)) ⊙ (x_r − b_j)</pre>
 * Points are built and differentiated in chunks (one forward+backward each); the per-row sums are one matrix product
 * per chunk, never a loop over steps.
 */
final class PathIntegral {
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
        long[] pointShape = x.shape().clone();
        for (int start = 0; start < points; start += chunk) {
            int end = Math.min(points, start + chunk);
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
            int firstRow = rowIdx[0];
            int lastRow = rowIdx[rowIdx.length - 1];
            // selection matrix: entry (r − firstRow, j) = w_j where point j lies on row r's path
            double[][] select = new double[lastRow - firstRow + 1][end - start];
            for (int j = 0; j < select[0].length; j++) {
                select[rowIdx[j] - firstRow][j] = weight[start + j];
            }
            INDArray sums = Nd4j.createFromArray(select).castTo(x.dataType()).mmul(gradient.muli(difference));
            total.get(NDArrayIndex.interval(firstRow, lastRow + 1), NDArrayIndex.all()).addi(sums);
        }
        return total.reshape('c', x.shape());
    }
}
