package org.tl4j.core.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.model.GraphVertices;
import org.tl4j.core.model.PretrainedModel;

/**
 * The graph surgery shared by the strategies: drop the pretrained head, put a new head on the
 * feature vertex, optionally freeze everything up to a vertex.
 */
final class HeadGraft {

    /** Name of the new head's output layer. */
    static final String OUTPUT = "head.output";

    private HeadGraft() {}

    /** The graph with its new head, and the head's layer names in order. */
    record Result(ComputationGraph graph, List<String> headLayers) {}

    /**
     * Replaces the head of {@code base} by a new one.
     *
     * @param freezeThrough freeze this vertex and everything it depends on; empty: freeze nothing
     * @param learningRate Adam learning rate of every trainable layer
     */
    static Result graft(
            PretrainedModel base,
            HeadConfig head,
            Optional<String> freezeThrough,
            double learningRate,
            long seed) {
        FineTuneConfiguration fineTune =
                new FineTuneConfiguration.Builder()
                        .updater(new Adam(learningRate))
                        .seed(seed)
                        .build();
        TransferLearning.GraphBuilder builder =
                new TransferLearning.GraphBuilder(base.graph()).fineTuneConfiguration(fineTune);
        freezeThrough.ifPresent(builder::setFeatureExtractor);
        List<String> order = GraphVertices.topologicalOrder(base.graph());
        for (int i = order.size() - 1; i >= 0; i--) {
            if (base.headVertices().contains(order.get(i))) {
                builder.removeVertexAndConnections(order.get(i));
            }
        }
        List<String> headLayers = addHead(builder, base, head);
        builder.setOutputs(OUTPUT);
        return new Result(builder.build(), headLayers);
    }

    /**
     * Adds the head with explicit input sizes, and a flattening preprocessor when the features are
     * convolutional, rather than asking DL4J to re-infer every layer's input size (which custom
     * layers, e.g. transformer blocks, do not all support).
     */
    private static List<String> addHead(
            TransferLearning.GraphBuilder builder, PretrainedModel base, HeadConfig head) {
        List<String> names = new ArrayList<>();
        String previous = base.featureVertex();
        long nIn = base.featureSize();
        InputPreProcessor flatten = flattening(base.featureType());
        for (int i = 0; i < head.hiddenSizes().size(); i++) {
            String name = "head.dense" + i;
            DenseLayer.Builder dense =
                    new DenseLayer.Builder()
                            .nIn(nIn)
                            .nOut(head.hiddenSizes().get(i))
                            .activation(Activation.RELU)
                            .weightInit(WeightInit.RELU);
            addLayer(builder, name, withDropout(dense, head).build(), flatten, previous);
            names.add(name);
            previous = name;
            nIn = head.hiddenSizes().get(i);
            flatten = null;
        }
        OutputLayer.Builder output =
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(nIn)
                        .nOut(head.numClasses())
                        .activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER);
        addLayer(builder, OUTPUT, withDropout(output, head).build(), flatten, previous);
        names.add(OUTPUT);
        return names;
    }

    private static void addLayer(
            TransferLearning.GraphBuilder builder,
            String name,
            Layer layer,
            InputPreProcessor preProcessor,
            String input) {
        if (preProcessor == null) {
            builder.addLayer(name, layer, input);
        } else {
            builder.addLayer(name, layer, preProcessor, input);
        }
    }

    private static InputPreProcessor flattening(InputType features) {
        if (features instanceof InputType.InputTypeConvolutional c) {
            return new CnnToFeedForwardPreProcessor(c.getHeight(), c.getWidth(), c.getChannels());
        }
        if (features.getType() != InputType.Type.FF) {
            throw new UnsupportedOperationException(
                    "a head on "
                            + features
                            + " features is not"
                            + " supported: choose a feature vertex whose output is feed-forward or"
                            + " convolutional (e.g. after pooling)");
        }
        return null;
    }

    private static <T extends BaseLayer.Builder<T>> T withDropout(T layer, HeadConfig head) {
        // DL4J's dropOut(p) takes the probability of keeping an input.
        return head.dropout() > 0 ? layer.dropOut(1 - head.dropout()) : layer;
    }

    /**
     * Returns a copy of {@code graph} whose configuration was changed by {@code edit}, with the
     * same parameter values. Editing a copy keeps the original's lazily built updater consistent.
     */
    static ComputationGraph withEditedConfiguration(
            ComputationGraph graph,
            java.util.function.Consumer<ComputationGraphConfiguration> edit) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        edit.accept(conf);
        ComputationGraph edited = new ComputationGraph(conf);
        edited.init(graph.params().dup(), false);
        return edited;
    }

    /** The layer configuration of a vertex, if the vertex is a layer. */
    static Optional<Layer> layerConf(ComputationGraphConfiguration conf, String vertex) {
        GraphVertex v = conf.getVertices().get(vertex);
        return v instanceof LayerVertex lv
                ? Optional.of(lv.getLayerConf().getLayer())
                : Optional.empty();
    }
}
