package org.tl4j.core.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every tl4j layer configuration's {@code instantiate} does once it has made its run-time
 * layer: hand it the listeners, its index, its slice of the network's parameter vector and the
 * parameter table its initializer builds on that slice, then its configuration.
 */
public final class LayerInstances {

    private LayerInstances() {}

    /**
     * Wires {@code layer} into its network, in the order DL4J's own layer configurations do.
     *
     * @param config the layer's configuration; its initializer lays out the parameters
     * @param paramsView the layer's slice of the network's parameter vector
     * @param initializeParams whether to initialise the parameters or keep the values in the view
     * @return {@code layer}
     */
    public static <L extends Layer> L wire(
            L layer,
            org.deeplearning4j.nn.conf.layers.Layer config,
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int index,
            INDArray paramsView,
            boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
