package org.tl4j.nlp.tokenize;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BERT's text normalisation and pre-tokenisation: clean, isolate CJK ideographs, strip accents,
 * lower-case, then split on whitespace and around each punctuation character.
 */
final class BertTextNormalizer {

    private final TokenizerSettings settings;

    BertTextNormalizer(TokenizerSettings settings) {
        this.settings = settings;
    }

    /**
     * @return the words of {@code text}, in order, after normalisation
     */
    List<String> words(String text) {
        String s = text;
        if (settings.cleanText()) {
            s = clean(s);
        }
        if (settings.handleChineseChars()) {
            s = spaceCjk(s);
        }
        if (settings.stripAccents()) {
            s = stripAccents(s);
        }
        if (settings.lowercase()) {
            s = s.toLowerCase(Locale.ROOT);
        }
        return split(s);
    }

    private static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints()
                .forEach(
                        cp -> {
                            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                                return;
                            }
                            out.appendCodePoint(isWhitespace(cp) ? ' ' : cp);
                        });
        return out.toString();
    }

    private static String spaceCjk(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints()
                .forEach(
                        cp -> {
                            if (isCjk(cp)) {
                                out.append(' ').appendCodePoint(cp).append(' ');
                            } else {
                                out.appendCodePoint(cp);
                            }
                        });
        return out.toString();
    }

    private static String stripAccents(String s) {
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        s.codePoints()
                .forEach(
                        cp -> {
                            if (isWhitespace(cp) || Character.isWhitespace(cp)) {
                                flush(word, words);
                            } else if (isPunctuation(cp)) {
                                flush(word, words);
                                words.add(new String(Character.toChars(cp)));
                            } else {
                                word.appendCodePoint(cp);
                            }
                        });
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    static boolean isWhitespace(int cp) {
        return cp == ' '
                || cp == '\t'
                || cp == '\n'
                || cp == '\r'
                || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE;
    }

    static boolean isPunctuation(int cp) {
        if (cp < 128) {
            return (cp >= 33 && cp <= 47)
                    || (cp >= 58 && cp <= 64)
                    || (cp >= 91 && cp <= 96)
                    || (cp >= 123 && cp <= 126);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION ->
                    true;
            default -> false;
        };
    }

    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
