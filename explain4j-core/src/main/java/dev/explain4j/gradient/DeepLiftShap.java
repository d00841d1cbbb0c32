package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.Inputs;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Objects;
import java.util.Optional;

/**
 * DeepLIFT averaged over a background distribution: Captum 0.7's {@code DeepLiftShap}, the estimator of SHAP's
 * {@code DeepExplainer}. Each row is explained by {@link DeepLift} against every background row, and the attributions
 * are averaged with the background's weights (equal weights: Captum's plain mean). The pairs (row, background row) run
 * through the engine in blocks of rows, so the stacked copies stay within the memory budget whatever the product of
 * rows and background rows.
 *
 * <p>Completeness holds exactly per pair, so per row Σ attributions = f(x) − Σ_j w_j f(b_j): the reported delta is
 * that gap (≈ 0 up to rounding) and the reference output the weighted mean of the background's outputs.
 */
public final class DeepLiftShap extends GradientAttribution {
    private final Reference background;

    private DeepLiftShap(NetworkModel model, Reference background) {
        super(model);
        this.background = Objects.requireNonNull(background, "background");
    }

    /** @param background the distribution to average over, e.g. {@link Reference#distribution(INDArray)} */
    public static DeepLiftShap of(NetworkModel model, Reference background) {
        return new DeepLiftShap(model, background);
    }

    public DeepLiftShap withReference(Reference b) {
        return new DeepLiftShap(model, b);
    }

    @Override
    protected Optional<Reference> reference() {
        return Optional.of(background);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        Reference.Distribution distribution = background.distribution(x, model);
        INDArray bg = distribution.rows().castTo(x.dataType());
        Inputs.checkFinite(bg, "background");
        int n = (int) x.size(0);
        int m = distribution.size();
        INDArray weights = Nd4j.createFromArray(distribution.weights()).castTo(x.dataType());
        INDArray attributions = Nd4j.create(x.dataType(), x.shape());
        INDArray flatAttributions = attributions.reshape('c', n, -1);
        int[] targets = new int[n];
        double[] fx = new double[n];
        double[] fb = new double[n];
        int block = Math.max(1, model.chunkRows(x) / m);
        for (int start = 0; start < n; start += block) {
            int rows = Math.min(block, n - start);
            int[] rowOfPair = new int[rows * m];
            int[] backgroundOfPair = new int[rows * m];
            for (int p = 0; p < rowOfPair.length; p++) {
                rowOfPair[p] = start + p / m;
                backgroundOfPair[p] = p % m;
            }
            DeepLift.Pairs pairs = DeepLift.Pairs.of(model, select(x, rowOfPair), select(bg, backgroundOfPair),
                    target.rows(start, start + rows).repeatRows(m));
            INDArray perPair = pairs.contributions().reshape('c', rows, m, -1);
            INDArray weighted = perPair.mul(weights.reshape(1, m, 1).broadcast(perPair.shape())).sum(1);
            flatAttributions.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()).assign(weighted);
            int[] pairTargets = pairs.batch().targets();
            double[] pairFx = pairs.batch().targetOutputs();
            double[] pairFb = pairs.referenceOutputs();
            for (int p = 0; p < pairTargets.length; p++) {
                int r = start + p / m;
                targets[r] = pairTargets[p];
                fx[r] = pairFx[p];
                fb[r] += distribution.weights()[p % m] * pairFb[p];
            }
        }
        double[] delta = rowSums(attributions);
        for (int r = 0; r < n; r++) {
            delta[r] -= fx[r] - fb[r];
        }
        return Attributions.builder(name(), attributions).targets(targets).targetOutputs(fx).referenceOutputs(fb)
                .completenessDelta(delta).reference(background)
                .parameter("output-space", model.outputSpace().name().toLowerCase(java.util.Locale.ROOT))
                .parameter("background-rows", m).build();
    }

    /** The given rows of a batch, in that order. */
    private static INDArray select(INDArray batch, int[] rows) {
        long[] shape = batch.shape().clone();
        shape[0] = rows.length;
        return Nd4j.pullRows(batch.reshape('c', batch.size(0), -1), 1, rows).reshape('c', shape);
    }

    @Override
    public String name() {
        return "deeplift-shap";
    }
}
