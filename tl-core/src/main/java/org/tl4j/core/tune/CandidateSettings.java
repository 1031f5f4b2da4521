package org.tl4j.core.tune;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One point of a {@link TransferSpace} as named values, before validation: what Arbiter's candidate
 * generators produce and carry (Arbiter serialises every candidate value).
 *
 * <p>The names are those of {@link TransferCandidate#settings()}; {@link #build()} validates them
 * into a {@link TransferCandidate}. Keeping validation out of the generator matters: Arbiter's
 * runner generates candidates in a loop that does not check its termination conditions, so a space
 * whose every point failed to build would generate failures forever. Here an invalid point becomes
 * a candidate that fails, with the reason, in its task.
 *
 * @param values the settings by name; numbers, booleans, strings and lists of integers
 */
public record CandidateSettings(Map<String, Object> values) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The name under which a space records why it could not produce a point. */
    public static final String INVALID = "invalid";

    /** Copies the values, keeping their order. */
    public CandidateSettings {
        values =
                Collections.unmodifiableMap(
                        new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
    }

    /** The strategy's name, e.g. {@code "fine-tuning"}. */
    public String strategy() {
        return String.valueOf(values.get("strategy"));
    }

    /**
     * Validates the settings into a candidate.
     *
     * @throws IllegalArgumentException naming the setting and the value if one is invalid
     */
    public TransferCandidate build() {
        return TransferCandidate.fromSettings(values);
    }

    /** A compact description for tables: the validated candidate's, or the raw values. */
    public String describe() {
        try {
            return build().describe();
        } catch (IllegalArgumentException e) {
            return values.toString();
        }
    }
}
