package dev.explain4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.io.AttributionsJsonReader;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * explain --text --vocab on the toy token model (label = "token 7 occurs", 12 positions), with a token-per-line
 * vocabulary naming id i "w" + i: the text route must give exactly what the id route gives for the same ids.
 */
class TextInputCliTest {
    @TempDir
    static Path dir;
    private static Path model;
    private static Path vocab;
    private static Path docs;
    private static Path ids;

    @BeforeAll
    static void saveModelVocabularyAndDocuments() throws Exception {
        MultiLayerNetwork net = TokenNetworks.trainedToyModel();
        model = dir.resolve("toy.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
        List<String> words = new ArrayList<>(List.of("<pad>"));
        for (int i = 1; i < TokenNetworks.VOCABULARY; i++) {
            words.add("w" + i);
        }
        vocab = Files.write(dir.resolve("vocab.txt"), words);
        // W7 upper-cased and glued to punctuation; "zzz" is unknown and, without an <oov> token, dropped as Keras does
        docs = Files.writeString(dir.resolve("docs.txt"), "W7, w3 & zzz w5!\nw1 w2 w3 w4 w5 w6 w8 w9 w10 w11 w12 w13 w14 w7\n");
        ids = Files.writeString(dir.resolve("ids.csv"),
                "0,0,0,0,0,0,0,0,0,7,3,5\n" + "3,4,5,6,8,9,10,11,12,13,14,7\n");
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file);
    }

