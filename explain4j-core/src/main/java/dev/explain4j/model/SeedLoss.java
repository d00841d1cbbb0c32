package dev.explain4j.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A "loss" whose gradient with respect to the output layer's pre-activation is the backward seed itself, pushed
 * through the layer's activation: with the seed in the labels slot, an output layer's backward pass then yields
 * ∂(seed · f)/∂input instead of the gradient of a training loss. Only the gradient is ever asked for.
 */
final class SeedLoss implements ILossFunction {

    @Override
    public INDArray computeGradient(INDArray seed, INDArray preOutput, IActivation activation, INDArray mask) {
        INDArray gradient = activation.backprop(preOutput.dup(), seed.castTo(preOutput.dataType())).getFirst();
        return mask == null ? gradient : gradient.muliColumnVector(mask.castTo(gradient.dataType()));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask, boolean average) {
        return 0;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
        return preOutput.like().assign(0).sum(1);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activation,
                                                         INDArray mask, boolean average) {
        return new Pair<>(0.0, computeGradient(labels, preOutput, activation, mask));
    }

    @Override
    public String name() {
        return "explain4j-seed";
    }
}
