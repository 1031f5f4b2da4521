package org.tl4j.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.model.ParameterCounts;

/** Which layers of a graph training leaves alone. */
final class FrozenParameters {

    private FrozenParameters() {}

    /** Names of the layers with parameters, all of whose parameters have a NoOp updater. */
    static List<String> frozenLayerNames(ComputationGraph graph) {
        List<String> names = new ArrayList<>();
        for (GraphVertex vertex : graph.getVertices()) {
            if (!vertex.hasLayer()) {
                continue;
            }
            Layer layer = vertex.getLayer();
            Map<String, INDArray> params = layer.paramTable();
            if (params.isEmpty()) {
                continue;
            }
            boolean frozen = true;
            for (String p : params.keySet()) {
                frozen &= !ParameterCounts.isTrainable(layer, p);
            }
            if (frozen) {
                names.add(vertex.getVertexName());
            }
        }
        return names;
    }
}
