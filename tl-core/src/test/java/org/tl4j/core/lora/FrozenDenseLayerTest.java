package org.tl4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.core.transformer.TinyEncoder;

/**
 * {@link FrozenDenseLayer}: its input gradient against DL4J's numerical gradient check, and a LoRA
 * encoder built with it (and with the bottom frozen without backprop) against the same encoder
 * frozen with DL4J's {@code FrozenLayerWithBackprop} throughout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FrozenDenseLayerTest {

    private DataType savedType;
    private DataType savedFloatType;

    @BeforeEach
    void doublePrecision() {
        savedType = Nd4j.dataType();
        savedFloatType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedType, savedFloatType);
    }

    @ParameterizedTest
    @EnumSource(
            value = Activation.class,
            names = {"IDENTITY", "TANH", "SIGMOID"})
    void backprop_inputGradient_matchesNumericalGradientOfLayerBelow(Activation activation) {
        // The trainable layer below receives exactly the frozen layer's input gradient: its
        // parameter gradients are right only if that epsilon is.
        ComputationGraphConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .seed(3)
                        .dataType(DataType.DOUBLE)
                        .updater(new NoOp())
                        .weightInit(WeightInit.XAVIER)
                        .graphBuilder()
                        .addInputs("in")
                        .addLayer(
                                "below",
                                new DenseLayer.Builder()
                                        .nIn(4)
                                        .nOut(6)
                                        .activation(Activation.TANH)
                                        .build(),
                                "in")
                        .addLayer(
                                "frozen",
                                FrozenDenseLayer.of(
                                        new DenseLayer.Builder()
                                                .nIn(6)
                                                .nOut(5)
                                                .activation(activation)
                                                .name("frozen")
                                                .build()),
                                "below")
                        .addLayer(
                                "out",
                                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                        .nIn(5)
                                        .nOut(3)
                                        .activation(Activation.SOFTMAX)
                                        .build(),
                                "frozen")
                        .setOutputs("out")
                        .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertTrue(graph.getLayer("frozen") instanceof FrozenDenseLayerImpl);
        org.nd4j.linalg.dataset.DataSet ds = LoraTestNets.data(5, 9, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5);
        boolean ok =
                GradientCheckUtil.checkGradients(
                        new GradientCheckUtil.GraphConfig()
                                .net(graph)
                                .inputs(new INDArray[] {x})
                                .labels(new INDArray[] {ds.getLabels()})
                                .epsilon(1e-6)
                                .maxRelError(1e-3)
                                .minAbsoluteError(1e-8)
                                .excludeParams(Set.of("frozen_W", "frozen_b")));
        assertTrue(ok, "gradient check failed with activation " + activation);
    }

    @Test
    void loraEncoder_outputsAndTrainedGradients_equalFrozenLayerWithBackpropVersion() {
        ComputationGraph base = TinyEncoder.build(5, new Adam(1e-2), Pooling.MASKED_MEAN);
        LoraConfig config =
                LoraConfig.builder()
                        .rank(2)
                        .alpha(4)
                        .targets("encoder\\.\\d+\\.attention\\.(query|value)")
                        .modulesToSave("head")
                        .build();
        ComputationGraph fast = Lora.apply(base, config);
        // Above the first adapter frozen projections compute their input gradient only; below it
        // (block 0's key, the embeddings) nothing is backpropagated.
        assertTrue(fast.getLayer("encoder.0.attention.output") instanceof FrozenDenseLayerImpl);
        assertTrue(fast.getLayer("encoder.1.attention.key") instanceof FrozenDenseLayerImpl);
        assertTrue(
                fast.getLayer("encoder.0.attention.key")
                        instanceof org.deeplearning4j.nn.layers.FrozenLayer);
        assertTrue(
                fast.getLayer("embeddings.word")
                        instanceof org.deeplearning4j.nn.layers.FrozenLayer);
        assertTrue(
                fast.getVertex("embeddings.sum")
                        instanceof org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex);
        // B = 0 would make dL/dA vanish: give every B values.
        Nd4j.getRandom().setSeed(17);
        for (LoraDenseLayerImpl l : Lora.loraLayers(fast)) {
            INDArray b = l.getParam(LoraParamInitializer.B_KEY);
            b.assign(Nd4j.rand(DataType.DOUBLE, b.shape()).subi(0.5));
        }
        ComputationGraph reference = withFrozenLayerWithBackprop(fast);

        MultiDataSet batch = TinyEncoder.batch(23, 6, 6, 4, 2);
        INDArray outFast = fast.output(false, batch.getFeatures(), null, null)[0];
        INDArray outRef = reference.output(false, batch.getFeatures(), null, null)[0];
        assertEquals(outRef, outFast);

        Gradient gFast = gradient(fast, batch);
        Gradient gRef = gradient(reference, batch);
        int compared = 0;
        for (Map.Entry<String, INDArray> e : gRef.gradientForVariable().entrySet()) {
            String key = e.getKey();
            boolean trained = key.endsWith("_A") || key.endsWith("_B") || key.startsWith("head_");
            if (trained) {
                INDArray mine = gFast.getGradientFor(key);
                assertTrue(
                        e.getValue().equalsWithEps(mine, 1e-12),
                        key + ": " + mine + " vs " + e.getValue());
                compared++;
            }
        }
        assertEquals(4 * 2 + 2, compared, "A and B of 4 LoRA layers and the head's W and b");
        assertEquals(reference.score(), fast.score(), 1e-12);
    }

    @Test
    void loraEncoder_fit_keepsFrozenParamsBitIdenticalAndRoundTripsJson() {
        ComputationGraph base = TinyEncoder.build(5, new Adam(1e-2), Pooling.MASKED_MEAN);
        ComputationGraph adapted =
                Lora.apply(
                        base,
                        LoraConfig.builder()
                                .rank(2)
                                .alpha(4)
                                .targets("encoder\\.1\\.attention\\.(query|value)")
                                .modulesToSave("head")
                                .build());
        INDArray key = adapted.getLayer("encoder.1.attention.key").getParam("W").dup();
        INDArray word = adapted.getLayer("embeddings.word").getParam("W").dup();
        INDArray ffn = adapted.getLayer("encoder.0.ffn.intermediate").getParam("W").dup();
        MultiDataSet batch = TinyEncoder.batch(23, 6, 6, 4, 2);
        INDArray a = adapted.getLayer("encoder.1.attention.query").getParam("A").dup();
        for (int i = 0; i < 3; i++) {
            adapted.fit(batch);
        }
        assertEquals(key, adapted.getLayer("encoder.1.attention.key").getParam("W"));
        assertEquals(word, adapted.getLayer("embeddings.word").getParam("W"));
        assertEquals(ffn, adapted.getLayer("encoder.0.ffn.intermediate").getParam("W"));
        assertTrue(!a.equals(adapted.getLayer("encoder.1.attention.query").getParam("A")));
        // Block 0 lies wholly below the first adapter: it needs no backprop at all.
        assertTrue(
                adapted.getLayer("encoder.0.attention.key")
                        instanceof org.deeplearning4j.nn.layers.FrozenLayer);

        ComputationGraphConfiguration conf = adapted.getConfiguration();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
    }

    private static Gradient gradient(ComputationGraph graph, MultiDataSet batch) {
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.computeGradientAndScore();
        return graph.gradient();
    }

    /** The same graph with every frozen layer a FrozenLayerWithBackprop, as DL4J freezes. */
    private static ComputationGraph withFrozenLayerWithBackprop(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof FrozenVertex) {
                e.setValue(((FrozenVertex) e.getValue()).getUnderlying());
            } else if (e.getValue() instanceof LayerVertex) {
                NeuralNetConfiguration nnc = ((LayerVertex) e.getValue()).getLayerConf();
                org.deeplearning4j.nn.conf.layers.Layer l = nnc.getLayer();
                if (l instanceof FrozenLayer) {
                    l = ((FrozenLayer) l).getLayer();
                }
                if (l instanceof FrozenDenseLayer) {
                    FrozenDenseLayer f = (FrozenDenseLayer) l;
                    l =
                            new DenseLayer.Builder()
                                    .nIn(f.getNIn())
                                    .nOut(f.getNOut())
                                    .activation(f.getActivationFn())
                                    .hasBias(f.hasBias())
                                    .updater(new NoOp())
                                    .weightInit(WeightInit.XAVIER)
                                    .name(f.getLayerName())
                                    .build();
                }
                if (l != nnc.getLayer() || l instanceof FrozenDenseLayer) {
                    FrozenLayerWithBackprop w = new FrozenLayerWithBackprop(l);
                    w.setLayerName(e.getKey());
                    nnc.setLayer(w);
                }
            }
        }
        ComputationGraph reference = new ComputationGraph(conf);
        reference.init();
        assertEquals(graph.numParams(), reference.numParams());
        reference.setParams(graph.params());
        for (Layer l : reference.getLayers()) {
            assertTrue(
                    !(l instanceof FrozenDenseLayerImpl)
                            && !(l instanceof org.deeplearning4j.nn.layers.FrozenLayer),
                    "reference still has " + l.getClass().getSimpleName());
        }
        return reference;
    }
}
