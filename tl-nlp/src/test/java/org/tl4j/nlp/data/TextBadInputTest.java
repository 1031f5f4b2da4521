package org.tl4j.nlp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.nlp.tokenize.MiniLmTokenizerFiles;
import org.tl4j.nlp.tokenize.WordPieceTokenizer;

/** Bad text data: each case fails with a message naming what is wrong and the value seen. */
@Tag("bad-input")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TextBadInputTest {

    private static final List<String> LABELS = List.of("ham", "spam");

    @TempDir static Path shared;
    @TempDir Path dir;
    static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer =
                WordPieceTokenizer.fromTokenizerJson(MiniLmTokenizerFiles.tokenizerJson(shared));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t"})
    void encode_emptyText_namesTextAndLabel(String text) {
        List<LabelledText> texts =
                List.of(new LabelledText("hello there", "ham"), new LabelledText(text, "spam"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TextEncoding.encode(tokenizer, texts, LABELS, 16));
        assertTrue(
                e.getMessage().contains("text 1")
                        && e.getMessage().contains("'spam'")
                        && e.getMessage().contains("empty or blank"),
                e.getMessage());
    }

    @Test
    void trainPerClass_classWithNoTrainingExamples_namesLabelAndCount() {
        TextSplits splits =
                new TextSplits(
                        List.of(new LabelledText("a", "ham"), new LabelledText("b", "ham")),
                        List.of(),
                        List.of(new LabelledText("c", "spam")),
                        LABELS);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> splits.trainPerClass(1));
        assertTrue(
                e.getMessage().contains("label 'spam'") && e.getMessage().contains("[1, 0]"),
                e.getMessage());
    }

    @Test
    void fromFolder_classFolderWithNoFiles_namesFolder() throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve("ham")).resolve("a.txt"), "hi");
        Files.createDirectories(dir.resolve("spam"));
        IOException e = assertThrows(IOException.class, () -> TextDatasets.fromFolder(dir));
        assertTrue(e.getMessage().contains("spam"), e.getMessage());
    }

    @Test
    void splits_testLabelUnseenInTraining_namesSplitAndLabel() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TextSplits(
                                        List.of(
                                                new LabelledText("a", "ham"),
                                                new LabelledText("b", "spam")),
                                        List.of(),
                                        List.of(
                                                new LabelledText("c", "ham"),
                                                new LabelledText("d", "phishing")),
                                        LABELS));
        assertTrue(
                e.getMessage().contains("test text 1")
                        && e.getMessage().contains("'phishing'")
                        && e.getMessage().contains("[ham, spam]"),
                e.getMessage());
    }

    @Test
    void encode_labelUnseenInTraining_namesLabelAndKnownLabels() {
        List<LabelledText> texts = List.of(new LabelledText("win a prize", "phishing"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TextEncoding.encode(tokenizer, texts, LABELS, 16));
        assertTrue(
                e.getMessage().contains("'phishing'") && e.getMessage().contains("[ham, spam]"),
                e.getMessage());
    }

    @Test
    void fromFolder_latin1File_namesFileAndOffset() throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve("ham")).resolve("a.txt"), "hi");
        Path latin1 = Files.createDirectories(dir.resolve("spam")).resolve("b.txt");
        Files.write(latin1, "Gr\u00fc\u00dfe aus K\u00f6ln".getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> TextDatasets.fromFolder(dir));
        assertTrue(
                e.getMessage().contains(latin1.toString())
                        && e.getMessage().contains("not UTF-8")
                        && e.getMessage().contains("0xfc")
                        && e.getMessage().contains("offset 2"),
                e.getMessage());
    }

    @Test
    void fromFolder_utf16File_isRefusedNotGarbled() throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve("ham")).resolve("a.txt"), "hi");
        Path utf16 = Files.createDirectories(dir.resolve("spam")).resolve("b.txt");
        Files.write(utf16, "\u00e9t\u00e9".getBytes(StandardCharsets.UTF_16));
        IOException e = assertThrows(IOException.class, () -> TextDatasets.fromFolder(dir));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void encode_textFarLongerThanModelPositions_isTruncatedToTheCap() {
        String longText = "spam ".repeat(20_000);
        int positions = 512; // all-MiniLM-L6-v2's position table
        MultiDataSet encoded =
                TextEncoding.encode(
                        tokenizer, List.of(new LabelledText(longText, "spam")), LABELS, positions);
        assertEquals(positions, encoded.getFeatures(0).size(1));
        assertEquals(positions, encoded.getFeatures(2).sumNumber().intValue());
        // The sequence still ends in [SEP] (id 102): truncation keeps the special tokens.
        assertEquals(102, encoded.getFeatures(0).getInt(0, positions - 1));
    }
}
