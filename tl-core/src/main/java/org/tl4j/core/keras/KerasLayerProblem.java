package org.tl4j.core.keras;

/**
 * Why one layer of a Keras file cannot be imported.
 *
 * @param layerName the layer's name
 * @param className its Keras class
 * @param reason what is unsupported, one sentence
 */
public record KerasLayerProblem(String layerName, String className, String reason) {

    @Override
    public String toString() {
        return "'" + layerName + "' (" + className + "): " + reason;
    }
}
