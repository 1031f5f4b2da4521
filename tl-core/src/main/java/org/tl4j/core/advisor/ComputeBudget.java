package org.tl4j.core.advisor;

/** How much compute a user can spend on adapting a model. */
public enum ComputeBudget {
    /** Minutes on a laptop CPU: only the head should train. */
    LOW,
    /** Tens of minutes on a CPU: some pretrained layers or adapters can train. */
    MEDIUM,
    /** Hours or a GPU: every layer can train. */
    HIGH
}
