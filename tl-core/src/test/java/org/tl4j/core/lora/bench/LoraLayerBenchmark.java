package org.tl4j.core.lora.bench;

import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
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
 * Measures a LoRA layer against the dense layer it replaces, in one run, and prints the ratios
 * that issue 3 sets as targets: training step of a LoRA layer / the same dense layer frozen
 * (in = out = 768, r = 8, batch 256; target ≤ 1.10), merged inference / plain dense (≤ 1.02),
 * optimizer-state bytes with LoRA / full training (≤ 1/40).
 *
 * <p>Each network is input → layer → MSE loss layer (no parameters), so that the layer under test
 * is the only work. Timings are medians over rounds that alternate between the variants.
 */
public final class LoraLayerBenchmark {

    private static final int SIZE = 768;
    private static final int RANK = 8;
    private static final int BATCH = 256;
    private static final int ROUNDS = 15;

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
        DataSet ds = new DataSet(x, Nd4j.rand(DataType.FLOAT, BATCH, SIZE).subi(0.5));
        DenseLayer dense = new DenseLayer.Builder().nIn(SIZE).nOut(SIZE)
                .activation(Activation.IDENTITY).build();

        ComputationGraph base = net(dense.clone());
        ComputationGraph frozen = net(new FrozenLayerWithBackprop(dense.clone()));
        ComputationGraph frozenNoEps = net(new FrozenLayer(dense.clone()));
        ComputationGraph full = net(dense.clone());
        ComputationGraph lora = Lora.apply(base,
                LoraConfig.builder().rank(RANK).alpha(16).targets("layer").build());
        ComputationGraph merged = Lora.mergeAndUnload(lora);
        // The same LoRA layer where something below it trains, so that its input gradient is
        // needed (as for q/v projections above other adapted layers).
        ComputationGraph loraEps = Lora.apply(base,
                LoraConfig.builder().rank(RANK).alpha(16).targets("layer").build());
        ((LoraDenseLayer) loraEps.getLayer("layer").conf().getLayer())
                .setInputGradientNeeded(true);

        double[] train = timeRounds(iters, ds, x, true, lora, frozenNoEps, loraEps, frozen, full);
        double[] infer = timeRounds(iters, ds, x, false, merged, base);
        for (ComputationGraph g : new ComputationGraph[] {lora, full}) {
            g.fit(ds); // make sure the updater state exists
        }
        long loraState = lora.getUpdater().getStateViewArray().length() * 4L;
        long fullState = full.getUpdater().getStateViewArray().length() * 4L;

        System.out.printf(Locale.ROOT, "cores %s, OMP_NUM_THREADS=%s, %d rounds x %d iterations%n",
                Nd4j.getExecutioner().getEnvironmentInformation().get("cores"),
                System.getenv("OMP_NUM_THREADS"), ROUNDS, iters);
        print("training step, LoRA r=8, input gradient not needed (ms)", train[0]);
        print("training step, dense frozen, FrozenLayer (ms)", train[1]);
        print("training step, LoRA r=8, input gradient needed (ms)", train[2]);
        print("training step, dense frozen, FrozenLayerWithBackprop (ms)", train[3]);
        print("training step, dense fully trained (ms)", train[4]);
        print("inference, merged LoRA (ms)", infer[0]);
        print("inference, plain dense (ms)", infer[1]);
        System.out.printf(Locale.ROOT,
                "RATIO train LoRA / frozen dense, no input gradient   = %.3f (target <= 1.10)%n",
                train[0] / train[1]);
        System.out.printf(Locale.ROOT,
                "RATIO train LoRA / frozen dense, with input gradient = %.3f (target <= 1.10)%n",
                train[2] / train[3]);
        System.out.printf(Locale.ROOT,
                "RATIO train LoRA / fully trained dense               = %.3f%n",
                train[2] / train[4]);
        System.out.printf(Locale.ROOT,
                "RATIO inference merged / plain dense   = %.3f (target <= 1.02)%n",
                infer[0] / infer[1]);
        System.out.printf(Locale.ROOT,
                "RATIO optimizer state LoRA / full      = %d / %d bytes = 1/%.1f (target <= 1/40)%n",
                loraState, fullState, (double) fullState / loraState);
    }

    private static ComputationGraph net(Layer layer) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(1e-3))
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer("layer", layer, "in")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "layer")
                .setOutputs("loss")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Median over rounds of the mean milliseconds per call, for each graph, interleaved. */
    private static double[] timeRounds(int iters, DataSet ds, INDArray x, boolean train,
            ComputationGraph... graphs) {
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
        System.out.printf(Locale.ROOT, "%-60s %8.2f%n", what, ms);
    }
}
