package dev.explain4j.text;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of documents, one per line, tokenized: the ids a model takes and the token of every position. Immutable.
 *
 * @param source   the file, for messages
 * @param encoded  one per document, in the file's order
 */
public record Documents(String source, List<Tokenizer.Encoded> encoded) {
    public Documents {
        encoded = List.copyOf(encoded);
    }

    /**
     * @throws IllegalArgumentException naming the file, and the line, when it is missing, not UTF-8, empty or has a
     *                                  blank line (a document of no words is more likely a mistake than meant)
     */
    public static Documents read(Path file, Tokenizer tokenizer) {
        List<String> lines = TextFiles.read(file).lines().toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty; expected one document per line");
        }
        List<Tokenizer.Encoded> encoded = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": blank; expected one document per line");
            }
            encoded.add(tokenizer.encode(lines.get(i)));
        }
        return new Documents(file.toString(), encoded);
    }

    /** [documents, length] ids in the given type. */
    public INDArray ids(DataType type) {
        return Tokenizer.ids(encoded, type);
    }

    /** Per document the token at each position, null at padding. */
    public List<List<String>> tokens() {
        return encoded.stream().map(Tokenizer.Encoded::tokens).toList();
    }
}
