/**
 * Hyperparameter search for transfer strategies with Arbiter (1.0.0-beta7).
 *
 * <p>Arbiter builds networks from scratch; this package adds candidates that start from a
 * pretrained model. A {@link org.tl4j.core.tune.TransferSpace} (one subclass per strategy: {@link
 * org.tl4j.core.tune.FineTuningSpace}, {@link org.tl4j.core.tune.FeatureExtractionSpace}, {@link
 * org.tl4j.core.tune.LoraSpace}) turns Arbiter's parameter vectors into {@link
 * org.tl4j.core.tune.CandidateSettings}, validated into {@link
 * org.tl4j.core.tune.TransferCandidate}s; a {@link org.tl4j.core.tune.TransferTaskCreator} adapts,
 * trains and scores each one, recording a failed candidate with its reason while the search goes
 * on; {@link org.tl4j.core.tune.TransferSearch} puts it together with Arbiter's random, grid or
 * genetic candidate generators and termination conditions, and returns {@link
 * org.tl4j.core.tune.TuningResults} (CSV, Markdown, best configuration as JSON).
 */
package org.tl4j.core.tune;
