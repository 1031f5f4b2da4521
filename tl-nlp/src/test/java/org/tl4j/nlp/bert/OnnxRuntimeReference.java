package org.tl4j.nlp.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import java.util.Map;
import org.tl4j.nlp.tokenize.TokenizedBatch;

/** ONNX Runtime (Java) running an ONNX export: the independent reference of the tests. */
final class OnnxRuntimeReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxRuntimeReference(byte[] model, int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        session = env.createSession(model, options);
    }

    /**
     * @return last_hidden_state [batch][time][hidden]
     */
    float[][][] lastHiddenState(TokenizedBatch batch) throws OrtException {
        try (OnnxTensor ids = tensor(batch.inputIds());
                OnnxTensor mask = tensor(batch.attentionMask());
                OnnxTensor types = tensor(batch.tokenTypeIds());
                OrtSession.Result r =
                        session.run(
                                Map.of(
                                        "input_ids",
                                        ids,
                                        "attention_mask",
                                        mask,
                                        "token_type_ids",
                                        types))) {
            return (float[][][]) r.get(0).getValue();
        }
    }

    private OnnxTensor tensor(int[][] values) throws OrtException {
        long[][] longs =
                Arrays.stream(values)
                        .map(row -> Arrays.stream(row).asLongStream().toArray())
                        .toArray(long[][]::new);
        return OnnxTensor.createTensor(env, longs);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
