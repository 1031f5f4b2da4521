package org.tl4j.nlp.tokenize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BERT WordPiece tokenizer (Wu et al., "Google's Neural Machine Translation System",
 * arXiv:1609.08144; Devlin et al., "BERT", arXiv:1810.04805), compatible with Hugging Face's {@code
 * BertNormalizer} + {@code BertPreTokenizer} + {@code WordPiece} pipeline.
 *
 * <p>Texts become {@code [CLS] A [SEP]} or {@code [CLS] A [SEP] B [SEP]} (token types 0 for A and
 * its specials, 1 for B), truncated longest-first to {@link TokenizerSettings#maxLength()} with a
 * warning, and right-padded to the longest example of the batch.
 *
 * <p>Limitations: special-token strings inside the text (such as a literal "[MASK]") are tokenised
 * as ordinary text, unlike Hugging Face's added-token matching.
 */
public final class WordPieceTokenizer {

    private static final Logger LOG = LoggerFactory.getLogger(WordPieceTokenizer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> vocab;
    private final TokenizerSettings settings;
    private final BertTextNormalizer normalizer;
    private final SpecialTokens specials;

    /** Ids and strings of the special tokens. */
    private record SpecialTokens(String unk, int unkId, int clsId, int sepId, int padId) {}

    private WordPieceTokenizer(Map<String, Integer> vocab, TokenizerSettings settings, String unk) {
        this.vocab = Collections.unmodifiableMap(vocab);
        this.settings = settings;
        this.normalizer = new BertTextNormalizer(settings);
        this.specials =
                new SpecialTokens(
                        unk, require(unk), require("[CLS]"), require("[SEP]"), require("[PAD]"));
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json} with a WordPiece model: vocabulary, unknown
     * token, continuation prefix, longest word, normaliser flags and truncation length.
     *
     * @param file the tokenizer.json file
     * @return the tokenizer
     * @throws IOException when the file is missing, a directory, empty, or not valid JSON; the
     *     message names the file
     * @throws IllegalArgumentException when the file is not a WordPiece tokenizer (the message
     *     names the file and the model type found)
     */
    public static WordPieceTokenizer fromTokenizerJson(Path file) throws IOException {
        if (Files.size(requireFile(file, "tokenizer.json")) == 0) {
            throw new IOException("tokenizer file " + file + " is empty (0 bytes)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return fromTokenizerJson(in);
        } catch (JsonProcessingException e) {
            throw new IOException(
                    "tokenizer file "
                            + file
                            + " is not valid JSON (truncated or another format): "
                            + e.getOriginalMessage(),
                    e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json} from a stream; see {@link
     * #fromTokenizerJson(Path)}.
     *
     * @param in the JSON stream, not closed here
     * @return the tokenizer
     * @throws IOException when the stream cannot be read or is not JSON
     */
    public static WordPieceTokenizer fromTokenizerJson(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new IllegalArgumentException(
                    "tokenizer.json: model.type must be \"WordPiece\" "
                            + "(a BERT-family tokenizer), got \""
                            + model.path("type").asText()
                            + "\"");
        }
        Map<String, Integer> vocab = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        return new WordPieceTokenizer(
                vocab, settingsFromJson(root), model.path("unk_token").asText("[UNK]"));
    }

    private static TokenizerSettings settingsFromJson(JsonNode root) {
        JsonNode model = root.path("model");
        JsonNode norm = root.path("normalizer");
        TokenizerSettings.Builder b =
                TokenizerSettings.builder()
                        .continuationPrefix(model.path("continuing_subword_prefix").asText("##"))
                        .maxInputCharsPerWord(model.path("max_input_chars_per_word").asInt(100));
        if ("BertNormalizer".equals(norm.path("type").asText())) {
            b.lowercase(norm.path("lowercase").asBoolean(true))
                    .cleanText(norm.path("clean_text").asBoolean(true))
                    .handleChineseChars(norm.path("handle_chinese_chars").asBoolean(true));
            JsonNode strip = norm.path("strip_accents");
            b.stripAccents(strip.isBoolean() ? strip.asBoolean() : null);
        }
        int max = root.path("truncation").path("max_length").asInt(0);
        if (max >= 3) {
            b.maxLength(max);
        }
        return b.build();
    }

    /**
     * Reads a BERT {@code vocab.txt} (one token per line, id = line number).
     *
     * @param file the vocabulary file
     * @param settings normalisation and length settings
     * @return the tokenizer
     * @throws IOException when the file cannot be read
     */
    public static WordPieceTokenizer fromVocabTxt(Path file, TokenizerSettings settings)
            throws IOException {
        List<String> lines =
                Files.readAllLines(requireFile(file, "vocab.txt"), StandardCharsets.UTF_8);
        Map<String, Integer> vocab = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            vocab.putIfAbsent(lines.get(i).strip(), i);
        }
        return new WordPieceTokenizer(vocab, settings, "[UNK]");
    }

    /**
     * @param newSettings settings to use instead (for example another maxLength)
     * @return a tokenizer with the same vocabulary and the given settings
     */
    public WordPieceTokenizer withSettings(TokenizerSettings newSettings) {
        return new WordPieceTokenizer(new HashMap<>(vocab), newSettings, specials.unk());
    }

    /**
     * @return the settings in use
     */
    public TokenizerSettings settings() {
        return settings;
    }

    /**
     * @return the vocabulary size
     */
    public int vocabularySize() {
        return vocab.size();
    }

    /**
     * Splits one text into word pieces, without special tokens or truncation.
     *
     * @param text the text
     * @return its word pieces
     */
    public List<String> tokenize(String text) {
        List<String> pieces = new ArrayList<>();
        for (String word : normalizer.words(text)) {
            pieces.addAll(wordPieces(word));
        }
        return pieces;
    }

    /**
     * Tokenises a batch of single texts.
     *
     * @param texts one or more non-blank texts
     * @return the padded batch
     */
    public TokenizedBatch encode(List<String> texts) {
        requireBatch("texts", texts);
        List<List<String>> a = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            a.add(tokenizeChecked(texts.get(i), "texts[" + i + "]"));
        }
        return assemble(a, null);
    }

    /**
     * Tokenises a batch of text pairs ({@code [CLS] a [SEP] b [SEP]}).
     *
     * @param first first texts, one or more
     * @param second second texts, as many as {@code first}
     * @return the padded batch
     */
    public TokenizedBatch encodePairs(List<String> first, List<String> second) {
        requireBatch("first", first);
        requireBatch("second", second);
        if (first.size() != second.size()) {
            throw new IllegalArgumentException(
                    "first and second must have the same size, got "
                            + first.size()
                            + " and "
                            + second.size());
        }
        List<List<String>> a = new ArrayList<>();
        List<List<String>> b = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            a.add(tokenizeChecked(first.get(i), "first[" + i + "]"));
            b.add(tokenizeChecked(second.get(i), "second[" + i + "]"));
        }
        return assemble(a, b);
    }

    private List<String> tokenizeChecked(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(
                    what
                            + " is empty; every text needs at least one "
                            + "visible character, got \""
                            + text
                            + "\"");
        }
        List<String> pieces = tokenize(text);
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException(
                    what
                            + " has no tokens after normalisation (only "
                            + "control or format characters), got \""
                            + text
                            + "\"");
        }
        if (pieces.stream().allMatch(specials.unk()::equals)) {
            LOG.warn("{} consists only of unknown tokens ({}): \"{}\"", what, specials.unk(), text);
        }
        return pieces;
    }

    private TokenizedBatch assemble(List<List<String>> a, List<List<String>> b) {
        List<List<String>> tokens = new ArrayList<>();
        List<int[]> types = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            List<String> first = new ArrayList<>(a.get(i));
            List<String> second = b == null ? null : new ArrayList<>(b.get(i));
            truncate(first, second, i);
            List<String> seq = new ArrayList<>();
            seq.add("[CLS]");
            seq.addAll(first);
            seq.add("[SEP]");
            int firstLength = seq.size();
            if (second != null) {
                seq.addAll(second);
                seq.add("[SEP]");
            }
            int[] type = new int[seq.size()];
            java.util.Arrays.fill(type, firstLength, seq.size(), 1);
            tokens.add(seq);
            types.add(type);
        }
        return pad(tokens, types);
    }

    /** Longest-first truncation so that the sequence with specials fits maxLength. */
    private void truncate(List<String> first, List<String> second, int index) {
        int budget = settings.maxLength() - (second == null ? 2 : 3);
        int total = first.size() + (second == null ? 0 : second.size());
        if (total <= budget) {
            return;
        }
        LOG.warn(
                "Example {} has {} tokens with special tokens; truncated to maxLength={}",
                index,
                total + (second == null ? 2 : 3),
                settings.maxLength());
        while (first.size() + (second == null ? 0 : second.size()) > budget) {
            if (second != null && second.size() > first.size()) {
                second.remove(second.size() - 1);
            } else {
                first.remove(first.size() - 1);
            }
        }
    }

    private TokenizedBatch pad(List<List<String>> tokens, List<int[]> types) {
        int length = tokens.stream().mapToInt(List::size).max().orElse(0);
        int n = tokens.size();
        int[][] ids = new int[n][length];
        int[][] typeIds = new int[n][length];
        int[][] mask = new int[n][length];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(ids[i], specials.padId());
            List<String> seq = tokens.get(i);
            for (int t = 0; t < seq.size(); t++) {
                ids[i][t] = vocab.get(seq.get(t));
                typeIds[i][t] = types.get(i)[t];
                mask[i][t] = 1;
            }
        }
        return new TokenizedBatch(List.copyOf(tokens), ids, typeIds, mask);
    }

    /** Greedy longest-match-first WordPiece split of one word. */
    private List<String> wordPieces(String word) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > settings.maxInputCharsPerWord()) {
            return List.of(specials.unk());
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            String match = null;
            int end = cps.length;
            for (; end > start; end--) {
                String piece = new String(cps, start, end - start);
                if (start > 0) {
                    piece = settings.continuationPrefix() + piece;
                }
                if (vocab.containsKey(piece)) {
                    match = piece;
                    break;
                }
            }
            if (match == null) {
                return List.of(specials.unk());
            }
            pieces.add(match);
            start = end;
        }
        return pieces;
    }

    private int require(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(
                    "vocabulary has no special token "
                            + token
                            + " ("
                            + vocab.size()
                            + " entries); a BERT vocabulary needs [PAD], [UNK], "
                            + "[CLS] and [SEP]");
        }
        return id;
    }

    private static Path requireFile(Path file, String what) throws NoSuchFileException {
        if (file != null && Files.isDirectory(file)) {
            throw new NoSuchFileException(
                    file.toString(),
                    null,
                    "is a directory; pass the path of the model's " + what + " inside it");
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw new NoSuchFileException(
                    String.valueOf(file),
                    null,
                    what + " not found; pass the path of the model's " + what);
        }
        return file;
    }

    private static void requireBatch(String name, List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw new IllegalArgumentException(
                    name + " is empty; pass at least one text, got " + texts);
        }
    }
}
