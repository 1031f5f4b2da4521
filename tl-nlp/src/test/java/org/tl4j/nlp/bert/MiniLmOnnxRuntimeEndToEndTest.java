package org.tl4j.nlp.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.nlp.tokenize.TokenizedBatch;

/**
 * End to end on the real all-MiniLM-L6-v2: tl4j's imported encoder against ONNX Runtime on the same
 * ONNX file, for a padded batch of sentences of different lengths.
 */
class MiniLmOnnxRuntimeEndToEndTest {

    static final List<String> SENTENCES =
            List.of(
                    "Hi.",
                    "The quick brown fox jumps over the lazy dog.",
                    "Transfer learning reuses a model trained on one task for another, related"
                            + " task; here a sentence encoder distilled from a larger BERT.",
                    "Café crème, naïve façade — and unknown symbols ☃ ♞!",
                    "Short one",
                    "Deeplearning4j runs on the JVM, and tl4j builds BERT from ONNX weights.");

    @Test
    void encode_paddedBatch_matchesOnnxRuntime() throws Exception {
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        assertEquals(
                BertConfig.builder().layers(6).hidden(384).heads(12).ffnSize(1536).build(),
                bert.encoder().config());
        assertEquals(Pooling.MASKED_MEAN, bert.encoder().pooling());
        TokenizedBatch batch = bert.tokenizer().encode(SENTENCES);
        BertEncoder.Output ours = bert.encoder().encode(batch);
        assertArrayEquals(
                new long[] {SENTENCES.size(), batch.length(), 384}, ours.lastHiddenState().shape());

        float[][][] theirs;
        try (InputStream in = getClass().getResourceAsStream(PretrainedBert.MINILM_ONNX);
                OnnxRuntimeReference ort = new OnnxRuntimeReference(in.readAllBytes(), 2)) {
            theirs = ort.lastHiddenState(batch);
        }
        double maxAbs = maxAbsDiffAtTokens(ours.lastHiddenState(), theirs, batch);
        double minCos = minCosine(ours.sentenceEmbedding(), theirs, batch);
        System.out.printf(
                "MiniLM vs ONNX Runtime: max abs diff %.3g, min cosine %.8f%n", maxAbs, minCos);
        assertTrue(maxAbs <= 1e-4, "max abs diff " + maxAbs);
        assertTrue(minCos >= 0.9999, "min cosine " + minCos);
    }

    static double maxAbsDiffAtTokens(INDArray ours, float[][][] theirs, TokenizedBatch batch) {
        double max = 0;
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t < batch.length(); t++) {
                if (batch.attentionMask()[b][t] == 0) {
                    continue;
                }
                for (int h = 0; h < theirs[b][t].length; h++) {
                    max = Math.max(max, Math.abs(ours.getDouble(b, t, h) - theirs[b][t][h]));
                }
            }
        }
        return max;
    }

    static double minCosine(INDArray ours, float[][][] theirs, TokenizedBatch batch) {
        double min = 1;
        for (int b = 0; b < batch.size(); b++) {
            int hidden = theirs[b][0].length;
            double[] mean = new double[hidden];
            int count = 0;
            for (int t = 0; t < batch.length(); t++) {
                if (batch.attentionMask()[b][t] == 1) {
                    count++;
                    for (int h = 0; h < hidden; h++) {
                        mean[h] += theirs[b][t][h];
                    }
                }
            }
            double dot = 0;
            double n1 = 0;
            double n2 = 0;
            for (int h = 0; h < hidden; h++) {
                double a = ours.getDouble(b, h);
                double r = mean[h] / count;
                dot += a * r;
                n1 += a * a;
                n2 += r * r;
            }
            min = Math.min(min, dot / Math.sqrt(n1 * n2));
        }
        return min;
    }
}
