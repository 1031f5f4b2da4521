package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/**
 * Shared parts of the parameter-free vertex configurations in this package: no parameters, a fixed
 * input count, and a memory report that counts no extra memory.
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
}
