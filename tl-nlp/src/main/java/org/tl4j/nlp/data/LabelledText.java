package org.tl4j.nlp.data;

import java.util.Objects;

/**
 * A text and its class label.
 *
 * @param text the text; not null (may be empty: the tokenizer decides what empty text means)
 * @param label the class label; not blank
 */
public record LabelledText(String text, String label) {

    /** Checks the fields. */
    public LabelledText {
        Objects.requireNonNull(text, "text");
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank, got '" + label + "'");
        }
    }
}
