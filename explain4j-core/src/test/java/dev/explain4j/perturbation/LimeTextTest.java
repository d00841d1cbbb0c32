package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.core.MethodSettings;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** LimeText on a network whose output is linear in the bag of words: it recovers the words' coefficients. */
class LimeTextTest {
    private static final int[] WORDS = {5, 9, 7, 3, 12, 20};
    private static final double[] COEFFICIENTS = {2.0, -1.5, 0.8, -0.3, 1.1, 0.05};

    private static NetworkModel bagOfWordsModel() {
        return NetworkModel.of(TokenNetworks.linearInTokens(WORDS, COEFFICIENTS));
    }

    private static INDArray sentence(int... ids) {
        return Nd4j.createFromArray(Arrays.stream(ids).asDoubleStream().toArray()).reshape(1, ids.length);
    }

    @Test
    void onALinearBagOfWordsItRecoversTheCoefficientsTheirSignsAndTheirOrder() {
        Attributions result = LimeText.of(bagOfWordsModel()).withSamples(2000).withSeed(11)
                .attribute(sentence(WORDS), Target.index(0));
        double[] values = result.row(0);
        for (int i = 0; i < WORDS.length; i++) {
            assertThat(values[i]).as("word %d", WORDS[i]).isCloseTo(COEFFICIENTS[i], within(0.02 * Math.abs(COEFFICIENTS[i]) + 1e-3));
            assertThat(Math.signum(values[i])).isEqualTo(Math.signum(COEFFICIENTS[i]));
        }
        assertThat(byDecreasing(values)).containsExactly(byDecreasing(COEFFICIENTS));
        assertThat(result.fitScores().orElseThrow()[0]).isGreaterThan(0.999);
        assertThat(result.targetOutputs().orElseThrow()[0]).isCloseTo(Arrays.stream(COEFFICIENTS).sum(), within(1e-12));
        assertThat(result.referenceOutputs().orElseThrow()[0]).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void aWordIsOneFeatureWhereverItOccursAndPositionsAreFeaturesWithoutTheBag() {
        // word 5 twice: removing it removes both occurrences, so it weighs 2 × c_5 at each of its positions
        INDArray repeated = sentence(5, 9, 5, 7);
        double[] words = LimeText.of(bagOfWordsModel()).withSamples(2000).attribute(repeated, Target.index(0)).row(0);
        assertThat(words[0]).isEqualTo(words[2]).isCloseTo(4.0, within(0.1));
        double[] positions = LimeText.of(bagOfWordsModel()).withSamples(2000).withBagOfWords(false)
                .attribute(repeated, Target.index(0)).row(0);
        assertThat(positions[0]).isCloseTo(2.0, within(0.05));
        assertThat(positions[2]).isCloseTo(2.0, within(0.05));
    }

    @Test
    void itIsSeededAndTheSeedMatters() {
        NetworkModel model = bagOfWordsModel();
        // a non-linear model, so that the neighbourhood drawn shows in the fit
        INDArray ids = TokenNetworks.sequences(3, 5);
        NetworkModel nonLinear = NetworkModel.of(TokenNetworks.recurrentPooled(DataType.DOUBLE, PoolingType.MAX));
        LimeText lime = LimeText.of(nonLinear).withSamples(300).withReference(Reference.constant(1));
        INDArray first = lime.withSeed(4).attribute(ids, Target.index(1)).values();
        assertThat(lime.withSeed(4).attribute(ids, Target.index(1)).values()).isEqualTo(first);
        assertThat(lime.withSeed(5).attribute(ids, Target.index(1)).values()).isNotEqualTo(first);
        assertThat(LimeText.of(model).withSeed(4).attribute(sentence(WORDS), Target.index(0)).seed()).contains(4L);
    }

    @Test
    void limeOnATokenModelIsLimeText() {
        NetworkModel model = bagOfWordsModel();
        assertThat(MethodRegistry.create("lime", model, MethodSettings.defaults(), sentence(WORDS)).name()).isEqualTo("lime-text");
    }

    private static Integer[] byDecreasing(double[] values) {
        return IntStream.range(0, values.length).boxed().sorted(Comparator.comparingDouble(i -> -values[i])).toArray(Integer[]::new);
    }
}
