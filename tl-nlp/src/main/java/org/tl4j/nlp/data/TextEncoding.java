package org.tl4j.nlp.data;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.nlp.tokenize.TokenizedBatch;
import org.tl4j.nlp.tokenize.WordPieceTokenizer;

/**
 * Turns labelled texts into the arrays a BERT-family graph trains on: features {@code [token ids,
 * token type ids, attention mask]}, each {@code [n, length]}, and one-hot labels {@code [n,
 * classes]}.
 *
 * <p>The sequence length is chosen from the data: the longest tokenized text, capped at {@code
 * maxLength} (longer texts are truncated, shorter ones padded and masked).
 */
public final class TextEncoding {

    private TextEncoding() {}

    /**
     * Encodes {@code texts}.
     *
     * @param labels the class labels; a text's class is the index of its label here
     * @param maxLength cap on tokens per text, [CLS] and [SEP] included; at least 3
     * @throws IllegalArgumentException if there are no texts, the cap is below 3, a text is empty
     *     or blank (it would encode to [CLS] [SEP] alone and teach nothing), or a text's label is
     *     not in {@code labels} (the message lists the labels)
     */
    public static MultiDataSet encode(
            WordPieceTokenizer tokenizer,
            List<LabelledText> texts,
            List<String> labels,
            int maxLength) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to encode (batch of zero)");
        }
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must be at least 3, got " + maxLength);
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).text().isBlank()) {
                throw new IllegalArgumentException(
                        "text "
                                + i
                                + " (label '"
                                + texts.get(i).label()
                                + "') is empty or blank: '"
                                + texts.get(i).text()
                                + "'; remove it or give it content");
            }
        }
        WordPieceTokenizer capped =
                tokenizer.withSettings(
                        tokenizer.settings().toBuilder().maxLength(maxLength).build());
        TokenizedBatch batch = capped.encode(texts.stream().map(LabelledText::text).toList());
        INDArray oneHot = Nd4j.zeros(texts.size(), labels.size());
        for (int i = 0; i < texts.size(); i++) {
            int c = labels.indexOf(texts.get(i).label());
            if (c < 0) {
                throw new IllegalArgumentException(
                        "text "
                                + i
                                + " has label '"
                                + texts.get(i).label()
                                + "', which is not one of "
                                + labels);
            }
            oneHot.putScalar(i, c, 1);
        }
        return new MultiDataSet(batch.toGraphInputs(), new INDArray[] {oneHot});
    }
}
