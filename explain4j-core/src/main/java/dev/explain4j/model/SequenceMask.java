package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Which time steps of a batch of sequences are real and which are padding: DL4J's feature mask, [rows, T] with 1 at a
 * real step and 0 at padding, which recurrent layers and global pooling honour. Either read off token ids (a padding
 * id: every batch gets its own mask, as a Keras {@code mask_zero} embedding computes it) or one fixed pattern of
 * steps that every row of every batch shares (how a method running after the embedding keeps the mask of the rows it
 * explains however it stacks them).
 */
public abstract class SequenceMask {
    private SequenceMask() {
    }

    /** The mask of a batch entering the network, in the batch's floating-point type. */
    abstract INDArray of(INDArray batch);

    /** Steps holding {@code padId} are padding; for networks that take token ids [rows, T]. */
    public static SequenceMask padId(long padId) {
        return new SequenceMask() {
            @Override
            INDArray of(INDArray ids) {
                if (ids.rank() != 2) {
                    throw new IllegalArgumentException("a padding id masks token ids [rows, T]; got a batch shaped "
                            + Arrays.toString(ids.shape()));
                }
                return ids.neq(padId).castTo(ids.dataType());
            }

            @Override
            public String toString() {
                return "pad-id " + padId;
            }
        };
    }

    /** The same steps masked in every row: {@code real[t]} tells whether step t is real. */
    public static SequenceMask fixed(boolean[] real) {
        double[] steps = new double[real.length];
        for (int t = 0; t < real.length; t++) {
            steps[t] = real[t] ? 1 : 0;
        }
        return new SequenceMask() {
            @Override
            INDArray of(INDArray batch) {
                INDArray row = Nd4j.createFromArray(steps).castTo(batch.dataType()).reshape(1, steps.length);
                return row.repeat(0, batch.size(0));
            }

            @Override
            public String toString() {
                return "fixed " + Arrays.toString(real);
            }
        };
    }
}
