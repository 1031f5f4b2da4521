package org.tl4j.core.lora;

/** Validation shared by {@link LoraConfig} and {@link LoraDenseLayer}; messages name the field. */
final class LoraChecks {

    private LoraChecks() {}

    /** Rank must be positive and, once the layer size is known, at most min(nIn, nOut). */
    static void checkRank(String field, long rank, long nIn, long nOut, String layerName) {
        if (rank <= 0) {
            throw new IllegalArgumentException(
                    field
                            + " must be > 0 (the adapter's inner dimension r); got "
                            + rank
                            + ". Typical values are 4 to 64.");
        }
        if (nIn > 0 && nOut > 0 && rank > Math.min(nIn, nOut)) {
            throw new IllegalArgumentException(
                    field
                            + " must be <= min(nIn, nOut) = "
                            + Math.min(nIn, nOut)
                            + " for layer '"
                            + layerName
                            + "' (nIn="
                            + nIn
                            + ", nOut="
                            + nOut
                            + "); got "
                            + rank
                            + ". Lower the rank or add a per-pattern "
                            + "rank override for this layer.");
        }
    }

    /** Alpha must be finite and positive. */
    static void checkAlpha(String field, double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException(
                    field + " must be finite and > 0 (scaling s = alpha / r); got " + alpha);
        }
    }

    /** Dropout must lie in [0, 1). */
    static void checkDropout(String field, double dropout) {
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException(
                    field
                            + " must be in [0, 1) (probability of dropping an input of the "
                            + "adapter path); got "
                            + dropout);
        }
    }
}
