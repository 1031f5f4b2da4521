package org.tl4j.core.tune;

import java.util.Locale;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.SynchronizedRandomGenerator;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.parentselection.RandomTwoParentSelection;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.EmptyPopulationInitializer;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.PopulationModel;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;

/** How a search picks its candidates: one of Arbiter's candidate generators. */
public enum SearchMethod {

    /** Independent uniform draws from the space ({@link RandomSearchGenerator}). */
    RANDOM,
    /**
     * Every combination of a few points per searched setting, in a fixed order ({@link
     * GridSearchCandidateGenerator}, sequential); continuous settings are cut into {@code
     * gridPoints} values, discrete ones use all their values.
     */
    GRID,
    /**
     * Random candidates until a population is full, then crossover and mutation of the best ({@link
     * GeneticSearchCandidateGenerator}); every random choice is seeded.
     */
    GENETIC;

    /**
     * The method named {@code name} ({@code random}, {@code grid} or {@code genetic}).
     *
     * @throws IllegalArgumentException listing the known names if there is none such
     */
    public static SearchMethod of(String name) {
        for (SearchMethod m : values()) {
            if (m.label().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "search: unknown method '" + name + "'; known: random, grid, genetic");
    }

    /** The lower-case name, e.g. {@code "random"}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A new Arbiter candidate generator of this kind over {@code space}.
     *
     * @param score the score (genetic search keeps the best candidates by it)
     * @param seed seeds every random choice of the generator
     * @param gridPoints values per continuous setting for grid search; at least 2
     * @param populationSize population of genetic search; at least 3
     */
    public CandidateGenerator generator(
            TransferSpace space,
            ScoreFunction score,
            long seed,
            int gridPoints,
            int populationSize) {
        CandidateGenerator generator =
                switch (this) {
                    case RANDOM -> new RandomSearchGenerator(space, null);
                    case GRID ->
                            new GridSearchCandidateGenerator(
                                    space,
                                    gridPoints,
                                    GridSearchCandidateGenerator.Mode.Sequential,
                                    null);
                    case GENETIC -> genetic(space, score, seed, populationSize);
                };
        generator.setRngSeed(seed);
        return generator;
    }

    private static CandidateGenerator genetic(
            TransferSpace space, ScoreFunction score, long seed, int populationSize) {
        // Arbiter's genetic operators default to unseeded generators; seed them all.
        if (populationSize < 3) {
            throw new IllegalArgumentException(
                    "populationSize must be at least 3 (Arbiter's"
                            + " parent selection loops forever on a single parent), got "
                            + populationSize);
        }
        RandomGenerator rng = new SynchronizedRandomGenerator(new JDKRandomGenerator());
        rng.setSeed(seed);
        GeneticSelectionOperator selection =
                new GeneticSelectionOperator.Builder()
                        .crossoverOperator(
                                new SinglePointCrossover.Builder()
                                        .randomGenerator(rng)
                                        .parentSelection(new RandomTwoParentSelection(rng))
                                        .build())
                        .mutationOperator(
                                new RandomMutationOperator.Builder().randomGenerator(rng).build())
                        .randomGenerator(rng)
                        .build();
        PopulationModel population =
                new PopulationModel.Builder()
                        .populationInitializer(new EmptyPopulationInitializer())
                        .populationSize(populationSize)
                        .build();
        return new GeneticSearchCandidateGenerator.Builder(space, score)
                .populationModel(population)
                .selectionOperator(selection)
                .build();
    }
}
