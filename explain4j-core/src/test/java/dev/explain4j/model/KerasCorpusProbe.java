package dev.explain4j.model;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.Saliency;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child-process side of {@link KerasCorpusTest}: imports and explains each file named on the command line and prints
 * one line per file. Runs in its own JVM because some Keras files drive DL4J's native kernels into failures that
 * later corrupt memory; the parent sees such a crash as the file in progress.
 */
public final class KerasCorpusProbe {
    /** Length given to free (None) dimensions of generated inputs, e.g. sequence length. */
    private static final long FREE_DIMENSION = 6;

    private KerasCorpusProbe() {
    }

    public static void main(String[] files) {
        for (String name : files) {
            System.out.println("START\t" + name);
            System.out.println("DONE\t" + name + "\t" + explain(Path.of(name)).replace('\n', ' '));
            System.out.flush();
        }
        System.out.println("FINISHED");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** "EXPLAINED", or the outcome and message of a refusal, or "DEFECT" and what went wrong. */
    static String explain(Path file) {
        NetworkModel model;
        try {
            model = ModelLoader.load(file, null);
        } catch (IllegalArgumentException e) {
            return e.getMessage().contains(file.toString()) ? "REFUSED_AT_IMPORT\t" + e.getMessage()
                    : "DEFECT\trefusal does not name the file: " + e.getMessage();
        } catch (Throwable e) {
            return "DEFECT\t" + e;
        }
        long[] rowShape = model.inputShape();
        if (rowShape == null) {
            return "REFUSED_AT_EXPLAIN\tinput shape unknown";
        }
        long[] shape = new long[rowShape.length + 1];
        shape[0] = 2;
        for (int i = 0; i < rowShape.length; i++) {
            shape[i + 1] = rowShape[i] < 0 ? FREE_DIMENSION : rowShape[i];
        }
        INDArray x = Nd4j.rand(model.dataType(), shape);
        try {
            Attributions saliency = Saliency.of(model).attribute(x, Target.predicted());
            INDArray values = saliency.values();
            if (!Arrays.equals(values.shape(), shape)) {
                return "DEFECT\tsaliency of shape " + Arrays.toString(values.shape()) + " for input " + Arrays.toString(shape);
            }
            if (values.isNaN().any() || values.isInfinite().any()) {
                return "DEFECT\tnon-finite saliency";
            }
            // IG takes the engine's path sums (fused into a dense or convolutional first layer where one is)
            INDArray ig = IntegratedGradients.of(model).withSteps(4).attribute(x, Target.predicted()).values();
            if (!Arrays.equals(ig.shape(), shape) || ig.isNaN().any() || ig.isInfinite().any()) {
                return "DEFECT\tintegrated gradients of shape " + Arrays.toString(ig.shape()) + " or not finite";
            }
            return "EXPLAINED\t";
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "REFUSED_AT_EXPLAIN\t" + e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (Throwable e) {
            return "DEFECT\t" + e;
        }
    }
}
