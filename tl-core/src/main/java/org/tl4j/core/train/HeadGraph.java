package org.tl4j.core.train;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.core.strategy.AdaptedModel;

/**
 * The head of an adapted model as a graph of its own, fed by cached features. Its parameters are
 * copied from the full graph before training and back after, so the full graph ends up with the
 * trained head.
 */
final class HeadGraph {

    static final String INPUT = "features";

    private final AdaptedModel model;
    private final ComputationGraph head;

    private HeadGraph(AdaptedModel model, ComputationGraph head) {
        this.model = model;
        this.head = head;
    }

    /** Builds the head graph with the full graph's current head parameters. */
    static HeadGraph of(AdaptedModel model, String featureVertex) {
        ComputationGraphConfiguration full = model.graph().getConfiguration();
        ComputationGraphConfiguration.GraphBuilder builder =
                new NeuralNetConfiguration.Builder()
                        .seed(full.getDefaultConfiguration().getSeed())
                        .graphBuilder()
                        .addInputs(INPUT)
                        .setInputTypes(model.base().featureType());
        List<String> layers = model.headLayers();
        for (String name : layers) {
            GraphVertex vertex = full.getVertices().get(name).clone();
            List<String> inputs =
                    full.getVertexInputs().get(name).stream()
                            .map(in -> in.equals(featureVertex) ? INPUT : in)
                            .toList();
            builder.addVertex(name, vertex, inputs.toArray(String[]::new));
        }
        builder.setOutputs(layers.get(layers.size() - 1));
        ComputationGraph head = new ComputationGraph(builder.build());
        head.init();
        HeadGraph graph = new HeadGraph(model, head);
        graph.copy(model.graph(), head);
        return graph;
    }

    /** The head graph, input {@value #INPUT}. */
    ComputationGraph graph() {
        return head;
    }

    /** Copies the head graph's parameters into the full graph. */
    void copyBack() {
        copy(head, model.graph());
    }

    private void copy(ComputationGraph from, ComputationGraph to) {
        for (String name : model.headLayers()) {
            to.getLayer(name).setParams(from.getLayer(name).params().dup());
        }
    }
}
