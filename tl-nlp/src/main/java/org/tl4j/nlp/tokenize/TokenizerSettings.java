package org.tl4j.nlp.tokenize;

/**
 * Text normalisation and length settings of a {@link WordPieceTokenizer}, following Hugging Face's
 * {@code BertNormalizer} and {@code WordPiece} model.
 *
 * @param lowercase lower-case the text (uncased models: true)
 * @param stripAccents remove combining marks after NFD decomposition; Hugging Face's {@code null}
 *     (follow {@code lowercase}) is resolved by {@link Builder#build()}
 * @param cleanText drop control characters and map every whitespace character to a space
 * @param handleChineseChars put spaces around CJK ideographs, so each becomes a word
 * @param maxLength the longest sequence in tokens, special tokens included, &ge; 3; longer input is
 *     truncated with a warning (MiniLM: 128 in its tokenizer.json; model limit 512)
 * @param maxInputCharsPerWord words longer than this become the unknown token, &gt; 0 (100)
 * @param continuationPrefix prefix of word-internal pieces, not empty ({@code ##})
 */
public record TokenizerSettings(
        boolean lowercase,
        boolean stripAccents,
        boolean cleanText,
        boolean handleChineseChars,
        int maxLength,
        int maxInputCharsPerWord,
        String continuationPrefix) {

    /** Validates the fields; see the component descriptions. */
    public TokenizerSettings {
        if (maxLength < 3) {
            throw new IllegalArgumentException(
                    "maxLength must be >= 3 ([CLS] x [SEP] needs 3), got " + maxLength);
        }
        if (maxInputCharsPerWord <= 0) {
            throw new IllegalArgumentException(
                    "maxInputCharsPerWord must be > 0, got " + maxInputCharsPerWord);
        }
        if (continuationPrefix == null || continuationPrefix.isEmpty()) {
            throw new IllegalArgumentException(
                    "continuationPrefix must not be empty (BERT uses \"##\"), got "
                            + continuationPrefix);
        }
    }

    /**
     * @return a builder with BERT-uncased defaults (lower-case, accents stripped, 512 tokens)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder holding these settings, for variants
     */
    public Builder toBuilder() {
        return new Builder()
                .lowercase(lowercase)
                .stripAccents(stripAccents)
                .cleanText(cleanText)
                .handleChineseChars(handleChineseChars)
                .maxLength(maxLength)
                .maxInputCharsPerWord(maxInputCharsPerWord)
                .continuationPrefix(continuationPrefix);
    }

    /** Builder of {@link TokenizerSettings}; {@code build()} validates and leaves it unchanged. */
    public static final class Builder {
        private boolean lowercase = true;
        private Boolean stripAccents;
        private boolean cleanText = true;
        private boolean handleChineseChars = true;
        private int maxLength = 512;
        private int maxInputCharsPerWord = 100;
        private String continuationPrefix = "##";

        private Builder() {}

        /**
         * @param v lower-case the text; default true @return this
         */
        public Builder lowercase(boolean v) {
            lowercase = v;
            return this;
        }

        /**
         * @param v strip accents; null (default) follows lowercase @return this
         */
        public Builder stripAccents(Boolean v) {
            stripAccents = v;
            return this;
        }

        /**
         * @param v drop control characters, normalise whitespace; default true @return this
         */
        public Builder cleanText(boolean v) {
            cleanText = v;
            return this;
        }

        /**
         * @param v split CJK ideographs into words; default true @return this
         */
        public Builder handleChineseChars(boolean v) {
            handleChineseChars = v;
            return this;
        }

        /**
         * @param v longest sequence incl. special tokens, &ge; 3; default 512 @return this
         */
        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        /**
         * @param v longest word in characters, &gt; 0; default 100 @return this
         */
        public Builder maxInputCharsPerWord(int v) {
            maxInputCharsPerWord = v;
            return this;
        }

        /**
         * @param v continuation prefix; default "##" @return this
         */
        public Builder continuationPrefix(String v) {
            continuationPrefix = v;
            return this;
        }

        /**
         * @return validated settings
         */
        public TokenizerSettings build() {
            boolean strip = stripAccents == null ? lowercase : stripAccents;
            return new TokenizerSettings(
                    lowercase,
                    strip,
                    cleanText,
                    handleChineseChars,
                    maxLength,
                    maxInputCharsPerWord,
                    continuationPrefix);
        }
    }
}
