package dev.explain4j.cli;

import dev.explain4j.model.NetworkModel;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** --text, --vocab and --max-length, shared by the commands that take rows to explain beside --input. */
final class TextOptions {
    @Option(names = "--text", paramLabel = "FILE",
            description = "instead of --input, for a model that takes token ids: one document per line, tokenized with"
                    + " --vocab as Keras' Tokenizer does (lower-cased, split at punctuation and spaces) and padded or"
                    + " truncated at the front to the model's length")
    Path text;

    @Option(names = "--vocab", paramLabel = "FILE",
            description = "the vocabulary of --text (or, with --input, to name the tokens of the ids): one token per"
                    + " line (id = line - 1), a Keras tokenizer's JSON, or a DL4J word-vector text file")
    Path vocab;

    @Option(names = "--max-length", paramLabel = "N",
            description = "tokens per document for a model that takes sequences of any length")
    Integer maxLength;

    /** Fails unless exactly one of --input and --text is given, and --max-length only with --text. */
    void check(Path input) {
        if ((input == null) == (text == null)) {
            throw new IllegalArgumentException(input == null ? "give --input CSV, or --text FILE with --vocab FILE"
                    : "--input and --text both give the rows to explain; give one");
        }
        if (maxLength != null && text == null) {
            throw new IllegalArgumentException("--max-length applies to --text");
        }
    }

    /** The rows: --text tokenized, or --input read (with its tokens named when --vocab is given). */
    InputRows read(Path input, NetworkModel model) {
        if (text != null) {
            return InputRows.readText(text, vocab, maxLength, model);
        }
        InputRows rows = InputRows.read(input, model);
        return vocab != null ? rows.withTokensFrom(vocab, model) : rows;
    }

    /** The files these options name, for the check that no output overwrites an input. */
    void addInputs(Map<String, Path> files) {
        files.put("--text", text);
        files.put("--vocab", vocab);
    }
}
