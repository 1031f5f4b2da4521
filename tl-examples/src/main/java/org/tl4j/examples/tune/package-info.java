/**
 * Hyperparameter search on the default vision task: the search spaces {@code tl tune} uses, the
 * evaluation of a configuration on validation and test data, and an example app that tunes
 * fine-tuning and compares the best candidate with the default configuration.
 */
package org.tl4j.examples.tune;
