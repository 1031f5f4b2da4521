package org.tl4j.core.strategy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.core.model.ParameterCounts;
import org.tl4j.core.model.PretrainedModel;

/**
 * A pretrained model turned into a trainable graph for a new task by a {@link TransferStrategy}.
 *
 * <p>The {@link #graph()} is complete: input to new head. When {@link #featurizedHead()} is
 * present, the part below the feature vertex is frozen and deterministic, so a trainer may compute
 * its output once per example and train only the head on those cached features.
 */
public final class AdaptedModel {

    private final String strategy;
    private final PretrainedModel base;
    private final HeadConfig head;
    private final ComputationGraph graph;
    private final List<String> headLayers;
    private final boolean featurize;

    AdaptedModel(
            String strategy,
            PretrainedModel base,
            HeadConfig head,
            ComputationGraph graph,
            List<String> headLayers,
            boolean featurize) {
        this.strategy = Objects.requireNonNull(strategy);
        this.base = Objects.requireNonNull(base);
        this.head = Objects.requireNonNull(head);
        this.graph = Objects.requireNonNull(graph);
        this.headLayers = List.copyOf(headLayers);
        this.featurize = featurize;
        long trainable = ParameterCounts.of(graph).trainable();
        if (trainable == 0) {
            throw new IllegalStateException(
                    strategy
                            + " left nothing trainable: every parameter of the adapted graph is"
                            + " frozen; unfreeze some layers or add a head");
        }
    }

    /**
     * Wraps a graph adapted by a strategy defined outside this package (e.g. LoRA).
     *
     * @param headLayers the names of the new head's layers, in order, ending at the output
     */
    public static AdaptedModel of(
            String strategy,
            PretrainedModel base,
            HeadConfig head,
            ComputationGraph graph,
            List<String> headLayers) {
        return new AdaptedModel(strategy, base, head, graph, headLayers, false);
    }

    /** The strategy's name, e.g. {@code "fine-tuning"}. */
    public String strategy() {
        return strategy;
    }

    /** The pretrained model this was adapted from. */
    public PretrainedModel base() {
        return base;
    }

    /** The new head's configuration. */
    public HeadConfig head() {
        return head;
    }

    /** The trainable graph, from the input to the new head's output. */
    public ComputationGraph graph() {
        return graph;
    }

    /** Names of the new head's layers, in order; the last is the output layer. */
    public List<String> headLayers() {
        return headLayers;
    }

    /** Present when only the head trains on top of the frozen feature vertex; names that vertex. */
    public Optional<String> featurizedHead() {
        return featurize ? Optional.of(base.featureVertex()) : Optional.empty();
    }

    /** Trainable and frozen parameter counts of {@link #graph()}. */
    public ParameterCounts parameterCounts() {
        return ParameterCounts.of(graph);
    }

    @Override
    public String toString() {
        return strategy + " of " + base.name() + ": " + parameterCounts();
    }
}