    @Test
    void textGivesTheIdRoutesValuesUnderAHeaderOfPositions() throws Exception {
        for (String method : List.of("integrated-gradients", "feature-ablation")) {
            Path fromText = dir.resolve(method + "-text.csv");
            Path fromIds = dir.resolve(method + "-ids.csv");
            CliRun text = CliRun.of("explain", "--model", model.toString(), "--text", docs.toString(), "--vocab",
                    vocab.toString(), "--method", method, "--target", "1", "--out", fromText.toString());
            assertThat(text.exit()).as(text.err()).isZero();
            CliRun idRun = CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--method", method,
                    "--target", "1", "--out", fromIds.toString());
            assertThat(idRun.exit()).as(idRun.err()).isZero();
            List<String> written = lines(fromText);
            assertThat(written.get(0)).isEqualTo(String.join(",", "token-1", "token-2", "token-3", "token-4", "token-5",
                    "token-6", "token-7", "token-8", "token-9", "token-10", "token-11", "token-12"));
            assertThat(written.subList(1, written.size())).isEqualTo(lines(fromIds));
        }
    }

    @Test
    void jsonCarriesEachRowsTokensWithPaddingAsNullAndReadsBack() throws Exception {
        Path out = dir.resolve("ablation.json");
        CliRun run = CliRun.of("explain", "--model", model.toString(), "--text", docs.toString(), "--vocab",
                vocab.toString(), "--method", "feature-ablation", "--target", "1", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode tokens = new ObjectMapper().readTree(out.toFile()).get("tokens");
        assertThat(tokens.get(0).toString()).isEqualTo("[null,null,null,null,null,null,null,null,null,\"w7\",\"w3\",\"w5\"]");
        assertThat(tokens.get(1).toString()).as("truncated at the front: the first two words are gone")
                .isEqualTo("[\"w3\",\"w4\",\"w5\",\"w6\",\"w8\",\"w9\",\"w10\",\"w11\",\"w12\",\"w13\",\"w14\",\"w7\"]");
        AttributionsJsonReader.Contents back = AttributionsJsonReader.read(out);
        assertThat(back.attributions().tokens().orElseThrow().get(0)).containsExactly(null, null, null, null, null, null,
                null, null, null, "w7", "w3", "w5");
        double[] first = back.attributions().row(0);
        int top = 0;
        for (int t = 1; t < first.length; t++) {
            top = first[t] > first[top] ? t : top;
        }
        assertThat(back.attributions().tokens().orElseThrow().get(0).get(top)).isEqualTo("w7");

        Path named = dir.resolve("named.json");
        CliRun idsWithVocab = CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--vocab",
                vocab.toString(), "--method", "saliency", "--out", named.toString());
        assertThat(idsWithVocab.exit()).as(idsWithVocab.err()).isZero();
        assertThat(AttributionsJsonReader.read(named).attributions().tokens().orElseThrow().get(1))
                .containsExactly("w3", "w4", "w5", "w6", "w8", "w9", "w10", "w11", "w12", "w13", "w14", "w7");
    }

    @Test
    void theShippedAttentionModelsWeightsTravelWithItsAttributions() throws Exception {
        Path out = dir.resolve("attention.json");
        CliRun run = CliRun.of("explain", "--model", "models/spam-attention.zip", "--text", "models/spam-samples.txt",
                "--vocab", "models/spam-vocab.txt", "--method", "occlusion", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        AttributionsJsonReader.Contents back = AttributionsJsonReader.read(out);
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> attention = back.attributions().attention().orElseThrow();
        dev.explain4j.model.NetworkModel model = dev.explain4j.model.ModelLoader.load(Path.of("models/spam-attention.zip"), null);
        assertThat(attention.keySet()).isEqualTo(java.util.Set.copyOf(dev.explain4j.model.AttentionWeights.of(model).layers()));
        org.nd4j.linalg.api.ndarray.INDArray weights = attention.values().iterator().next();
        assertThat(weights.size(0)).isEqualTo(back.attributions().rows());
        // every query's weights sum to 1 over the keys
        org.nd4j.linalg.api.ndarray.INDArray sums = weights.sum(3);
        assertThat(sums.sub(1).amaxNumber().doubleValue()).isLessThan(1e-5);

        CliRun iris = CliRun.of("explain", "--model", "models/iris-mlp.zip", "--input", "models/iris-samples.csv",
                "--method", "saliency", "--out", dir.resolve("iris.json").toString());
        assertThat(iris.exit()).as(iris.err()).isZero();
        assertThat(AttributionsJsonReader.read(dir.resolve("iris.json")).attributions().attention()).isEmpty();
    }

    @Test
    void wrongCombinationsAndBadFilesExitWithTwoNamingTheOptionOrLine() throws Exception {
        Path out = dir.resolve("never.csv");
        Path blankLine = Files.writeString(dir.resolve("blank.txt"), "w1 w2\n\nw3\n");
        Path badVocab = Files.writeString(dir.resolve("bad-vocab.txt"), "<pad>\nw1\nw1\n");
        Path outOfVocabulary = Files.writeString(dir.resolve("oov.csv"), "1,2,3,4,5,6,7,8,9,10,11,50\n");
        List<String> words = new ArrayList<>(Files.readAllLines(vocab));
        words.add("<oov>");
        Path oovBeyond = Files.write(dir.resolve("oov-vocab.txt"), words);
        String[][] cases = {
                {"--text", docs.toString()},
                {"--text", docs.toString(), "--vocab", vocab.toString(), "--input", ids.toString()},
                {},
                {"--text", blankLine.toString(), "--vocab", vocab.toString()},
                {"--text", docs.toString(), "--vocab", badVocab.toString()},
                {"--text", docs.toString(), "--vocab", vocab.toString(), "--max-length", "20"},
                {"--input", ids.toString(), "--max-length", "12"},
                {"--input", outOfVocabulary.toString()},
                {"--text", docs.toString(), "--vocab", oovBeyond.toString()},
        };
        String[] expected = {
                "--text needs --vocab FILE",
                "--input and --text both give the rows to explain; give one",
                "give --input CSV, or --text FILE with --vocab FILE",
                blankLine + ": line 2: blank; expected one document per line",
                badVocab + ": line 3: 'w1' repeats the token of id 1",
                "--max-length 20: the model takes sequences of exactly 12 tokens",
                "--max-length applies to --text",
                outOfVocabulary + ": line 1, column 12: 50.0 is not a token id: the model takes integer ids in [0, 50)",
                "--vocab " + oovBeyond + ": its out-of-vocabulary id 50 is beyond the model's ids 0 to 49",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("explain", "--model", model.toString(), "--method", "saliency",
                    "--out", out.toString()));
            args.addAll(Arrays.asList(cases[i]));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exit()).as(String.join(" ", cases[i]) + ": " + run.err()).isEqualTo(Explain4j.BAD_INPUT);
            assertThat(run.err()).contains(expected[i]).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(run.err().strip().lines().count()).as(run.err()).isEqualTo(1);
        }
        CliRun notTokens = CliRun.of("explain", "--model", "models/iris-mlp.zip", "--text", docs.toString(), "--vocab",
                vocab.toString(), "--method", "saliency", "--out", out.toString());
        assertThat(notTokens.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(notTokens.err()).contains("--text applies to models that take token ids");
        assertThat(out).doesNotExist();
    }
}
