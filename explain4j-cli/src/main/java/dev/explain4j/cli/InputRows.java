package dev.explain4j.cli;

import dev.explain4j.core.Attributions;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.model.AttentionWeights;
import dev.explain4j.io.InputTable;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.TokenInput;
import dev.explain4j.text.Documents;
import dev.explain4j.text.Tokenizer;
import dev.explain4j.text.Vocabulary;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * CSV rows (flattened row-major, in the model's own input layout) read and shaped for the model; for a model that
 * takes token ids, integer ids in its vocabulary, or documents tokenized with a vocabulary.
 *
 * @param features [rows, ...the model's input shape]
 * @param tokens   per row the token at each position (null at padding), when a vocabulary was given
 */
record InputRows(INDArray features, Optional<List<String>> names, Path file, Optional<List<List<String>>> tokens) {
    /** The most attention weights (rows × heads × queries × keys, over all layers) written beside attributions. */
    static final long MAX_ATTENTION_VALUES = 1L << 20;

    InputRows(INDArray features, Optional<List<String>> names, Path file) {
        this(features, names, file, Optional.empty());
    }

    /**
     * One document per line of {@code text}, tokenized with the vocabulary as Keras does by default and padded or
     * truncated at the front to the model's length ({@code maxLength}: for a model that takes any length, or the
     * model's own).
     */
    static InputRows readText(Path text, Path vocabularyFile, Integer maxLength, NetworkModel model) {
        Tokenizer tokenizer = tokenizer(vocabularyFile, maxLength, model, "--text");
        Documents documents = Documents.read(text, tokenizer);
        List<String> positions = new ArrayList<>();
        for (int t = 1; t <= tokenizer.length(); t++) {
            positions.add("token-" + t);
        }
        return new InputRows(documents.ids(model.dataType()), Optional.of(positions), text,
                Optional.of(documents.tokens()));
    }

    /** These rows with the token of every id looked up in the vocabulary (--input ids.csv --vocab FILE). */
    InputRows withTokensFrom(Path vocabularyFile, NetworkModel model) {
        Tokenizer tokenizer = tokenizer(vocabularyFile, null, model, "--vocab");
        List<List<String>> rows = new ArrayList<>();
        long width = features.length() / Math.max(1, features.size(0));
        for (int r = 0; r < features.size(0); r++) {
            rows.add(tokenizer.tokensOf(features.slice(r).reshape(width).toIntVector()));
        }
        return new InputRows(features, names, file, Optional.of(rows));
    }

    /**
     * The result with these rows' tokens, when they have them (outputs then name each position's token), and for a
     * token model with self-attention layers the rows' attention weights (JSON "attention", the report's attention
     * line), as long as they stay within {@link #MAX_ATTENTION_VALUES}: rows × heads × T² grows fast, and past that
     * the weights belong in the API ({@code AttentionWeights}), not in a file.
     */
    Attributions annotated(Attributions result, NetworkModel model) {
        Attributions annotated = tokens.map(result::withTokens).orElse(result);
        if (model.tokenInput().isEmpty() || !AttentionWeights.applies(model)) {
            return annotated;
        }
        AttentionWeights attention = AttentionWeights.of(model);
        if (attention.valueCount(features) > MAX_ATTENTION_VALUES) {
            return annotated;
        }
        return annotated.withAttention(attention.weights(features));
    }

    private static Tokenizer tokenizer(Path vocabularyFile, Integer maxLength, NetworkModel model, String option) {
        TokenInput tokens = model.tokenInput().orElseThrow(() -> new IllegalArgumentException(option + " applies to"
                + " models that take token ids (an embedding as their first layer); this one does not"));
        if (vocabularyFile == null) {
            throw new IllegalArgumentException("--text needs --vocab FILE: the vocabulary that maps its words to ids");
        }
        if (maxLength != null && maxLength < 1) {
            throw new IllegalArgumentException("--max-length " + maxLength + ": expected at least 1 token");
        }
        if (maxLength != null && tokens.length() > 0 && maxLength != tokens.length()) {
            throw new IllegalArgumentException("--max-length " + maxLength + ": the model takes sequences of exactly "
                    + tokens.length() + " tokens; leave --max-length out");
        }
        int length = tokens.length() > 0 ? (int) tokens.length() : maxLength == null ? -1 : maxLength;
        if (length < 0 && option.equals("--text")) {
            throw new IllegalArgumentException("--text: the model takes sequences of any length; give --max-length N");
        }
        Vocabulary vocabulary = Vocabulary.read(vocabularyFile);
        if (vocabulary.outOfVocabulary().isPresent() && vocabulary.outOfVocabulary().getAsInt() >= tokens.vocabulary()) {
            throw new IllegalArgumentException("--vocab " + vocabularyFile + ": its out-of-vocabulary id "
                    + vocabulary.outOfVocabulary().getAsInt() + " is beyond the model's ids 0 to " + (tokens.vocabulary() - 1));
        }
        return Tokenizer.of(vocabulary, Math.max(1, length)).withVocabularyLimit(tokens.vocabulary());
    }

    /** Reads {@code file} and reshapes each row to the model's input shape; one free dimension is inferred. */
    static InputRows read(Path file, NetworkModel model) {
        long[] shape = model.inputShape();
        long known = shape == null ? -1 : Arrays.stream(shape).filter(d -> d > 0).reduce(1, (a, b) -> a * b);
        boolean complete = shape != null && Arrays.stream(shape).allMatch(d -> d > 0);
        CsvInputReader reader = complete
                ? CsvInputReader.ofWidth((int) known, "the model's input is " + Arrays.toString(shape))
                : CsvInputReader.anyWidth();
        InputTable table = reader.read(file);
        model.tokenInput().ifPresent(tokens -> table.checkTokenIds(tokens.vocabulary()));
        INDArray flat = table.toArray(model.dataType());
        if (shape == null) {
            return new InputRows(flat, table.featureNames(), file);
        }
        long[] rowShape = shape.clone();
        if (!complete) {
            long free = Arrays.stream(shape).filter(d -> d < 0).count();
            if (free > 1 || table.width() % known != 0) {
                throw new IllegalArgumentException(file + ": rows have " + table.width() + " values, which does not fit the"
                        + " model's input " + Arrays.toString(shape) + " (-1 = any size)");
            }
            for (int i = 0; i < rowShape.length; i++) {
                rowShape[i] = rowShape[i] < 0 ? table.width() / known : rowShape[i];
            }
        }
        long[] full = new long[rowShape.length + 1];
        full[0] = table.rows();
        System.arraycopy(rowShape, 0, full, 1, rowShape.length);
        return new InputRows(flat.reshape('c', full), table.featureNames(), file);
    }

    /** A second CSV (baseline, background) with rows shaped like these; token ids for a token model. */
    INDArray readLike(Path other, NetworkModel model) {
        long width = features.length() / features.size(0);
        InputTable table = CsvInputReader.ofWidth((int) width, "the input rows have " + width + " values").read(other);
        model.tokenInput().ifPresent(tokens -> table.checkTokenIds(tokens.vocabulary()));
        long[] shape = features.shape().clone();
        shape[0] = table.rows();
        return table.toArray(features.dataType()).reshape('c', shape);
    }
}
