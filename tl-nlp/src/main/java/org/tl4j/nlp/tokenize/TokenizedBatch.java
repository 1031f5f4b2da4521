package org.tl4j.nlp.tokenize;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A padded batch of tokenised texts: {@code [batch, time]} token ids, token type (segment) ids and
 * attention mask (1 = token, 0 = padding), right-padded with the pad id.
 *
 * @param tokens the word pieces of each example, special tokens included, padding excluded
 * @param inputIds token ids, {@code [batch][time]}
 * @param tokenTypeIds segment ids (0 first text, 1 second), {@code [batch][time]}
 * @param attentionMask 1 for a real token, 0 for padding, {@code [batch][time]}
 */
public record TokenizedBatch(
        List<List<String>> tokens, int[][] inputIds, int[][] tokenTypeIds, int[][] attentionMask) {

    /**
     * @return the number of examples
     */
    public int size() {
        return inputIds.length;
    }

    /**
     * @return the padded length
     */
    public int length() {
        return inputIds.length == 0 ? 0 : inputIds[0].length;
    }

    /**
     * @return {@code [batch, time]} token ids as floats, the graph input {@code input_ids}
     */
    public INDArray inputIdsArray() {
        return toArray(inputIds);
    }

    /**
     * @return {@code [batch, time]} segment ids, the graph input {@code token_type_ids}
     */
    public INDArray tokenTypeIdsArray() {
        return toArray(tokenTypeIds);
    }

    /**
     * @return {@code [batch, time]} mask, the graph input {@code attention_mask}
     */
    public INDArray attentionMaskArray() {
        return toArray(attentionMask);
    }

    /**
     * @return the three encoder inputs in graph order: input_ids, token_type_ids, attention_mask
     */
    public INDArray[] toGraphInputs() {
        return new INDArray[] {inputIdsArray(), tokenTypeIdsArray(), attentionMaskArray()};
    }

    private static INDArray toArray(int[][] values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT);
    }
}
