package dev.explain4j.text;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keras' defaults, worked out by hand from its source: {@code text_to_word_sequence} (lower-case, the default filters
 * and the space separate words), {@code texts_to_sequences} (unknown words and ids ≥ num_words become the OOV id or
 * are dropped) and {@code pad_sequences} ('pre' padding and truncation, value 0).
 */
class TokenizerTest {
    private static final Vocabulary VOCABULARY = Vocabulary.of(
            List.of("<pad>", "<oov>", "free", "money", "now", "it's", "2", "o'clock—now", "hello", "world"));

    @Test
    void splitsAsKerasDoesKeepingDigitsApostrophesAndCharactersOutsideItsFilters() {
        Tokenizer t = Tokenizer.of(VOCABULARY, 8);
        assertThat(t.words("Hello, World!  It's 2 o'clock—now.\tFREE\u00e9"))
                .containsExactly("hello", "world", "it's", "2", "o'clock—now", "free\u00e9");
        assertThat(t.words(" ,;  ")).isEmpty();
        assertThat(t.withLowerCase(false).words("Free MONEY")).containsExactly("Free", "MONEY");
    }

    @Test
    void padsAndTruncatesAtTheFrontByDefault() {
        Tokenizer t = Tokenizer.of(VOCABULARY, 5);
        Tokenizer.Encoded shortText = t.encode("free money");
        assertThat(shortText.ids()).containsExactly(0, 0, 0, 2, 3);
        assertThat(shortText.tokens()).containsExactly(null, null, null, "free", "money");
        Tokenizer.Encoded longText = t.encode("hello world free money now free money");
        assertThat(longText.ids()).as("a long text keeps its last words").containsExactly(2, 3, 4, 2, 3);
        assertThat(longText.tokens()).containsExactly("free", "money", "now", "free", "money");
        Tokenizer post = t.withPadding(Tokenizer.Side.POST).withTruncation(Tokenizer.Side.POST);
        assertThat(post.encode("free money").ids()).containsExactly(2, 3, 0, 0, 0);
        assertThat(post.encode("hello world free money now free money").ids()).containsExactly(8, 9, 2, 3, 4);
        assertThat(t.withPaddingId(9).encode("now").ids()).containsExactly(9, 9, 9, 9, 4);
    }

    @Test
    void unknownWordsAndIdsBeyondTheLimitTakeTheOovIdOrAreDroppedWithout() {
        Tokenizer t = Tokenizer.of(VOCABULARY, 4);
        Tokenizer.Encoded withOov = t.withVocabularyLimit(9).encode("hello unheard world");
        assertThat(withOov.ids()).as("world is id 9, beyond a limit of 9").containsExactly(0, 8, 1, 1);
        assertThat(withOov.tokens()).containsExactly(null, "hello", "unheard", "world");
        Vocabulary noOov = Vocabulary.of(List.of("<pad>", "free", "money"));
        Tokenizer.Encoded dropped = Tokenizer.of(noOov, 4).encode("free unheard money");
        assertThat(dropped.ids()).containsExactly(0, 0, 1, 2);
        assertThat(dropped.tokens()).containsExactly(null, null, "free", "money");
        assertThat(Tokenizer.of(noOov, 4).withOutOfVocabularyId(2).encode("x").ids()).containsExactly(0, 0, 0, 2);
    }

    @Test
    void idsOfManyTextsAndTokensOfIds() {
        Tokenizer t = Tokenizer.of(VOCABULARY, 3);
        INDArray ids = Tokenizer.ids(List.of(t.encode("free"), t.encode("money now free")), DataType.FLOAT);
        assertThat(ids.shape()).containsExactly(2, 3);
        assertThat(ids.toDoubleMatrix()).isDeepEqualTo(new double[][] {{0, 0, 2}, {3, 4, 2}});
        assertThat(t.tokensOf(new int[] {0, 1, 3})).containsExactly(null, "<oov>", "money");
        assertThatThrownBy(() -> Tokenizer.of(VOCABULARY, 0)).hasMessageContaining("got length 0");
        assertThat(Arrays.stream(t.encode("").ids()).sum()).isZero();
    }
}
