package org.tl4j.nlp.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** WordPiece against Hugging Face's tokenizer (DJL binding) on all-MiniLM-L6-v2's vocabulary. */
class WordPieceTokenizerTest {

    @TempDir static Path dir;
    static WordPieceTokenizer tokenizer;
    static HuggingFaceTokenizer reference;

    static final List<String> TRICKY =
            List.of(
                    "Hello, world!",
                    "Café crème brûlée — naïve façade, Ångström & Øresund.",
                    "Don't stop-believing... (it's 3.14159%) #hashtags @user $100 [x] {y} <z>",
                    "Supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultra",
                    "ＦＵＬＬＷＩＤＴＨ and ﬁligature, ½ ² µ Ω",
                    "中文字符和日本語のテキスト 한국어",
                    "Emoji 🤗🚀 and symbols ☃ ♞ ∑ ∫",
                    "tabs\tand\nnewlines\r\nand   spaces\u00a0nbsp\u200bzero-width",
                    "x".repeat(120) + " after a very long word",
                    "THE QUICK BROWN FOX Jumps Over the LAZY dog's back; e-mail: a.b@c.de");

    @BeforeAll
    static void load() throws IOException {
        Path json = MiniLmTokenizerFiles.tokenizerJson(dir);
        tokenizer = WordPieceTokenizer.fromTokenizerJson(json);
        reference =
                HuggingFaceTokenizer.newInstance(
                        json,
                        Map.of(
                                "padding",
                                "false",
                                "truncation",
                                "false",
                                "addSpecialTokens",
                                "true"));
    }

    static Stream<String> tricky() {
        return TRICKY.stream();
    }

    @ParameterizedTest
    @MethodSource("tricky")
    void encode_trickySentence_matchesHuggingFaceIds(String text) {
        int[] ours = tokenizer.encode(List.of(text)).inputIds()[0];
        Encoding theirs = reference.encode(text);
        assertArrayEquals(
                toInt(theirs.getIds()),
                ours,
                () ->
                        "tokens "
                                + Arrays.toString(theirs.getTokens())
                                + " vs "
                                + tokenizer.tokenize(text));
    }

    @Test
    void encodePairs_twoTexts_matchHuggingFaceIdsAndTypes() {
        for (int i = 0; i + 1 < TRICKY.size(); i += 2) {
            TokenizedBatch ours =
                    tokenizer.encodePairs(List.of(TRICKY.get(i)), List.of(TRICKY.get(i + 1)));
            Encoding theirs = reference.encode(TRICKY.get(i), TRICKY.get(i + 1));
            assertArrayEquals(toInt(theirs.getIds()), ours.inputIds()[0]);
            assertArrayEquals(toInt(theirs.getTypeIds()), ours.tokenTypeIds()[0]);
        }
    }

