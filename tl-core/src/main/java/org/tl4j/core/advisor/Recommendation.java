package org.tl4j.core.advisor;

import java.util.List;
import java.util.OptionalInt;

/**
 * What the advisor recommends, and why.
 *
 * @param strategy the recommended strategy's report name ({@code feature-extraction}, {@code
 *     fine-tuning} or {@code lora})
 * @param unfreezeLayers for fine-tuning, how many top pretrained layers to train
 * @param loraRank for LoRA, the adapter rank
 * @param reasons one plain-language reason per criterion weighed
 */
public record Recommendation(
        String strategy, OptionalInt unfreezeLayers, OptionalInt loraRank, List<Reason> reasons) {

    /** Copies the reasons. */
    public Recommendation {
        reasons = List.copyOf(reasons);
    }

    /** One criterion and what it said. */
    public record Reason(Criterion criterion, String text) {}

    /** The recommendation as short text: strategy, setting, then one line per reason. */
    public String explain() {
        StringBuilder sb = new StringBuilder("Recommended: ").append(strategy);
        unfreezeLayers.ifPresent(
                n ->
                        sb.append(" (train the top ")
                                .append(n)
                                .append(n == 1 ? " pretrained layer)" : " pretrained layers)"));
        loraRank.ifPresent(r -> sb.append(" (rank ").append(r).append(')'));
        sb.append('\n');
        for (Reason r : reasons) {
            sb.append("  - ")
                    .append(r.criterion().name().toLowerCase().replace('_', ' '))
                    .append(": ")
                    .append(r.text())
                    .append('\n');
        }
        return sb.toString();
    }
}
