package org.tl4j.nlp.bert;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.tl4j.core.transformer.ErfGeluActivation;

/** Feed-forward activation of a BERT-family encoder ({@code hidden_act} in Hugging Face). */
public enum BertActivation {
    /** Exact erf GELU, Hugging Face's {@code "gelu"}. */
    GELU,
    /** Rectified linear unit, {@code "relu"}. */
    RELU;

    /**
     * @return the DL4J activation function
     */
    public IActivation toActivation() {
        return this == GELU ? new ErfGeluActivation() : Activation.RELU.getActivationFunction();
    }
}
