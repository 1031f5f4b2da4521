package org.tl4j.nlp.bert.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.nlp.bert.BertConfig;
import org.tl4j.nlp.bert.PretrainedBert;

/**
 * Benchmark (not a test): all-MiniLM-L6-v2 forward pass, batch 8 x 128 tokens, tl4j (DL4J CPU)
 * against ONNX Runtime Java on the same ONNX weights, measured alternately in one process, and a
 * breakdown of tl4j's time: its matrix products alone (same shapes, ND4J gemm) against the rest.
 *
 * <p>Run: {@code mvn -q -o -pl tl-core,tl-nlp test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.tl4j.nlp.bert.bench.MiniLmForwardBenchmark} (from the repository root; see
 * BENCHMARKS.md).
 */
public final class MiniLmForwardBenchmark {

    private static final int BATCH = 8;
    private static final int TIME = 128;
    private static final int WARMUP = 3;
    private static final int RUNS = 10;

    private MiniLmForwardBenchmark() {}

    /**
     * @param args ignored
     * @throws Exception when the model cannot be loaded or run
     */
    public static void main(String[] args) throws Exception {
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        ComputationGraph graph = bert.encoder().graph();
        long[][] ids = randomIds(new Random(1), bert.encoder().config().vocabSize());
        INDArray idArray = Nd4j.createFromArray(ids).castTo(DataType.FLOAT);
        INDArray ones = Nd4j.ones(DataType.FLOAT, BATCH, TIME);
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, BATCH, TIME);
        int threads = Runtime.getRuntime().availableProcessors();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        byte[] model;
        try (InputStream in =
                MiniLmForwardBenchmark.class.getResourceAsStream(PretrainedBert.MINILM_ONNX)) {
            model = in.readAllBytes();
        }
        long[][] mask = new long[BATCH][TIME];
        long[][] types = new long[BATCH][TIME];
        for (long[] row : mask) {
            Arrays.fill(row, 1);
        }
        try (OrtSession session = env.createSession(model, options);
                OnnxTensor tIds = OnnxTensor.createTensor(env, ids);
                OnnxTensor tMask = OnnxTensor.createTensor(env, mask);
                OnnxTensor tTypes = OnnxTensor.createTensor(env, types)) {
            Map<String, OnnxTensor> feed =
                    Map.of("input_ids", tIds, "attention_mask", tMask, "token_type_ids", tTypes);
            double[] ours = new double[RUNS];
            double[] theirs = new double[RUNS];
            for (int i = 0; i < WARMUP + RUNS; i++) {
                long t0 = System.nanoTime();
                graph.output(idArray, zeros, ones);
                long t1 = System.nanoTime();
                session.run(feed).close();
                long t2 = System.nanoTime();
                if (i >= WARMUP) {
                    ours[i - WARMUP] = (t1 - t0) / 1e6;
                    theirs[i - WARMUP] = (t2 - t1) / 1e6;
                }
            }
            report(ours, theirs, matmulOnlyMillis(bert.encoder().config()), threads);
            profileVertices(graph, new INDArray[] {idArray, zeros, ones});
        }
    }

    private static void report(double[] ours, double[] theirs, double matmul, int threads) {
        double a = median(ours);
        double b = median(theirs);
        System.out.printf(
                "MiniLM-L6 forward, batch %d x %d tokens, %d threads, median of %d:%n",
                BATCH, TIME, threads, RUNS);
        System.out.printf(
                "  tl4j (DL4J %s) %.1f ms, ONNX Runtime %.1f ms, ratio %.2f%n",
                Nd4j.getExecutioner().getClass().getSimpleName(), a, b, a / b);
        System.out.printf(
                "  tl4j matrix products alone (same shapes, ND4J gemm) %.1f ms = %.0f%% of tl4j's"
                        + " forward; the rest (attention softmax/permutes, LayerNorm, GELU, graph"
                        + " overhead) %.1f ms%n",
                matmul, 100 * matmul / a, a - matmul);
    }

    /**
     * Times each vertex of the embeddings and the first encoder block on its recorded inputs (best
     * of three, no workspaces): where one block's time goes.
     */
    private static void profileVertices(ComputationGraph graph, INDArray[] inputs) {
        Map<String, INDArray> acts = graph.feedForward(inputs, false);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        System.out.println("  per-vertex time, embeddings and block 0 (x6 blocks in the model):");
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[index];
            String name = v.getVertexName();
            boolean profiled = name.startsWith("embeddings") || name.startsWith("encoder.0.");
            if (v.isInputVertex() || !profiled) {
                continue;
            }
            long best = Long.MAX_VALUE;
            for (int r = 0; r < 3; r++) {
                VertexIndices[] in = v.getInputVertices();
                for (int i = 0; i < in.length; i++) {
                    String src = graph.getVertices()[in[i].getVertexIndex()].getVertexName();
                    v.setInput(i, acts.get(src).dup(), mgr);
                }
                long t0 = System.nanoTime();
                v.doForward(false, mgr);
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("    %-30s %7.1f ms%n", name, best / 1e6);
        }
    }

    /** Times the encoder's dense and attention matrix products with ND4J alone. */
    private static double matmulOnlyMillis(BertConfig c) {
        int rows = BATCH * TIME;
        INDArray x = Nd4j.rand(DataType.FLOAT, rows, c.hidden());
        INDArray inner = Nd4j.rand(DataType.FLOAT, rows, c.ffnSize());
        INDArray wSquare = Nd4j.rand(DataType.FLOAT, c.hidden(), c.hidden());
        INDArray wUp = Nd4j.rand(DataType.FLOAT, c.hidden(), c.ffnSize());
        INDArray wDown = Nd4j.rand(DataType.FLOAT, c.ffnSize(), c.hidden());
        INDArray q = Nd4j.rand(DataType.FLOAT, BATCH, c.heads(), TIME, c.block().headSize());
        double[] t = new double[RUNS];
        for (int i = 0; i < WARMUP + RUNS; i++) {
            long t0 = System.nanoTime();
            for (int layer = 0; layer < c.layers(); layer++) {
                for (int p = 0; p < 4; p++) {
                    x.mmul(wSquare);
                }
                x.mmul(wUp);
                inner.mmul(wDown);
                INDArray scores = Nd4j.matmul(q, q, false, true, false);
                Nd4j.matmul(scores, q);
            }
            if (i >= WARMUP) {
                t[i - WARMUP] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return median(t);
    }

    private static long[][] randomIds(Random random, int vocab) {
        long[][] ids = new long[BATCH][TIME];
        for (long[] row : ids) {
            for (int t = 0; t < TIME; t++) {
                row[t] = 1000 + random.nextInt(vocab - 1000);
            }
            row[0] = 101;
            row[TIME - 1] = 102;
        }
        return ids;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
