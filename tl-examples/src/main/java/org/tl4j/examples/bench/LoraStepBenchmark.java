package org.tl4j.examples.bench;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.model.ParameterCounts;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.TransferStrategy;
import org.tl4j.examples.tasks.TextStrategies;
import org.tl4j.nlp.bert.PretrainedBert;
import org.tl4j.nlp.data.TextDatasets;
import org.tl4j.nlp.data.TextEncoding;
import org.tl4j.nlp.data.TextSplits;

/**
 * LoRA step benchmark: one training step (forward, backward, Adam update) of all-MiniLM-L6-v2 with
 * LoRA (rank 8 on every block's query and value, new head) divided by one step of full fine-tuning,
 * same batch, both measured in this run with the settings of {@code tl compare --task text} (batch
 * 16 e-mails, 64 tokens).
 *
 * <p>Steps alternate between the two models in rounds; each number is the median over rounds of the
 * mean step time within a round.
 *
 * <p>Run: {@code TL_MAIN=org.tl4j.examples.bench.LoraStepBenchmark ./tl [rounds] [steps] [batch]
 * [tokens]}.
 */
public final class LoraStepBenchmark {

    private LoraStepBenchmark() {}

    /** Runs the benchmark and prints the ratio. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int tokens = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        PretrainedModel base = bert.pretrainedModel("all-MiniLM-L6-v2");
        TextSplits splits = TextDatasets.spamAssassinSubset();
        MultiDataSet data =
                TextEncoding.encode(
                        bert.tokenizer(), splits.trainPerClass(batch / 2), splits.labels(), tokens);
        HeadConfig head = HeadConfig.of(splits.labels().size());

        List<TransferStrategy> strategies =
                List.of(TextStrategies.fineTuning(), TextStrategies.lora());
        ComputationGraph[] graphs = new ComputationGraph[strategies.size()];
        for (int s = 0; s < graphs.length; s++) {
            graphs[s] = strategies.get(s).adapt(base, head, 42).graph();
            for (int w = 0; w < 2; w++) {
                graphs[s].fit(data); // warm-up: JIT, workspaces, updater state
            }
        }
        double[][] perStep = new double[graphs.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < graphs.length; s++) {
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    graphs[s].fit(data);
                }
                perStep[s][r] = (System.nanoTime() - start) / 1e6 / steps;
            }
        }
        System.out.printf(
                "all-MiniLM-L6-v2, batch %d x %d tokens, %d rounds of %d steps%n",
                batch, data.getFeatures(0).size(1), rounds, steps);
        double[] median = new double[graphs.length];
        for (int s = 0; s < graphs.length; s++) {
            median[s] = median(perStep[s]);
            ParameterCounts counts = ParameterCounts.of(graphs[s]);
            System.out.printf(
                    "%-12s median step %8.1f ms  (rounds: %s)  trainable %,d  optimizer state %,d"
                            + " B%n",
                    strategies.get(s).name(),
                    median[s],
                    Arrays.toString(Arrays.stream(perStep[s]).mapToLong(Math::round).toArray()),
                    counts.trainable(),
                    counts.optimizerStateBytes());
        }
        System.out.printf("ratio LoRA step / fine-tuning step: %.3f%n", median[1] / median[0]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
