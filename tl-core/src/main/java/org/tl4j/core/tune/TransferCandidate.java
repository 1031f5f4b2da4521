package org.tl4j.core.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.strategy.FeatureExtraction;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.strategy.TransferStrategy;
import org.tl4j.core.strategy.Unfreeze;
import org.tl4j.core.train.TrainingConfig;

/**
 * One point of a search: everything needed to adapt a pretrained model and train it. Arbiter's
 * candidate generators produce these through a {@link TransferSpace}.
 *
 * <p>{@link #settings()} flattens it to named values (for tables and JSON) and {@link
 * #fromSettings(Map)} reads those back, so that a search's best configuration can be re-run. LoRA's
 * settings are {@code rank}, {@code alpha}, {@code loraDropout}, {@code targets} and {@code
 * loraSeed}; an adapter configuration with more (exclusions, bias, overrides, ...) is written
 * whole, as {@link LoraConfig#toJson()}, under {@code loraConfig}.
 *
 * @param strategy the transfer strategy with its settings
 * @param head the new head
 * @param training how the trainer runs (epochs, batch size, patience, seed)
 */
public record TransferCandidate(
        TransferStrategy strategy, HeadConfig head, TrainingConfig training) {

    /** Checks that nothing is missing. */
    public TransferCandidate {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(training, "training");
    }

    /**
     * The settings as named values in a stable order: strategy, its own settings, head, training.
     * Values are numbers, booleans, strings or lists of numbers.
     */
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("strategy", strategy.name());
        if (strategy instanceof FineTuning ft) {
            s.put("learningRate", ft.learningRate());
            s.put("pretrainedLearningRateRatio", ft.pretrainedLearningRateRatio());
            s.put("unfreeze", ft.unfreeze().toString());
            s.put("trainBatchNorm", ft.trainBatchNorm());
        } else if (strategy instanceof FeatureExtraction fe) {
            s.put("learningRate", fe.learningRate());
            s.put("cacheFeatures", fe.cacheFeatures());
        } else if (strategy instanceof LoraStrategy lora) {
            s.put("learningRate", lora.learningRate());
            putLora(s, lora.lora());
        } else {
            s.put("strategySettings", strategy.toString());
        }
        s.put("numClasses", head.numClasses());
        s.put("hiddenSizes", head.hiddenSizes());
        s.put("dropout", head.dropout());
        s.put("maxEpochs", training.maxEpochs());
        s.put("batchSize", training.batchSize());
        s.put("patience", training.patience());
        s.put("minImprovement", training.minImprovement());
        s.put("seed", training.seed());
        return s;
    }

    /** The settings a search varies, compactly, e.g. {@code lr=3.2e-03 ratio=0.12 top 2 ...}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (strategy instanceof FineTuning ft) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "lr=%.2e ratio=%.3f unfreeze=%s ",
                            ft.learningRate(),
                            ft.pretrainedLearningRateRatio(),
                            ft.unfreeze()));
        } else if (strategy instanceof FeatureExtraction fe) {
            b.append(String.format(Locale.ROOT, "lr=%.2e ", fe.learningRate()));
        } else if (strategy instanceof LoraStrategy lora) {
            LoraConfig c = lora.lora();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "lr=%.2e r=%d alpha=%s lora-dropout=%.2f targets=%s ",
                            lora.learningRate(),
                            c.rank(),
                            compact(c.alpha()),
                            c.dropout(),
                            String.join("|", c.targets())));
        } else {
            b.append(strategy).append(' ');
        }
        return b.append(
                        String.format(
                                Locale.ROOT,
                                "hidden=%s dropout=%.2f batch=%d" + " epochs=%d",
                                head.hiddenSizes(),
                                head.dropout(),
                                training.batchSize(),
                                training.maxEpochs()))
                .toString();
    }

    /**
     * Reads settings written by {@link #settings()} back (feature extraction, fine-tuning and
     * LoRA).
     *
     * @throws IllegalArgumentException if a setting is missing or malformed, or the strategy is not
     *     one this method knows; the message names the setting and the value found
     */
    public static TransferCandidate fromSettings(Map<String, ?> s) {
        if (s.containsKey(CandidateSettings.INVALID)) {
            throw new IllegalArgumentException(String.valueOf(s.get(CandidateSettings.INVALID)));
        }
        String name = string(s, "strategy");
        TransferStrategy strategy =
                switch (name) {
                    case FineTuning.NAME ->
                            FineTuning.builder()
                                    .learningRate(number(s, "learningRate").doubleValue())
                                    .pretrainedLearningRateRatio(
                                            number(s, "pretrainedLearningRateRatio").doubleValue())
                                    .unfreeze(unfreeze(string(s, "unfreeze")))
                                    .trainBatchNorm(
                                            Boolean.parseBoolean(string(s, "trainBatchNorm")))
                                    .build();
                    case FeatureExtraction.NAME ->
                            FeatureExtraction.builder()
                                    .learningRate(number(s, "learningRate").doubleValue())
                                    .cacheFeatures(Boolean.parseBoolean(string(s, "cacheFeatures")))
                                    .build();
                    case LoraStrategy.NAME ->
                            new LoraStrategy(lora(s), number(s, "learningRate").doubleValue());
                    default ->
                            throw new IllegalArgumentException(
                                    "strategy: cannot re-create '"
                                            + name
                                            + "' from settings; known: "
                                            + FineTuning.NAME
                                            + ", "
                                            + FeatureExtraction.NAME
                                            + ", "
                                            + LoraStrategy.NAME);
                };
        HeadConfig head =
                HeadConfig.builder(number(s, "numClasses").intValue())
                        .hiddenSizes(integers(s, "hiddenSizes"))
                        .dropout(number(s, "dropout").doubleValue())
                        .build();
        TrainingConfig training =
                TrainingConfig.builder()
                        .maxEpochs(number(s, "maxEpochs").intValue())
                        .batchSize(number(s, "batchSize").intValue())
                        .patience(number(s, "patience").intValue())
                        .minImprovement(number(s, "minImprovement").doubleValue())
                        .seed(number(s, "seed").longValue())
                        .build();
        return new TransferCandidate(strategy, head, training);
    }

    /** Writes an adapter configuration's settings; see the class documentation. */
    private static void putLora(Map<String, Object> s, LoraConfig c) {
        s.put("rank", c.rank());
        s.put("alpha", c.alpha());
        s.put("loraDropout", c.dropout());
        s.put("targets", c.targets());
        s.put("loraSeed", c.seed());
        if (!c.equals(flatLora(c.rank(), c.alpha(), c.dropout(), c.targets(), c.seed()))) {
            s.put("loraConfig", c.toJson());
        }
    }

    /** Reads an adapter configuration: {@code loraConfig} when present, else the flat settings. */
    private static LoraConfig lora(Map<String, ?> s) {
        if (s.get("loraConfig") != null) {
            return LoraConfig.fromJson(string(s, "loraConfig"));
        }
        return flatLora(
                number(s, "rank").intValue(),
                number(s, "alpha").doubleValue(),
                number(s, "loraDropout").doubleValue(),
                strings(s, "targets"),
                number(s, "loraSeed").longValue());
    }

    private static LoraConfig flatLora(
            int rank, double alpha, double dropout, List<String> targets, long seed) {
        return LoraConfig.builder()
                .rank(rank)
                .alpha(alpha)
                .dropout(dropout)
                .targets(targets.toArray(String[]::new))
                .seed(seed)
                .build();
    }

    /** {@code 16} for 16.0, {@code 2.5} for 2.5. */
    private static String compact(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    /** Parses {@code all}, {@code top N} or {@code after VERTEX} as {@link Unfreeze#toString()}. */
    static Unfreeze unfreeze(String text) {
        if (text.equals("all")) {
            return Unfreeze.all();
        }
        if (text.startsWith("top ")) {
            return Unfreeze.topLayers(Integer.parseInt(text.substring(4).trim()));
        }
        if (text.startsWith("after ")) {
            return Unfreeze.after(text.substring(6).trim());
        }
        throw new IllegalArgumentException(
                "unfreeze: expected 'all', 'top N' or 'after VERTEX'," + " got '" + text + "'");
    }

    private static Object require(Map<String, ?> s, String key) {
        Object value = s.get(key);
        if (value == null) {
            throw new IllegalArgumentException(
                    "setting '" + key + "' is missing; found " + s.keySet());
        }
        return value;
    }

    private static String string(Map<String, ?> s, String key) {
        return require(s, key).toString();
    }

    private static Number number(Map<String, ?> s, String key) {
        Object value = require(s, key);
        if (value instanceof Number n) {
            return n;
        }
        try {
            return Double.valueOf(value.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "setting '" + key + "' must be a number, got '" + value + "'", e);
        }
    }

    private static List<String> strings(Map<String, ?> s, String key) {
        if (!(require(s, key) instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    "setting '" + key + "' must be a list of strings, got '" + s.get(key) + "'");
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static List<Integer> integers(Map<String, ?> s, String key) {
        if (!(require(s, key) instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    "setting '"
                            + key
                            + "' must be a list of"
                            + " integers, got '"
                            + s.get(key)
                            + "'");
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : list) {
            out.add(o instanceof Number n ? n.intValue() : Integer.parseInt(o.toString()));
        }
        return out;
    }
}
