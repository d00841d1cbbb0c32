package dev.explain4j.text;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Text to the token ids a model takes, as Keras' {@code Tokenizer.texts_to_sequences} and {@code pad_sequences} do
 * with their defaults: lower-cased; every character of Keras' default filters
 * (<code>!"#$%&amp;()*+,-./:;&lt;=&gt;?@[\]^_`{|}~</code>, tab and line break) and the space separate words, so digits
 * and apostrophes stay inside them; a word the vocabulary lacks, or whose id is beyond the model's vocabulary
 * ({@code num_words}), becomes the out-of-vocabulary id, or is dropped when there is none (as Keras drops it);
 * then the sequence is padded with the padding id, or truncated, to the length, both at the front by default
 * ({@code padding='pre'}, {@code truncating='pre'}: a long text keeps its last words).
 *
 * <p>Configured as {@code Tokenizer.of(vocabulary, length)} plus immutable {@code withY(...)}; thread-safe.
 */
public final class Tokenizer {
    private static final String KERAS_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n ";

    /** Where padding goes, or what truncation removes. */
    public enum Side {
        /** At the front: Keras' default. */
        PRE,
        /** At the end. */
        POST
    }

    /**
     * One text as the model takes it.
     *
     * @param ids    exactly the length, padding included
     * @param tokens per position the word it holds, null where it holds padding; an out-of-vocabulary position
     *               holds the word as written in the text (lower-cased)
     */
    public record Encoded(int[] ids, List<String> tokens) {
        public Encoded {
            ids = ids.clone();
            tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }
    }

    private final Vocabulary vocabulary;
    private final int length;
    private final long vocabularyLimit;
    private final int paddingId;
    private final Integer outOfVocabularyId;
    private final Side padding;
    private final Side truncation;
    private final boolean lowerCase;

    private Tokenizer(Vocabulary vocabulary, int length, long vocabularyLimit, int paddingId, Integer outOfVocabularyId,
                      Side padding, Side truncation, boolean lowerCase) {
        this.vocabulary = vocabulary;
        this.length = length;
        this.vocabularyLimit = vocabularyLimit;
        this.paddingId = paddingId;
        this.outOfVocabularyId = outOfVocabularyId;
        this.padding = padding;
        this.truncation = truncation;
        this.lowerCase = lowerCase;
    }

    /**
     * @param length positions per sequence (the model's input length)
     * @throws IllegalArgumentException when the length is below 1
     */
    public static Tokenizer of(Vocabulary vocabulary, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("a sequence needs at least one position, got length " + length);
        }
        OptionalInt oov = Objects.requireNonNull(vocabulary, "vocabulary").outOfVocabulary();
        return new Tokenizer(vocabulary, length, vocabulary.size(), 0, oov.isPresent() ? oov.getAsInt() : null,
                Side.PRE, Side.PRE, true);
    }

    /** Ids at or beyond {@code limit} are out of vocabulary (Keras' {@code num_words}; a model's embedding size). */
    public Tokenizer withVocabularyLimit(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the vocabulary limit must be at least 1, got " + limit);
        }
        return new Tokenizer(vocabulary, length, limit, paddingId, outOfVocabularyId, padding, truncation, lowerCase);
    }

    /** The id that fills padded positions (default 0, Keras' {@code value=0}). */
    public Tokenizer withPaddingId(int id) {
        return new Tokenizer(vocabulary, length, vocabularyLimit, id, outOfVocabularyId, padding, truncation, lowerCase);
    }

    /** The id of unknown words (default: the vocabulary's out-of-vocabulary token; without one they are dropped). */
    public Tokenizer withOutOfVocabularyId(int id) {
        return new Tokenizer(vocabulary, length, vocabularyLimit, paddingId, id, padding, truncation, lowerCase);
    }

    public Tokenizer withPadding(Side side) {
        return new Tokenizer(vocabulary, length, vocabularyLimit, paddingId, outOfVocabularyId,
                Objects.requireNonNull(side, "padding"), truncation, lowerCase);
    }

    public Tokenizer withTruncation(Side side) {
        return new Tokenizer(vocabulary, length, vocabularyLimit, paddingId, outOfVocabularyId, padding,
                Objects.requireNonNull(side, "truncation"), lowerCase);
    }

    /** Whether text is lower-cased before lookup (default true, as Keras' {@code lower=True}). */
    public Tokenizer withLowerCase(boolean lower) {
        return new Tokenizer(vocabulary, length, vocabularyLimit, paddingId, outOfVocabularyId, padding, truncation, lower);
    }

    public int length() {
        return length;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The words of a text, before lookup (Keras' {@code text_to_word_sequence}). */
    public List<String> words(String text) {
        String cased = lowerCase ? text.toLowerCase(Locale.ROOT) : text;
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= cased.length(); i++) {
            boolean separator = i == cased.length() || KERAS_FILTERS.indexOf(cased.charAt(i)) >= 0;
            if (separator && start >= 0) {
                words.add(cased.substring(start, i));
                start = -1;
            } else if (!separator && start < 0) {
                start = i;
            }
        }
        return words;
    }

    /** One text as ids of exactly {@link #length()} positions, with the word of each. */
    public Encoded encode(String text) {
        List<Integer> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (String word : words(text)) {
            OptionalInt id = vocabulary.id(word);
            if (id.isPresent() && id.getAsInt() < vocabularyLimit) {
                ids.add(id.getAsInt());
                tokens.add(word);
            } else if (outOfVocabularyId != null) {
                ids.add(outOfVocabularyId);
                tokens.add(word);
            }
        }
        int excess = ids.size() - length;
        if (excess > 0) {
            int from = truncation == Side.PRE ? excess : 0;
            return new Encoded(ids.subList(from, from + length).stream().mapToInt(Integer::intValue).toArray(),
                    tokens.subList(from, from + length));
        }
        int[] padded = new int[length];
        Arrays.fill(padded, paddingId);
        List<String> paddedTokens = new ArrayList<>(Collections.nCopies(length, (String) null));
        int offset = padding == Side.PRE ? -excess : 0;
        for (int i = 0; i < ids.size(); i++) {
            padded[offset + i] = ids.get(i);
            paddedTokens.set(offset + i, tokens.get(i));
        }
        return new Encoded(padded, paddedTokens);
    }

    /** The words of ids as {@link #encode} gives them: null for the padding id and for an id no token has. */
    public List<String> tokensOf(int[] ids) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            tokens.add(id == paddingId ? null : vocabulary.token(id).orElse(null));
        }
        return tokens;
    }

    /** Texts as a [texts, length] array of ids in the given type (a model's input type). */
    public static INDArray ids(List<Encoded> encoded, DataType type) {
        int length = encoded.isEmpty() ? 0 : encoded.get(0).ids().length;
        double[][] rows = new double[encoded.size()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.stream(encoded.get(r).ids()).asDoubleStream().toArray();
            if (rows[r].length != length) {
                throw new IllegalArgumentException("text " + (r + 1) + " has " + rows[r].length + " ids, text 1 has "
                        + length);
            }
        }
        return Nd4j.createFromArray(rows).castTo(type).reshape(encoded.size(), length);
    }
}
