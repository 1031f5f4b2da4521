package org.tl4j.core.lora;

/** How the LoRA down-projection {@code A} is initialised; {@code B} always starts at zero. */
public enum LoraInit {
    /**
     * Kaiming-uniform with {@code a = sqrt(5)}, i.e. {@code U(-1/sqrt(in), 1/sqrt(in))}: the
     * initialisation of the reference implementation and of PEFT (the default).
     */
    KAIMING_UNIFORM,
    /** Gaussian {@code N(0, (1/r)^2)}, as PEFT's {@code init_lora_weights="gaussian"}. */
    GAUSSIAN
}
