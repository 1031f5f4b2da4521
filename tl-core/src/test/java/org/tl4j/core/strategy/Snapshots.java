package org.tl4j.core.strategy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies of a graph's parameters by layer name, for before/after comparisons. */
final class Snapshots {

    private Snapshots() {}

    static Map<String, INDArray> params(ComputationGraph graph) {
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (GraphVertex v : graph.getVertices()) {
            if (v.hasLayer() && v.getLayer().numParams() > 0) {
                params.put(v.getVertexName(), v.getLayer().params().dup());
            }
        }
        return params;
    }
}
