package org.tl4j.core.lora.bench;

import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.lora.Lora;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.lora.LoraDenseLayer;

/**
 * Measures a LoRA layer against the dense layer it replaces, in one run, and prints the ratios that
 * tl4j's LoRA layer targets: training step of a LoRA layer / the same dense layer frozen (in = out
 * = 768, r = 8, batch 256; target ≤ 1.10), merged inference / plain dense (≤ 1.02), optimizer-state
 * bytes with LoRA / full training (≤ 1/40).
 *
 * <p>Each network is input → layer → MSE loss, either a loss layer without parameters (the layer
 * under test is the only work) or a small trainable head (768 → 16). Timings are medians over
 * rounds that alternate between the variants. Run it on a quiet machine: see BENCHMARKS.md.
 */
public final class LoraLayerBenchmark {

    private static final int SIZE = 768;
    private static final int RANK = 8;
    private static final int BATCH = 256;
    private static final int ROUNDS = 15;
    private static final int HEAD = 16;

    private LoraLayerBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args optional: iterations per round (default 20)
     */
    public static void main(String[] args) {
        int iters = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, SIZE).subi(0.5);
        System.out.printf(
                Locale.ROOT,
                "cores %s, OMP_NUM_THREADS=%s, %d rounds x %d iterations%n",
                Nd4j.getExecutioner().getEnvironmentInformation().get("cores"),
                System.getenv("OMP_NUM_THREADS"),
                ROUNDS,
                iters);
        for (boolean head : new boolean[] {false, true}) {
            trainingRatios(iters, x, head);
        }
        inferenceAndState(iters, x);
    }

    /**
     * Training steps of LoRA against the frozen dense layer, without a trainable head (nothing but
     * the adapter trains; DL4J then skips the frozen network's backward pass entirely) and with a
     * small trainable head (both networks pay for backpropagation and an optimizer step).
     */
    private static void trainingRatios(int iters, INDArray x, boolean head) {
        DataSet ds = new DataSet(x, Nd4j.rand(DataType.FLOAT, BATCH, head ? HEAD : SIZE));
        DenseLayer dense =
                new DenseLayer.Builder()
                        .nIn(SIZE)
                        .nOut(SIZE)
                        .activation(Activation.IDENTITY)
                        .build();
        ComputationGraph base = net(dense.clone(), head);
        LoraConfig config =
                LoraConfig.builder()
                        .rank(RANK)
                        .alpha(16)
                        .targets("layer")
                        .modulesToSave(head ? new String[] {"head"} : new String[0])
                        .build();
        ComputationGraph lora = Lora.apply(base, config);
        // The same layer where something below it trains, so that its input gradient is needed
        // (as for q/v projections above other adapted layers).
        ComputationGraph loraEps = Lora.apply(base, config);
        ((LoraDenseLayer) loraEps.getLayer("layer").conf().getLayer()).setInputGradientNeeded(true);
        ComputationGraph frozen = net(new FrozenLayer(dense.clone()), head);
        ComputationGraph frozenEps = net(new FrozenLayerWithBackprop(dense.clone()), head);
        ComputationGraph full = net(dense.clone(), head);
        double[] t = timeRounds(iters, ds, x, true, lora, frozen, loraEps, frozenEps, full);
        String tag = head ? "with trainable head" : "no head";
        System.out.printf(Locale.ROOT, "%n-- training step, %s (median ms) --%n", tag);
        print("LoRA r=8, input gradient not needed", t[0]);
        print("dense frozen (FrozenLayer)", t[1]);
        print("LoRA r=8, input gradient needed", t[2]);
        print("dense frozen (FrozenLayerWithBackprop)", t[3]);
        print("dense fully trained", t[4]);
        System.out.printf(
                Locale.ROOT,
                "RATIO [%s] train LoRA / frozen dense, no input gradient   = %.3f"
                        + " (target <= 1.10)%n",
                tag,
                t[0] / t[1]);
        System.out.printf(
                Locale.ROOT,
                "RATIO [%s] train LoRA / frozen dense, with input gradient = %.3f"
                        + " (target <= 1.10)%n",
                tag,
                t[2] / t[3]);
        System.out.printf(
                Locale.ROOT,
                "RATIO [%s] train LoRA / fully trained dense               = %.3f%n",
                tag,
                t[2] / t[4]);
    }

    private static void inferenceAndState(int iters, INDArray x) {
        DataSet ds = new DataSet(x, Nd4j.rand(DataType.FLOAT, BATCH, SIZE));
        DenseLayer dense =
                new DenseLayer.Builder()
                        .nIn(SIZE)
                        .nOut(SIZE)
                        .activation(Activation.IDENTITY)
                        .build();
        ComputationGraph base = net(dense.clone(), false);
        ComputationGraph full = net(dense.clone(), false);
        ComputationGraph lora =
                Lora.apply(
                        base, LoraConfig.builder().rank(RANK).alpha(16).targets("layer").build());
        lora.fit(ds);
        full.fit(ds);
        ComputationGraph merged = Lora.mergeAndUnload(lora);
        double[] t = timeRounds(iters, ds, x, false, merged, base);
        long loraState = lora.getUpdater().getStateViewArray().length() * 4L;
        long fullState = full.getUpdater().getStateViewArray().length() * 4L;
        System.out.printf(Locale.ROOT, "%n-- inference (median ms) --%n");
        print("merged LoRA (mergeAndUnload)", t[0]);
        print("plain dense", t[1]);
        System.out.printf(
                Locale.ROOT,
                "RATIO inference merged / plain dense = %.3f (target <= 1.02)%n",
                t[0] / t[1]);
        System.out.printf(
                Locale.ROOT,
                "RATIO optimizer state (Adam) LoRA / full = %d / %d bytes = 1/%.1f"
                        + " (target <= 1/40)%n",
                loraState,
                fullState,
                (double) fullState / loraState);
    }

    private static ComputationGraph net(Layer layer, boolean head) {
        ComputationGraphConfiguration.GraphBuilder b =
                new NeuralNetConfiguration.Builder()
                        .seed(7)
                        .updater(new Adam(1e-3))
                        .dataType(DataType.FLOAT)
                        .graphBuilder()
                        .addInputs("in")
                        .addLayer("layer", layer, "in");
        if (head) {
            b.addLayer(
                    "head",
                    new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                            .nIn(SIZE)
                            .nOut(HEAD)
                            .activation(Activation.IDENTITY)
                            .build(),
                    "layer");
        } else {
            b.addLayer(
                    "head",
                    new LossLayer.Builder(LossFunctions.LossFunction.MSE)
                            .activation(Activation.IDENTITY)
                            .build(),
                    "layer");
        }
        ComputationGraphConfiguration conf = b.setOutputs("head").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Median over rounds of the mean milliseconds per call, for each graph, interleaved. */
    private static double[] timeRounds(
            int iters, DataSet ds, INDArray x, boolean train, ComputationGraph... graphs) {
        double[][] perRound = new double[graphs.length][ROUNDS];
        for (ComputationGraph g : graphs) {
            run(g, ds, x, train, iters); // warm-up
        }
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < graphs.length; i++) {
                long t0 = System.nanoTime();
                run(graphs[i], ds, x, train, iters);
                perRound[i][r] = (System.nanoTime() - t0) / 1e6 / iters;
            }
        }
        double[] medians = new double[graphs.length];
        for (int i = 0; i < graphs.length; i++) {
            Arrays.sort(perRound[i]);
            medians[i] = perRound[i][ROUNDS / 2];
        }
        return medians;
    }

    private static void run(ComputationGraph g, DataSet ds, INDArray x, boolean train, int n) {
        for (int i = 0; i < n; i++) {
            if (train) {
                g.fit(ds);
            } else {
                g.outputSingle(x);
            }
        }
    }

    private static void print(String what, double ms) {
        System.out.printf(Locale.ROOT, "  %-50s %8.2f%n", what, ms);
    }
}
