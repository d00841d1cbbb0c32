package dev.explain4j.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three file kinds read to the same token ↔ id map, and every defect refused with the file and line or key. */
class VocabularyTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void tokenPerLineGivesEachTokenItsZeroBasedLine() throws IOException {
        Vocabulary v = Vocabulary.read(file("vocab.txt", "<pad>\n<oov>\nfree\nmoney\n"));
        assertThat(v.size()).isEqualTo(4);
        assertThat(v.id("free")).hasValue(2);
        assertThat(v.id("money")).hasValue(3);
        assertThat(v.id("absent")).isEmpty();
        assertThat(v.token(3)).hasValue("money");
        assertThat(v.token(4)).isEmpty();
        assertThat(v.outOfVocabulary()).hasValue(1);
    }

    @Test
    void kerasToJsonWithItsWordIndexAsAStringAndItsOovToken() throws IOException {
        // tokenizer.to_json() writes config.word_index as a JSON-encoded string
        String json = "{\"class_name\": \"Tokenizer\", \"config\": {\"num_words\": 3, \"oov_token\": \"<OOV>\","
                + " \"word_index\": \"{\\\"<OOV>\\\": 1, \\\"the\\\": 2, \\\"cat\\\": 3}\"}}";
        Vocabulary v = Vocabulary.read(file("tokenizer.json", json));
        assertThat(v.id("the")).hasValue(2);
        assertThat(v.id("cat")).hasValue(3);
        assertThat(v.size()).isEqualTo(4);
        assertThat(v.token(0)).as("Keras' padding has no token").isEmpty();
        assertThat(v.outOfVocabulary()).hasValue(1);
    }

    @Test
    void kerasWordIndexAsAnObjectInTheConfigOrBare() throws IOException {
        Vocabulary inConfig = Vocabulary.read(file("a.json", "{\"config\": {\"word_index\": {\"the\": 1, \"cat\": 2}}}"));
        Vocabulary bare = Vocabulary.read(file("b.json", "{\"the\": 1, \"cat\": 2}"));
        for (Vocabulary v : List.of(inConfig, bare)) {
            assertThat(v.id("cat")).hasValue(2);
            assertThat(v.outOfVocabulary()).isEmpty();
        }
    }

    @Test
    void dl4jWordVectorTextWithAndWithoutHeaderAndBase64Words() throws IOException {
        Vocabulary header = Vocabulary.read(file("wv.txt", "3 2\nthe 0.1 0.2\nB64:Y2Fmw6k= -1 2e-3\ncat 1 1\n"));
        Vocabulary noHeader = Vocabulary.read(file("glove.txt", "the 0.1 0.2\ncafé -1 2e-3\ncat 1 1\n"));
        for (Vocabulary v : List.of(header, noHeader)) {
            assertThat(v.id("the")).hasValue(0);
            assertThat(v.id("café")).hasValue(1);
            assertThat(v.id("cat")).hasValue(2);
            assertThat(v.size()).isEqualTo(3);
        }
    }

    @Test
    void defectsNameTheFileAndLineOrKey() throws IOException {
        Path repeated = file("rep.txt", "a\nb\na\n");
        assertThatThrownBy(() -> Vocabulary.read(repeated)).hasMessage(repeated + ": line 3: 'a' repeats the token of id 0");
        Path blank = file("blank.txt", "a\n\nb\n");
        assertThatThrownBy(() -> Vocabulary.read(blank)).hasMessageStartingWith(blank + ": line 2: empty token");
        Path spaced = file("spaced.txt", "a\nb c d\n");
        assertThatThrownBy(() -> Vocabulary.read(spaced)).hasMessage(spaced + ": line 2: 'b c d' holds whitespace; a token is one word");
        Path shortVector = file("wv.txt", "2 3\nthe 1 2 3\ncat 1 2\n");
        assertThatThrownBy(() -> Vocabulary.read(shortVector))
                .hasMessage(shortVector + ": line 3: 2 values after the word, expected 3 as the header says");
        Path count = file("count.txt", "3 1\nthe 1\ncat 2\n");
        assertThatThrownBy(() -> Vocabulary.read(count)).hasMessage(count + ": line 1 announces 3 words, the file has 2");
        Path badId = file("bad.json", "{\"the\": 1, \"cat\": 1.5}");
        assertThatThrownBy(() -> Vocabulary.read(badId))
                .hasMessage(badId + ": key 'word_index', word 'cat': id 1.5 is not a non-negative integer");
        Path notJson = file("broken.json", "{\"the\": ");
        assertThatThrownBy(() -> Vocabulary.read(notJson)).hasMessageStartingWith(notJson + ": not JSON");
        Path missingOov = file("oov.json", "{\"config\": {\"oov_token\": \"<unk>\", \"word_index\": {\"the\": 1}}}");
        assertThatThrownBy(() -> Vocabulary.read(missingOov))
                .hasMessage(missingOov + ": key 'config.oov_token' names '<unk>', which is not in the word index");
        assertThatThrownBy(() -> Vocabulary.read(dir.resolve("none.txt"))).hasMessage(dir.resolve("none.txt") + ": no such file");
        assertThat(Vocabulary.of(List.of("x", "[UNK]")).outOfVocabulary()).hasValue(1);
        assertThat(Vocabulary.of(List.of("x")).token(0)).isEqualTo(Optional.of("x"));
    }
}
