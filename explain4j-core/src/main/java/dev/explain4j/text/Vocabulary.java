package dev.explain4j.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The tokens a model knows, each with its id. Immutable and thread-safe.
 *
 * <p>{@link #read} takes three kinds of file, told apart by their content:
 * <ul>
 *   <li>a Keras tokenizer's JSON: {@code tokenizer.to_json()} (its {@code config.word_index}, which Keras writes as a
 *       JSON string, and {@code config.oov_token}) or a bare {@code word_index} object {@code {"the": 1, ...}}; ids
 *       start at 1, 0 being Keras' padding, which has no token;</li>
 *   <li>a DL4J word-vector text file ({@code WordVectorSerializer}'s text format): an optional header line
 *       {@code words dimension}, then one word per line followed by its vector; a word's id is its line's rank among
 *       the word lines (0 first), words written as {@code B64:...} are decoded;</li>
 *   <li>otherwise one token per line, the id being the 0-based line number.</li>
 * </ul>
 * The out-of-vocabulary token is Keras' {@code oov_token} or, in the other formats, a token spelled {@code <oov>},
 * {@code <unk>}, {@code [UNK]} or {@code UNK}.
 */
public final class Vocabulary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OOV_SPELLINGS = Set.of("<oov>", "<OOV>", "<unk>", "<UNK>", "[UNK]", "UNK");

    private final String source;
    private final Map<String, Integer> ids;
    private final String[] tokens;
    private final Integer outOfVocabulary;

    private Vocabulary(String source, Map<String, Integer> ids, Integer outOfVocabulary) {
        this.source = source;
        this.ids = Collections.unmodifiableMap(new HashMap<>(ids));
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.tokens = new String[size];
        ids.forEach((token, id) -> tokens[id] = token);
        this.outOfVocabulary = outOfVocabulary;
    }

    /**
     * Tokens in id order: the first has id 0. The out-of-vocabulary token is one of them spelled as listed above.
     *
     * @throws IllegalArgumentException on an empty, blank or repeated token, naming its position
     */
    public static Vocabulary of(List<String> tokens) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            addToken(ids, tokens.get(i), i, "token " + i);
        }
        return new Vocabulary("vocabulary", ids, findOutOfVocabulary(ids, null));
    }

    /** @throws IllegalArgumentException naming the file, and the line or key, when it cannot be read as a vocabulary */
    public static Vocabulary read(Path file) {
        String text = TextFiles.read(file);
        String source = file.toString();
        if (text.stripLeading().startsWith("{")) {
            return keras(source, text);
        }
        List<String> lines = text.lines().toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(source + ": empty; expected one token per line, a Keras tokenizer's"
                    + " JSON or a DL4J word-vector text file");
        }
        return looksLikeWordVectors(lines) ? wordVectors(source, lines) : tokenPerLine(source, lines);
    }

    /** Number of ids: one more than the largest (Keras' padding id 0 counted). */
    public int size() {
        return tokens.length;
    }

    /** The token's id, if the vocabulary has the token. */
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The token of an id; empty for an id no token has (Keras' padding 0) or outside the vocabulary. */
    public Optional<String> token(int id) {
        return id >= 0 && id < tokens.length ? Optional.ofNullable(tokens[id]) : Optional.empty();
    }

    /** The id that stands for a word the vocabulary does not have, if the vocabulary names one. */
    public OptionalInt outOfVocabulary() {
        return outOfVocabulary == null ? OptionalInt.empty() : OptionalInt.of(outOfVocabulary);
    }

    /** Where the vocabulary was read from, for messages. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Vocabulary[" + source + ", " + ids.size() + " tokens, ids 0.." + (tokens.length - 1) + "]";
    }

    private static Vocabulary tokenPerLine(String source, List<String> lines) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            addToken(ids, lines.get(i), i, source + ": line " + (i + 1));
        }
        return new Vocabulary(source, ids, findOutOfVocabulary(ids, null));
    }

    /** A first line "words dimension" or a first word line "word x1 ... xd" of numbers. */
    private static boolean looksLikeWordVectors(List<String> lines) {
        String[] first = lines.get(0).trim().split(" +");
        if (first.length == 2 && isCount(first[0]) && isCount(first[1])) {
            return true;
        }
        if (first.length < 2) {
            return false;
        }
        for (int i = 1; i < first.length; i++) {
            if (!isNumber(first[i])) {
                return false;
            }
        }
        return true;
    }

    private static Vocabulary wordVectors(String source, List<String> lines) {
        String[] first = lines.get(0).trim().split(" +");
        boolean header = first.length == 2 && isCount(first[0]) && isCount(first[1]);
        int dimension = header ? Integer.parseInt(first[1]) : first.length - 1;
        Map<String, Integer> ids = new HashMap<>();
        for (int i = header ? 1 : 0; i < lines.size(); i++) {
            String where = source + ": line " + (i + 1);
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                throw new IllegalArgumentException(where + ": empty; expected a word and its " + dimension + " values");
            }
            String[] fields = line.split(" +");
            if (fields.length != dimension + 1) {
                throw new IllegalArgumentException(where + ": " + (fields.length - 1) + " values after the word, expected "
                        + dimension + " as " + (header ? "the header says" : "on the first line"));
            }
            for (int f = 1; f < fields.length; f++) {
                if (!isNumber(fields[f])) {
                    throw new IllegalArgumentException(where + ": value " + f + " '" + fields[f] + "' is not a number");
                }
            }
            addToken(ids, decodeWord(fields[0], where), ids.size(), where);
        }
        if (header && ids.size() != Long.parseLong(first[0])) {
            throw new IllegalArgumentException(source + ": line 1 announces " + first[0] + " words, the file has " + ids.size());
        }
        return new Vocabulary(source, ids, findOutOfVocabulary(ids, null));
    }

    /** DL4J writes a word as "B64:" and its UTF-8 bytes in Base64, so that any word fits on one line. */
    private static String decodeWord(String word, String where) {
        if (!word.startsWith("B64:")) {
            return word;
        }
        try {
            return new String(Base64.getDecoder().decode(word.substring(4)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + word + "' is not valid Base64 after B64:");
        }
    }

    private static Vocabulary keras(String source, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode config = root.get("config");
        JsonNode wordIndex = root;
        String oovToken = null;
        if (config != null && config.isObject()) {
            wordIndex = config.get("word_index");
            if (wordIndex == null || wordIndex.isNull()) {
                throw new IllegalArgumentException(source + ": key 'config.word_index' missing; expected a Keras"
                        + " tokenizer's to_json()");
            }
            if (wordIndex.isTextual()) {
                try {
                    wordIndex = JSON.readTree(wordIndex.asText());
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(source + ": key 'config.word_index': not JSON ("
                            + e.getOriginalMessage() + ")");
                }
            }
            JsonNode oov = config.get("oov_token");
            oovToken = oov == null || oov.isNull() ? null : oov.asText();
        } else if (root.has("word_index")) {
            wordIndex = root.get("word_index");
        }
        String key = config != null && config.isObject() ? "config.word_index" : "word_index";
        if (wordIndex == null || !wordIndex.isObject() || wordIndex.isEmpty()) {
            throw new IllegalArgumentException(source + ": key '" + key + "': expected an object of word → id");
        }
        Map<String, Integer> ids = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = wordIndex.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode id = entry.getValue();
            String where = source + ": key '" + key + "', word '" + entry.getKey() + "'";
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
                throw new IllegalArgumentException(where + ": id " + id + " is not a non-negative integer");
            }
            if (ids.containsValue(id.asInt())) {
                throw new IllegalArgumentException(where + ": id " + id.asInt() + " is given to another word too");
            }
            ids.put(entry.getKey(), id.asInt());
        }
        if (oovToken != null && !ids.containsKey(oovToken)) {
            throw new IllegalArgumentException(source + ": key 'config.oov_token' names '" + oovToken
                    + "', which is not in the word index");
        }
        return new Vocabulary(source, ids, findOutOfVocabulary(ids, oovToken));
    }

    private static void addToken(Map<String, Integer> ids, String token, int id, String where) {
        Objects.requireNonNull(token, where);
        if (token.isBlank()) {
            throw new IllegalArgumentException(where + ": empty token; every line must hold one token");
        }
        if (!token.equals(token.strip()) || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(where + ": '" + token + "' holds whitespace; a token is one word");
        }
        Integer before = ids.putIfAbsent(token, id);
        if (before != null) {
            throw new IllegalArgumentException(where + ": '" + token + "' repeats the token of id " + before);
        }
    }

    private static Integer findOutOfVocabulary(Map<String, Integer> ids, String named) {
        if (named != null) {
            return ids.get(named);
        }
        List<Integer> found = new ArrayList<>();
        OOV_SPELLINGS.forEach(spelling -> {
            if (ids.containsKey(spelling)) {
                found.add(ids.get(spelling));
            }
        });
        return found.stream().min(Integer::compare).orElse(null);
    }

    private static boolean isCount(String field) {
        return field.chars().allMatch(Character::isDigit) && field.length() < 10;
    }

    private static boolean isNumber(String field) {
        try {
            Double.parseDouble(field);
            return !field.endsWith("d") && !field.endsWith("f") && !field.endsWith("D") && !field.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
