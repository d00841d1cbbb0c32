package dev.explain4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.stream.Stream;

/** Batches that hold one row among others, for the row-independence tests of the seeded metrics. */
final class Rows {
    private Rows() {
    }

    /** The others with {@code row} inserted before the one at {@code position} (so it is at {@code position}). */
    static INDArray insert(INDArray others, INDArray row, int position) {
        INDArray before = others.get(NDArrayIndex.interval(0, position));
        INDArray after = others.get(NDArrayIndex.interval(position, others.size(0)));
        return Nd4j.concat(0, Stream.of(before, row, after).filter(a -> a.size(0) > 0).toArray(INDArray[]::new));
    }
}
