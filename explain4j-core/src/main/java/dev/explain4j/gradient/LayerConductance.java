package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Layer conductance (Dhamdhere et al. 2018) as Captum 0.7 computes it ({@code LayerConductance}): the path runs in the
 * input space, x_s = b + α_s (x − b), and a unit of layer L gets the flow of Integrated Gradients through it,
 * Σ_s ∂f/∂a_L(x_s) · (a_L(x_{s+1}) − a_L(x_s)). Shaped like the layer's output, in the model's own layout.
 *
 * <p>Captum's discretisation, followed exactly: with n steps the rule's points for n + 1 steps are evaluated, the
 * gradient is taken at the left end of each of the n intervals between consecutive points, and the rule's weights are
 * not used (the activation differences are the step sizes). So the sum runs from α_0 to α_n: with the default
 * Gauss–Legendre rule those are not 0 and 1, and Σ conductance misses the path's two end pieces; with
 * {@link IntegrationRule#RIEMANN_TRAPEZOID} (points 0 … 1) it spans the whole path and Σ over the layer's units
 * approaches f(x) − f(b) as the steps grow (a left Riemann sum, error of order 1/n). The completeness delta
 * Σ − (f(x) − f(b)) is reported per row, as Captum's convergence delta.
 *
 * <p>Every point's activation and layer gradient come from one forward and one backward pass per chunk
 * ({@link NetworkModel#layerGradients}), rows in groups whose n + 1 points fit the memory budget. Immutable and
 * thread-safe.
 */
public final class LayerConductance extends ReferenceAttribution {
    private final String layer;
    private final int steps;
    private final IntegrationRule rule;

    private LayerConductance(NetworkModel model, String layer, int steps, IntegrationRule rule, Reference reference) {
        super(model, reference);
        rule.checkSteps(steps + 1L);
        this.layer = layer;
        this.steps = steps;
        this.rule = rule;
    }

    /**
     * 50 Gauss–Legendre steps from a zero reference (Captum's defaults).
     *
     * @param layer a layer name or its index (see {@link NetworkModel#layers()})
     * @throws IllegalArgumentException for a model that takes token ids
     */
    public static LayerConductance of(NetworkModel model, String layer) {
        if (model.tokenInput().isPresent()) {
            throw new IllegalArgumentException("layer-conductance runs its path through the input space, and token ids"
                    + " have no points between them; layer-integrated-gradients at the embedding runs it in the"
                    + " embedding's output space instead");
        }
        return new LayerConductance(model, model.layer(layer).name(), 50, IntegrationRule.GAUSS_LEGENDRE, Reference.zeros());
    }

    /** Intervals of the path; the rule's n + 1 points are evaluated. */
    public LayerConductance withSteps(int n) {
        return new LayerConductance(model, layer, n, rule, reference);
    }

    public LayerConductance withRule(IntegrationRule r) {
        return new LayerConductance(model, layer, steps, Objects.requireNonNull(r, "rule"), reference);
    }

    /** Where the paths start in the input space: one reference row per input row, or one for all. */
    public LayerConductance withReference(Reference r) {
        return new LayerConductance(model, layer, steps, rule, Objects.requireNonNull(r, "reference"));
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        INDArray b = reference.resolve(x, model);
        int n = (int) x.size(0);
        int points = steps + 1;
        double[] alphas = rule.alphas(points);
        int group = Math.max(1, model.chunkRows(x) / points);
        INDArray ends = model.predict(Nd4j.concat(0, x, b));
        int[] targets = target.resolve(ends.get(NDArrayIndex.interval(0, n)));
        INDArray conductance = null;
        for (int first = 0; first < n; first += group) {
            int end = Math.min(n, first + group);
            INDArray part = conductance(rows(x, first, end), rows(b, first, end), alphas,
                    Arrays.copyOfRange(targets, first, end));
            if (conductance == null) {
                long[] shape = part.shape().clone();
                shape[0] = n;
                conductance = Nd4j.create(part.dataType(), shape);
            }
            conductance.get(NDArrayIndex.interval(first, end)).assign(part);
        }
        double[] fx = new double[n];
        double[] fb = new double[n];
        double[] delta = rowSums(conductance);
        for (int r = 0; r < n; r++) {
            fx[r] = ends.getDouble(r, targets[r]);
            fb[r] = ends.getDouble(n + r, targets[r]);
            delta[r] -= fx[r] - fb[r];
        }
        return Attributions.builder(name(), conductance).targets(targets).targetOutputs(fx).referenceOutputs(fb)
                .completenessDelta(delta).reference(reference)
                .parameter("output-space", model.outputSpace().name().toLowerCase(Locale.ROOT))
                .parameter("steps", steps).parameter("integration", rule.cliName())
                .parameter("baseline", reference.describe()).parameter("layer", layer).build();
    }

    /**
     * Conductance of the rows of x (paths from the rows of b), all their points in one call of the engine: point s of
     * row r is stacked at s · rows + r, as Captum stacks them, so consecutive points of a row are {@code rows} apart.
     */
    private INDArray conductance(INDArray x, INDArray b, double[] alphas, int[] targets) {
        int rows = (int) x.size(0);
        INDArray[] stacked = new INDArray[alphas.length];
        int[] pointTargets = new int[rows * alphas.length];
        INDArray slope = x.sub(b);
        for (int s = 0; s < alphas.length; s++) {
            stacked[s] = b.add(slope.mul(alphas[s]));
            System.arraycopy(targets, 0, pointTargets, s * rows, rows);
        }
        GradientBatch batch = model.layerGradients(Nd4j.concat(0, stacked), Target.perRow(pointTargets), layer);
        long all = (long) rows * alphas.length;
        INDArray activation = batch.layerActivation();
        INDArray gradient = batch.layerGradient().get(NDArrayIndex.interval(0, all - rows));
        INDArray flow = activation.get(NDArrayIndex.interval(rows, all)).sub(activation.get(NDArrayIndex.interval(0, all - rows)))
                .muli(gradient);
        long[] perStep = flow.shape().clone();
        perStep[0] = rows;
        return flow.reshape('c', prepend(alphas.length - 1L, perStep)).sum(0);
    }

    private static long[] prepend(long first, long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = first;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    private static INDArray rows(INDArray batch, int first, int end) {
        return first == 0 && end == batch.size(0) ? batch : batch.get(NDArrayIndex.interval(first, end));
    }

    @Override
    public String name() {
        return "layer-conductance";
    }
}
