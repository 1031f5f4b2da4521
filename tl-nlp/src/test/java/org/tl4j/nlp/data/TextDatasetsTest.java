package org.tl4j.nlp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDatasetsTest {

    @TempDir Path dir;

    @Test
    void spamAssassinSubset_hasTheDocumentedSizesAndHardHamInTest() {
        TextSplits s = TextDatasets.spamAssassinSubset();
        assertEquals(512, s.train().size());
        assertEquals(128, s.validation().size());
        assertEquals(600, s.test().size());
        assertEquals(List.of("ham", "spam"), s.labels());
        assertEquals(32, s.trainPerClass(16).size());
        assertEquals(
                16, s.trainPerClass(16).stream().filter(t -> t.label().equals("spam")).count());
    }

    @Test
    void fromFolder_readsOneTextPerFileLabelledByFolder() throws IOException {
        Files.createDirectories(dir.resolve("pos"));
        Files.createDirectories(dir.resolve("neg"));
        Files.writeString(dir.resolve("pos/a.txt"), "good");
        Files.writeString(dir.resolve("neg/b c ü.txt"), "bad");
        List<LabelledText> texts = TextDatasets.fromFolder(dir);
        assertEquals(
                List.of(new LabelledText("bad", "neg"), new LabelledText("good", "pos")), texts);
    }

    @Test
    @Tag("bad-input")
    @DisplayName("empty class folder of texts")
    void fromFolder_emptyClassFolder_namesIt() throws IOException {
        Files.createDirectories(dir.resolve("pos"));
        Files.writeString(Files.createDirectories(dir.resolve("neg")).resolve("x.txt"), "x");
        IOException e = assertThrows(IOException.class, () -> TextDatasets.fromFolder(dir));
        assertTrue(
                e.getMessage().contains("pos") && e.getMessage().contains("no text files"),
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("delimited text file without the named text column")
    void fromDelimited_tsvAndMissingColumn() throws IOException {
        Path tsv =
                Files.writeString(
                        dir.resolve("d.tsv"),
                        "label\ttext\nspam\tbuy now\n" + "ham\t\"hello, world\"\n");
        assertEquals(
                List.of(
                        new LabelledText("buy now", "spam"),
                        new LabelledText("hello, world", "ham")),
                TextDatasets.fromDelimited(tsv, '\t', "text", "label"));
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> TextDatasets.fromDelimited(tsv, '\t', "body", "label"));
        assertTrue(e.getMessage().contains("no column 'body'"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("JSON-lines file with a line that is not JSON")
    void fromJsonLines_badLine_namesTheLine() throws IOException {
        Path file =
                Files.writeString(
                        dir.resolve("d.jsonl"), "{\"text\":\"a\",\"label\":\"x\"}\n{not json\n");
        IOException e =
                assertThrows(
                        IOException.class, () -> TextDatasets.fromJsonLines(file, "text", "label"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void stratified_keepsEachClassProportionAndIsSeeded() {
        List<LabelledText> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add(new LabelledText("t" + i, i % 4 == 0 ? "a" : "b"));
        }
        TextSplits s = TextSplits.stratified(texts, 0.2, 0.2, 7);
        assertEquals(2, s.test().stream().filter(t -> t.label().equals("a")).count());
        assertEquals(6, s.test().stream().filter(t -> t.label().equals("b")).count());
        assertEquals(s, TextSplits.stratified(texts, 0.2, 0.2, 7));
    }
}
