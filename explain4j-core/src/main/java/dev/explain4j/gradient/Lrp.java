package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.BackwardRules;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.LrpRule;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Layer-wise relevance propagation (Bach et al. 2015), as Captum 0.7's {@code LRP}: the target's output f_t(x) is
 * handed down layer by layer, each dense, 2-D convolution and pooling layer sharing its relevance among its inputs by its
 * {@link LrpRule} (by default Captum's epsilon rule with ε = 1e-9; the gamma and z-plus rules chosen per layer by name),
 * ReLU, tanh and dropout passing it through (the rules: {@link BackwardRules#lrp}). A layer kind without a rule (batch
 * normalization, recurrent layers, residual sums, a softmax output: explain logits) is refused by name.
 *
 * <p>As in Captum, the relevance is computed normalised (the walk starts from 1 at the target) and multiplied by f_t(x)
 * at the end, and the conservation figure per row is Σ relevance − f_t(x), reported as the completeness delta; what the
 * biases and ε absorb shows there (it is 0 on a bias-free network with the epsilon rule up to ε).
 */
public final class Lrp extends GradientAttribution {
    private final LrpRule defaultRule;
    private final Map<String, LrpRule> byLayer;

    private Lrp(NetworkModel model, LrpRule defaultRule, Map<String, LrpRule> byLayer) {
        super(model);
        this.defaultRule = Objects.requireNonNull(defaultRule, "rule");
        this.byLayer = byLayer;
    }

    /** The epsilon rule, ε = 1e-9, on every layer. */
    public static Lrp of(NetworkModel model) {
        return new Lrp(model, LrpRule.defaultRule(), Map.of());
    }

    /** The rule of every layer not given one by {@link #withLayerRule}. */
    public Lrp withRule(LrpRule rule) {
        return new Lrp(model, rule, byLayer);
    }

    /** @param layer a layer by name or index (see {@link NetworkModel#layer}) */
    public Lrp withLayerRule(String layer, LrpRule rule) {
        Map<String, LrpRule> rules = new LinkedHashMap<>(byLayer);
        rules.put(model.layer(layer).name(), Objects.requireNonNull(rule, "rule"));
        return new Lrp(model, defaultRule, Map.copyOf(rules));
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        GradientBatch batch = model.gradients(inputs, null, target, BackwardRules.lrp(defaultRule, byLayer));
        INDArray normalised = batch.inputGradient();
        double[] fx = batch.targetOutputs();
        long rows = normalised.size(0);
        INDArray relevance = normalised.reshape('c', rows, -1).mulColumnVector(
                Nd4j.createFromArray(fx).castTo(normalised.dataType()).reshape(rows, 1)).reshape('c', normalised.shape());
        double[] delta = rowSums(relevance);
        for (int r = 0; r < delta.length; r++) {
            delta[r] -= fx[r];
        }
        Attributions.Builder result = result(relevance, batch).completenessDelta(delta).parameter("rule", defaultRule.describe());
        if (!byLayer.isEmpty()) {
            result.parameter("layer-rules", byLayer.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().describe())
                    .sorted().collect(Collectors.joining(",")));
        }
        return result.build();
    }

    @Override
    public String name() {
        return "lrp";
    }
}
