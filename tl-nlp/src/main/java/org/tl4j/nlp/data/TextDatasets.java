package org.tl4j.nlp.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Readers of labelled texts: folders, CSV/TSV, JSON lines, and the bundled e-mail subset. */
public final class TextDatasets {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPAM_RESOURCE = "/org/tl4j/nlp/data/spamassassin-subset.jsonl.gz";

    private TextDatasets() {}

    /**
     * Reads one text per file from a folder with one sub-folder per class (the sub-folder's name is
     * the label). Files are read as UTF-8, strictly; hidden files are skipped.
     *
     * @throws IOException if the folder is missing or not a folder, a class folder is empty, or a
     *     file is not valid UTF-8 (the message names the file and the offset of the first bad byte)
     */
    public static List<LabelledText> fromFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("not a folder of class folders: " + folder.toAbsolutePath());
        }
        List<LabelledText> texts = new ArrayList<>();
        for (Path classDir : sorted(folder)) {
            if (!Files.isDirectory(classDir)) {
                continue;
            }
            List<Path> files = sorted(classDir).stream().filter(Files::isRegularFile).toList();
            if (files.isEmpty()) {
                throw new IOException("class folder " + classDir + " holds no text files");
            }
            String label = classDir.getFileName().toString();
            for (Path file : files) {
                texts.add(new LabelledText(readUtf8(file), label));
            }
        }
        if (texts.isEmpty()) {
            throw new IOException("no class folders in " + folder.toAbsolutePath());
        }
        return texts;
    }

    /**
     * A file's text, decoded strictly as UTF-8: bytes that are not UTF-8 (a Latin-1 or UTF-16 file)
     * are an error naming the file and the offset, never silently replaced.
     */
    private static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            int offset = in.position();
            throw new IOException(
                    file
                            + " is not UTF-8 text: invalid byte 0x"
                            + String.format("%02x", offset < bytes.length ? bytes[offset] : 0)
                            + " at offset "
                            + offset
                            + "; convert the file to UTF-8 (for example iconv -f latin1 -t"
                            + " utf-8)",
                    e);
        }
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /**
     * Reads a CSV or TSV file with a header line.
     *
     * @param separator ',' for CSV, '\t' for TSV
     * @throws IOException if the file cannot be read or lacks a named column (the message lists the
     *     columns it has)
     */
    public static List<LabelledText> fromDelimited(
            Path file, char separator, String textColumn, String labelColumn) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnSeparator(separator);
        List<LabelledText> texts = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows =
                new CsvMapper()
                        .readerForMapOf(String.class)
                        .with(schema)
                        .readValues(file.toFile())) {
            int line = 1;
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                line++;
                texts.add(
                        new LabelledText(
                                column(row, textColumn, file, line),
                                column(row, labelColumn, file, line)));
            }
        }
        return texts;
    }

    private static String column(Map<String, String> row, String name, Path file, int line)
            throws IOException {
        String value = row.get(name);
        if (value == null) {
            throw new IOException(
                    file
                            + " line "
                            + line
                            + ": no column '"
                            + name
                            + "'; columns are "
                            + row.keySet());
        }
        return value;
    }

    /**
     * Reads JSON lines: one object per line with a text field and a label field.
     *
     * @throws IOException if a line is not a JSON object with both fields (the message names the
     *     line)
     */
    public static List<LabelledText> fromJsonLines(Path file, String textField, String labelField)
            throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readJsonLines(in, file.toString(), textField, labelField, null);
        }
    }

    /**
     * tl4j's bundled SpamAssassin subset (labels "ham" and "spam"), split as made by {@code
     * scripts/make-text-data.py}: 256 training, 64 validation and 300 test e-mails per class.
     */
    public static TextSplits spamAssassinSubset() {
        try (InputStream raw = TextDatasets.class.getResourceAsStream(SPAM_RESOURCE)) {
            if (raw == null) {
                throw new IOException("resource " + SPAM_RESOURCE + " is missing");
            }
            List<LabelledText> train = new ArrayList<>();
            List<LabelledText> validation = new ArrayList<>();
            List<LabelledText> test = new ArrayList<>();
            readJsonLines(
                    new GZIPInputStream(raw),
                    SPAM_RESOURCE,
                    "text",
                    "label",
                    (split, text) ->
                            (switch (split) {
                                        case "train" -> train;
                                        case "validation" -> validation;
                                        default -> test;
                                    })
                                    .add(text));
            return new TextSplits(train, validation, test, List.of("ham", "spam"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled SpamAssassin subset", e);
        }
    }

    private interface SplitSink {
        void accept(String split, LabelledText text);
    }

    private static List<LabelledText> readJsonLines(
            InputStream in, String source, String textField, String labelField, SplitSink sink)
            throws IOException {
        List<LabelledText> texts = new ArrayList<>();
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = parse(line, source, lineNumber);
            JsonNode text = node.get(textField);
            JsonNode label = node.get(labelField);
            if (text == null || label == null) {
                throw new IOException(
                        source
                                + " line "
                                + lineNumber
                                + ": needs fields '"
                                + textField
                                + "' and '"
                                + labelField
                                + "'");
            }
            LabelledText t = new LabelledText(text.asText(), label.asText());
            texts.add(t);
            if (sink != null) {
                sink.accept(node.path("split").asText("train"), t);
            }
        }
        return texts;
    }

    private static JsonNode parse(String line, String source, int lineNumber) throws IOException {
        try {
            JsonNode node = JSON.readTree(line);
            if (!node.isObject()) {
                throw new IOException(source + " line " + lineNumber + " is not a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(
                    source
                            + " line "
                            + lineNumber
                            + " is not valid JSON: "
                            + e.getOriginalMessage(),
                    e);
        }
    }
}
