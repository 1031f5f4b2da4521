package org.tl4j.core.model;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * How many parameters of a graph training changes, and how much optimiser state that costs.
 *
 * <p>A parameter counts as trainable when its updater is not {@link NoOp}: DL4J gives frozen
 * layers, LoRA base weights and BatchNorm running statistics a NoOp updater. (Running statistics of
 * a BatchNorm layer in training mode still move; like PyTorch's buffers they are not counted as
 * trainable.)
 *
 * @param trainable parameters updated by the optimiser
 * @param frozen parameters the optimiser never changes
 * @param optimizerStateBytes bytes of optimiser state (e.g. Adam's two moments) for the trainable
 *     parameters
 */
public record ParameterCounts(long trainable, long frozen, long optimizerStateBytes) {

    /** Counts the parameters of every layer of {@code graph}. */
    public static ParameterCounts of(ComputationGraph graph) {
        long trainable = 0;
        long frozen = 0;
        long state = 0;
        for (Layer layer : graph.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                long n = p.getValue().length();
                if (isTrainable(layer, p.getKey())) {
                    IUpdater updater = layer.conf().getLayer().getUpdaterByParam(p.getKey());
                    trainable += n;
                    state += updater.stateSize(n) * p.getValue().dataType().width();
                } else {
                    frozen += n;
                }
            }
        }
        return new ParameterCounts(trainable, frozen, state);
    }

    /**
     * Whether training updates a parameter of a layer: false for DL4J's frozen-layer wrappers and
     * for parameters whose updater is {@link NoOp}.
     */
    public static boolean isTrainable(Layer layer, String param) {
        if (layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) {
            return false;
        }
        IUpdater updater = layer.conf().getLayer().getUpdaterByParam(param);
        return updater != null && !(updater instanceof NoOp);
    }

    /** All parameters, trainable and frozen. */
    public long total() {
        return trainable + frozen;
    }

    /** Trainable parameters as a percentage of all parameters. */
    public double trainablePercent() {
        return total() == 0 ? 0 : 100.0 * trainable / total();
    }

    @Override
    public String toString() {
        return String.format(
                "trainable %,d of %,d parameters (%.2f %%), frozen %,d",
                trainable, total(), trainablePercent(), frozen);
    }
}
