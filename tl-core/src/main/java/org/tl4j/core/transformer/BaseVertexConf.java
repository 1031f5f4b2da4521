package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared parts of the parameter-free vertex configurations in this package: no parameters, a fixed
 * input count, a memory report that counts no extra memory, and a run-time vertex made from the
 * graph, name, index and data type alone.
 */
abstract class BaseVertexConf extends GraphVertex {

    private static final long serialVersionUID = 1L;

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return inputCount();
    }

    @Override
    public int maxVertexInputs() {
        return inputCount();
    }

    /**
     * @return how many inputs the vertex takes
     */
    abstract int inputCount();

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], out)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public final org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(
            ComputationGraph graph,
            String name,
            int idx,
            INDArray paramsView,
            boolean initializeParams,
            DataType dataType) {
        return instantiate(graph, name, idx, dataType);
    }

    /**
     * @return the run-time vertex of this configuration in {@code graph}
     */
    abstract BaseVertexImpl instantiate(
            ComputationGraph graph, String name, int idx, DataType dataType);
}