    @Test
    void encode_helloWorld_givesKnownBertIds() {
        TokenizedBatch batch = tokenizer.encode(List.of("Hello, world!"));
        assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 102}, batch.inputIds()[0]);
    }

    @Test
    void encode_differentLengths_padsRightWithMask() {
        TokenizedBatch batch = tokenizer.encode(List.of("a b c d", "e"));
        assertEquals(6, batch.length());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, batch.attentionMask()[0]);
        assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0}, batch.attentionMask()[1]);
        assertArrayEquals(new int[] {101, 1041, 102, 0, 0, 0}, batch.inputIds()[1]);
        assertArrayEquals(new long[] {2, 6}, batch.inputIdsArray().shape());
    }

    @Test
    void encode_longerThanMaxLength_truncatesWithoutError() {
        WordPieceTokenizer short8 =
                tokenizer.withSettings(tokenizer.settings().toBuilder().maxLength(8).build());
        TokenizedBatch batch = short8.encode(List.of("one two three four five six seven eight"));
        assertEquals(8, batch.length());
        assertEquals(102, batch.inputIds()[0][7]);
        TokenizedBatch pair = short8.encodePairs(List.of("a b c d e f"), List.of("g h"));
        assertEquals(
                List.of("[CLS]", "a", "b", "c", "[SEP]", "g", "h", "[SEP]"), pair.tokens().get(0));
    }

    @Test
    void encode_onlyUnknownCharacters_givesUnknownTokens() {
        TokenizedBatch batch = tokenizer.encode(List.of("☃☃ ♞"));
        assertArrayEquals(new int[] {101, 100, 100, 102}, batch.inputIds()[0]);
    }

    static Stream<Arguments> badTexts() {
        return Stream.of(
                Arguments.of("no texts", List.of(), "texts is empty; pass at least one text"),
                Arguments.of("an empty text", List.of("fine", ""), "texts[1] is empty"),
                Arguments.of("a blank text", List.of("   \t"), "texts[0] is empty"),
                Arguments.of(
                        "a text of control characters",
                        List.of("\u0000\u0001\u200b"),
                        "texts[0] has no tokens after " + "normalisation"));
    }

    @ParameterizedTest(name = "tokenizer given {0}")
    @MethodSource("badTexts")
    @Tag("bad-input")
    void encode_badInput_throwsNamingTheText(String name, List<String> texts, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(texts));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("missing tokenizer.json")
    void fromTokenizerJson_missingFile_throwsNamingTheFile() {
        Path missing = dir.resolve("nope/tokenizer.json");
        NoSuchFileException e =
                assertThrows(
                        NoSuchFileException.class,
                        () -> WordPieceTokenizer.fromTokenizerJson(missing));
        assertTrue(e.getMessage().contains("nope/tokenizer.json"), e.getMessage());
        assertTrue(e.getMessage().contains("tokenizer.json not found"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("BPE tokenizer.json where WordPiece is expected")
    void fromTokenizerJson_notWordPiece_throwsNamingTheModelType() throws IOException {
        Path bpe = dir.resolve("bpe.json");
        Files.writeString(bpe, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> WordPieceTokenizer.fromTokenizerJson(bpe));
        assertTrue(e.getMessage().contains("got \"BPE\""), e.getMessage());
    }

    @Test
    void fromVocabTxt_sameVocabulary_matchesTokenizerJson() throws IOException {
        Path vocab = dir.resolve("vocab.txt");
        String[] tokens = new String[tokenizer.vocabularySize()];
        var json =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(dir.resolve("tokenizer.json").toFile())
                        .path("model")
                        .path("vocab");
        json.fields().forEachRemaining(e -> tokens[e.getValue().asInt()] = e.getKey());
        Files.write(vocab, Arrays.asList(tokens));
        WordPieceTokenizer fromTxt =
                WordPieceTokenizer.fromVocabTxt(vocab, TokenizerSettings.builder().build());
        for (String text : TRICKY) {
            assertArrayEquals(
                    tokenizer.encode(List.of(text)).inputIds()[0],
                    fromTxt.encode(List.of(text)).inputIds()[0],
                    text);
        }
    }

    private static int[] toInt(long[] ids) {
        return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
    }

    @Test
    @Tag("bad-input")
    @DisplayName("zero-byte tokenizer.json")
    void fromTokenizerJson_zeroByteFile_saysEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty-tokenizer.json"));
        IOException e =
                assertThrows(IOException.class, () -> WordPieceTokenizer.fromTokenizerJson(empty));
        assertEquals("tokenizer file " + empty + " is empty (0 bytes)", e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("truncated tokenizer.json")
    void fromTokenizerJson_truncatedJson_namesTheFile() throws IOException {
        Path cut = dir.resolve("cut-tokenizer.json");
        Files.writeString(cut, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[PAD]\": 0,");
        IOException e =
                assertThrows(IOException.class, () -> WordPieceTokenizer.fromTokenizerJson(cut));
        assertTrue(
                e.getMessage().startsWith("tokenizer file " + cut + " is not valid JSON"),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("directory where tokenizer.json is expected")
    void fromTokenizerJson_directory_saysDirectory() {
        NoSuchFileException e =
                assertThrows(
                        NoSuchFileException.class, () -> WordPieceTokenizer.fromTokenizerJson(dir));
        assertTrue(e.getMessage().startsWith(dir + ": is a directory"), e.getMessage());
    }
}
