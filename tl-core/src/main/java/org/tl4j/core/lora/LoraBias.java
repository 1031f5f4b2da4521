package org.tl4j.core.lora;

/** Which biases are trained alongside the adapters (PEFT's {@code bias} option). */
public enum LoraBias {
    /** No bias is trained (the default). */
    NONE,
    /** Every bias in the graph is trained, in adapted and in frozen layers alike. */
    ALL,
    /** Only the biases of the adapted (LoRA) layers are trained. */
    LORA_ONLY
}
