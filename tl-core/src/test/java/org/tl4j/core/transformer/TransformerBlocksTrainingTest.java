package org.tl4j.core.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Training correctness of the blocks: analytic gradients against central finite differences
 * (padding included, both poolings), and several Adam steps of {@code fit} against a hand-written
 * Adam driven by gradients of freshly built graphs. Batches change length and padding between
 * steps, so any state kept from an earlier call (the failure mode of DL4J's SameDiff vertices:
 * stale input gradients and masks) or a scaled gradient (their doubled gradients) would show.
 */
class TransformerBlocksTrainingTest {

    private static int threads;
    private static int masterThreads;

    /**
     * Double precision; one ND4J thread, because the tiny ops gain nothing from threads and on a
     * busy machine each multi-threaded op can wait a scheduler slice for its second thread.
     */
    @BeforeAll
    static void setUp() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        threads = Nd4j.getEnvironment().maxThreads();
        masterThreads = Nd4j.getEnvironment().maxMasterThreads();
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
    }

    @Test
    void gradients_maskedMeanPoolingWithPadding_matchFiniteDifferences() {
        assertTrue(gradientCheck(Pooling.MASKED_MEAN, Set.of()));
    }

    /** Only the top block and the head: the pooling's backward pass is what differs here. */
    @Test
    void gradients_firstTokenPoolingWithPadding_matchFiniteDifferences() {
        Set<String> lower =
                TinyEncoder.build(7, new NoOp(), Pooling.FIRST_TOKEN).paramTable().keySet().stream()
                        .filter(k -> !k.startsWith("encoder.1.") && !k.startsWith("head"))
                        .collect(Collectors.toSet());
        assertTrue(gradientCheck(Pooling.FIRST_TOKEN, lower));
    }

    private static boolean gradientCheck(Pooling pooling, Set<String> excluded) {
        ComputationGraph graph = TinyEncoder.build(7, new NoOp(), pooling);
        MultiDataSet data = TinyEncoder.batch(3, 5, 5, 3, 2);
        return GradientCheckUtil.checkGradients(
                new GradientCheckUtil.GraphConfig()
                        .net(graph)
                        .inputs(data.getFeatures())
                        .labels(data.getLabels())
                        .epsilon(1e-6)
                        .maxRelError(1e-4)
                        .minAbsoluteError(1e-8)
                        .excludeParams(excluded));
    }

    @Test
    void fit_threeAdamStepsOnAlternatingBatches_matchesAdamOnFreshGraphGradients() {
        double lr = 0.01;
        ComputationGraph graph = TinyEncoder.build(11, new Adam(lr), Pooling.MASKED_MEAN);
        ComputationGraph reference = TinyEncoder.build(11, new Adam(lr), Pooling.MASKED_MEAN);
        MultiDataSet[] batches = {
            TinyEncoder.batch(1, 5, 5, 2, 4),
            TinyEncoder.batch(2, 4, 1, 4),
            TinyEncoder.batch(4, 5, 3, 5, 5)
        };
        INDArray p = reference.params().dup();
        INDArray m = p.ulike().assign(0);
        INDArray v = p.ulike().assign(0);
        for (int step = 0; step < batches.length; step++) {
            graph.fit(batches[step]);
            INDArray grad = freshGradient(p, batches[step]);
            adamStep(p, m, v, grad, lr, step + 1);
            INDArray absDiff = Transforms.abs(graph.params().sub(p));
            long worst = absDiff.argMax().getLong(0);
            assertEquals(
                    0.0,
                    absDiff.getDouble(worst),
                    1e-7,
                    "parameters differ after step "
                            + (step + 1)
                            + " at flat index "
                            + worst
                            + " of "
                            + p.length());
        }
        double moved = Transforms.abs(p.sub(reference.params())).maxNumber().doubleValue();
        assertTrue(moved > 1e-3, "Adam did not move the parameters: " + moved);
    }

    /** The gradient of a freshly built graph: no state can carry over from earlier calls. */
    private static INDArray freshGradient(INDArray params, MultiDataSet data) {
        ComputationGraph fresh = TinyEncoder.build(11, new NoOp(), Pooling.MASKED_MEAN);
        fresh.setParams(params);
        fresh.setInputs(data.getFeatures());
        fresh.setLabels(data.getLabels());
        fresh.computeGradientAndScore();
        // DL4J's updater divides the summed minibatch gradient by the minibatch size
        return fresh.gradient().gradient().div(data.getFeatures(0).size(0));
    }

    /** Adam as DL4J defines it (beta1 0.9, beta2 0.999, epsilon 1e-8, bias-corrected step). */
    private static void adamStep(INDArray p, INDArray m, INDArray v, INDArray g, double lr, int t) {
        double b1 = 0.9;
        double b2 = 0.999;
        m.muli(b1).addi(g.mul(1 - b1));
        v.muli(b2).addi(g.mul(g).muli(1 - b2));
        double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        p.subi(m.mul(alpha).divi(Transforms.sqrt(v, true).addi(1e-8)));
    }
}
