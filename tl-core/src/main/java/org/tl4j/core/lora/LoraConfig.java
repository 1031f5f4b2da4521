package org.tl4j.core.lora;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Immutable LoRA adapter configuration (the saved settings of an adapter), after PEFT's {@code
 * LoraConfig}; LoRA is Hu et al. 2021 (arXiv 2106.09685), rsLoRA Kalajdzievski 2023 (arXiv
 * 2312.03732).
 *
 * <p>Layer-name patterns are Java regular expressions that must match the whole layer (vertex)
 * name, e.g. {@code ".*_(q|v)"}. Fields:
 *
 * <ul>
 *   <li>{@code rank}: r, the adapter's inner dimension; &gt; 0, and at most min(nIn, nOut) of every
 *       target (checked by {@link Lora#apply}); default 8.
 *   <li>{@code alpha}: scaling numerator, {@code s = alpha / r}; finite and &gt; 0; default 8.
 *   <li>{@code dropout}: inverted dropout on the adapter path at training time; in [0, 1); default
 *       0.
 *   <li>{@code targets}: patterns of the dense layers to adapt; at least one; each must match a
 *       layer; no default.
 *   <li>{@code exclusions}: patterns of layers never adapted even when a target matches; default
 *       none.
 *   <li>{@code modulesToSave}: patterns of layers kept fully trainable and saved with the adapter
 *       (e.g. a new head); each must match a layer; default none.
 *   <li>{@code bias}: which biases train; default {@link LoraBias#NONE}.
 *   <li>{@code init}: initialisation of A; default {@link LoraInit#KAIMING_UNIFORM}.
 *   <li>{@code useRsLora}: scale by {@code alpha / sqrt(r)}; default false.
 *   <li>{@code rankOverrides}, {@code alphaOverrides}: pattern → value; the first pattern (in
 *       insertion order) matching a layer wins over {@code rank}/{@code alpha}; same ranges.
 *   <li>{@code seed}: seed of A's initialisation; default 42.
 * </ul>
 *
 * <p>{@link #toJson()} and {@link #fromJson(String)} round-trip exactly.
 */
@JsonPropertyOrder({
    "rank",
    "alpha",
    "dropout",
    "targets",
    "exclusions",
    "modulesToSave",
    "bias",
    "init",
    "useRsLora",
    "rankOverrides",
    "alphaOverrides",
    "seed"
})
public final class LoraConfig {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final int rank;
    private final double alpha;
    private final double dropout;
    private final List<String> targets;
    private final List<String> exclusions;
    private final List<String> modulesToSave;
    private final LoraBias bias;
    private final LoraInit init;
    private final boolean useRsLora;
    private final Map<String, Integer> rankOverrides;
    private final Map<String, Double> alphaOverrides;
    private final long seed;

    private LoraConfig(Builder b) {
        this.rank = b.rank;
        this.alpha = b.alpha;
        this.dropout = b.dropout;
        this.targets = List.copyOf(b.targets);
        this.exclusions = List.copyOf(b.exclusions);
        this.modulesToSave = List.copyOf(b.modulesToSave);
        this.bias = b.bias;
        this.init = b.init;
        this.useRsLora = b.useRsLora;
        this.rankOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(b.rankOverrides));
        this.alphaOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(b.alphaOverrides));
        this.seed = b.seed;
    }

    /** A new builder with the defaults listed in the class Javadoc. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, for variants. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rank = rank;
        b.alpha = alpha;
        b.dropout = dropout;
        b.targets.addAll(targets);
        b.exclusions.addAll(exclusions);
        b.modulesToSave.addAll(modulesToSave);
        b.bias = bias;
        b.init = init;
        b.useRsLora = useRsLora;
        b.rankOverrides.putAll(rankOverrides);
        b.alphaOverrides.putAll(alphaOverrides);
        b.seed = seed;
        return b;
    }

    @JsonCreator
    static LoraConfig fromJsonFields(
            @JsonProperty("rank") int rank,
            @JsonProperty("alpha") double alpha,
            @JsonProperty("dropout") double dropout,
            @JsonProperty("targets") List<String> targets,
            @JsonProperty("exclusions") List<String> exclusions,
            @JsonProperty("modulesToSave") List<String> modulesToSave,
            @JsonProperty("bias") LoraBias bias,
            @JsonProperty("init") LoraInit init,
            @JsonProperty("useRsLora") boolean useRsLora,
            @JsonProperty("rankOverrides") Map<String, Integer> rankOverrides,
            @JsonProperty("alphaOverrides") Map<String, Double> alphaOverrides,
            @JsonProperty("seed") long seed) {
        Builder b = builder().rank(rank).alpha(alpha).dropout(dropout).useRsLora(useRsLora);
        b.targets.addAll(orEmpty(targets));
        b.exclusions.addAll(orEmpty(exclusions));
        b.modulesToSave.addAll(orEmpty(modulesToSave));
        b.bias = bias == null ? LoraBias.NONE : bias;
        b.init = init == null ? LoraInit.KAIMING_UNIFORM : init;
        if (rankOverrides != null) {
            b.rankOverrides.putAll(rankOverrides);
        }
        if (alphaOverrides != null) {
            b.alphaOverrides.putAll(alphaOverrides);
        }
        return b.seed(seed).build();
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    /** This configuration as JSON (the {@code adapter_config.json} of an adapter file). */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("LoraConfig could not be written as JSON", e);
        }
    }

    /**
     * Reads a configuration written by {@link #toJson()}; the values are validated again.
     *
     * @throws IllegalArgumentException when the JSON is malformed or a value is invalid
     */
    public static LoraConfig fromJson(String json) {
        try {
            return MAPPER.readValue(json, LoraConfig.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException(
                    "Invalid LoRA configuration JSON: " + cause.getMessage(), cause);
        }
    }

    /** The rank of the named layer: the first matching rank override, else {@link #rank()}. */
    public int rankFor(String layerName) {
        return firstMatch(rankOverrides, layerName, rank);
    }

    /** The alpha of the named layer: the first matching alpha override, else {@link #alpha()}. */
    public double alphaFor(String layerName) {
        return firstMatch(alphaOverrides, layerName, alpha);
    }

    private static <T> T firstMatch(Map<String, T> overrides, String name, T fallback) {
        for (Map.Entry<String, T> e : overrides.entrySet()) {
            if (Pattern.compile(e.getKey()).matcher(name).matches()) {
                return e.getValue();
            }
        }
        return fallback;
    }

    @JsonProperty("rank")
    public int rank() {
        return rank;
    }

    @JsonProperty("alpha")
    public double alpha() {
        return alpha;
    }

    @JsonProperty("dropout")
    public double dropout() {
        return dropout;
    }

    @JsonProperty("targets")
    public List<String> targets() {
        return targets;
    }

    @JsonProperty("exclusions")
    public List<String> exclusions() {
        return exclusions;
    }

    @JsonProperty("modulesToSave")
    public List<String> modulesToSave() {
        return modulesToSave;
    }

    @JsonProperty("bias")
    public LoraBias bias() {
        return bias;
    }

    @JsonProperty("init")
    public LoraInit init() {
        return init;
    }

    @JsonProperty("useRsLora")
    public boolean useRsLora() {
        return useRsLora;
    }

    @JsonProperty("rankOverrides")
    public Map<String, Integer> rankOverrides() {
        return rankOverrides;
    }

    @JsonProperty("alphaOverrides")
    public Map<String, Double> alphaOverrides() {
        return alphaOverrides;
    }

    @JsonProperty("seed")
    public long seed() {
        return seed;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LoraConfig)) {
            return false;
        }
        LoraConfig c = (LoraConfig) o;
        return rank == c.rank
                && Double.compare(alpha, c.alpha) == 0
                && Double.compare(dropout, c.dropout) == 0
                && targets.equals(c.targets)
                && exclusions.equals(c.exclusions)
                && modulesToSave.equals(c.modulesToSave)
                && bias == c.bias
                && init == c.init
                && useRsLora == c.useRsLora
                && new ArrayList<>(rankOverrides.entrySet())
                        .equals(new ArrayList<>(c.rankOverrides.entrySet()))
                && new ArrayList<>(alphaOverrides.entrySet())
                        .equals(new ArrayList<>(c.alphaOverrides.entrySet()))
                && seed == c.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                rank,
                alpha,
                dropout,
                targets,
                exclusions,
                modulesToSave,
                bias,
                init,
                useRsLora,
                rankOverrides,
                alphaOverrides,
                seed);
    }

    @Override
    public String toString() {
        return "LoraConfig" + toJson().replaceAll("\\s+", " ");
    }

    /** Collects values; {@link #build()} validates them and leaves the builder unchanged. */
    public static final class Builder {
        private int rank = 8;
        private double alpha = 8.0;
        private double dropout;
        private final List<String> targets = new ArrayList<>();
        private final List<String> exclusions = new ArrayList<>();
        private final List<String> modulesToSave = new ArrayList<>();
        private LoraBias bias = LoraBias.NONE;
        private LoraInit init = LoraInit.KAIMING_UNIFORM;
        private boolean useRsLora;
        private final Map<String, Integer> rankOverrides = new LinkedHashMap<>();
        private final Map<String, Double> alphaOverrides = new LinkedHashMap<>();
        private long seed = 42L;

        private Builder() {}

        /** Adapter rank r; &gt; 0; default 8. */
        public Builder rank(int rank) {
            this.rank = rank;
            return this;
        }

        /** Scaling numerator; finite and &gt; 0; default 8. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Adapter-path dropout; in [0, 1); default 0. */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Adds whole-name regex patterns of the dense layers to adapt. */
        public Builder targets(String... patterns) {
            targets.addAll(List.of(patterns));
            return this;
        }

        /** Adds whole-name regex patterns of layers never adapted. */
        public Builder exclusions(String... patterns) {
            exclusions.addAll(List.of(patterns));
            return this;
        }

        /** Adds whole-name regex patterns of layers kept fully trainable (e.g. the new head). */
        public Builder modulesToSave(String... patterns) {
            modulesToSave.addAll(List.of(patterns));
            return this;
        }

        /** Which biases train; default {@link LoraBias#NONE}. */
        public Builder bias(LoraBias bias) {
            this.bias = Objects.requireNonNull(bias, "bias");
            return this;
        }

        /** Initialisation of A; default {@link LoraInit#KAIMING_UNIFORM}. */
        public Builder init(LoraInit init) {
            this.init = Objects.requireNonNull(init, "init");
            return this;
        }

        /** Scale by alpha / sqrt(r) (rsLoRA); default false. */
        public Builder useRsLora(boolean useRsLora) {
            this.useRsLora = useRsLora;
            return this;
        }

        /** Rank for layers whose name matches {@code pattern}; earlier overrides win. */
        public Builder rankOverride(String pattern, int rank) {
            rankOverrides.put(pattern, rank);
            return this;
        }

        /** Alpha for layers whose name matches {@code pattern}; earlier overrides win. */
        public Builder alphaOverride(String pattern, double alpha) {
            alphaOverrides.put(pattern, alpha);
            return this;
        }

        /** Seed of A's initialisation; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates and builds; the builder is not modified.
         *
         * @throws IllegalArgumentException naming the field, the rule and the value received
         */
        public LoraConfig build() {
            LoraChecks.checkRank("rank", rank, 0, 0, null);
            LoraChecks.checkAlpha("alpha", alpha);
            LoraChecks.checkDropout("dropout", dropout);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(
                        "targets must name at least one layer pattern (e.g. \".*_q|.*_v\"); "
                                + "got none");
            }
            checkPatterns("targets", targets);
            checkPatterns("exclusions", exclusions);
            checkPatterns("modulesToSave", modulesToSave);
            checkPatterns("rankOverrides", rankOverrides.keySet());
            checkPatterns("alphaOverrides", alphaOverrides.keySet());
            rankOverrides.forEach(
                    (p, r) ->
                            LoraChecks.checkRank(
                                    "rankOverrides[" + p + "]", r == null ? 0 : r, 0, 0, null));
            alphaOverrides.forEach(
                    (p, a) ->
                            LoraChecks.checkAlpha(
                                    "alphaOverrides[" + p + "]", a == null ? Double.NaN : a));
            checkCrossFields();
            return new LoraConfig(this);
        }

        private void checkCrossFields() {
            for (String t : targets) {
                if (modulesToSave.contains(t)) {
                    throw new IllegalArgumentException(
                            "pattern \""
                                    + t
                                    + "\" is in both targets and modulesToSave; a layer "
                                    + "is either adapted or kept fully trainable: remove it from "
                                    + "one of them");
                }
            }
        }

        private static void checkPatterns(String field, Iterable<String> patterns) {
            for (String p : patterns) {
                if (p == null || p.isEmpty()) {
                    throw new IllegalArgumentException(
                            field + " contains an empty pattern; got " + p);
                }
                try {
                    Pattern.compile(p);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            field
                                    + " contains an invalid regular expression \""
                                    + p
                                    + "\": "
                                    + e.getDescription(),
                            e);
                }
            }
        }
    }
}
