/**
 * Hyperparameter search on the default tasks: the search spaces {@code tl tune} uses on the vision
 * task ({@link org.tl4j.examples.tune.VisionTuning}) and the text task ({@link
 * org.tl4j.examples.tune.TextTuning}), the evaluation of a configuration on validation and test
 * data, and example apps that tune fine-tuning on images and LoRA on text and compare the best
 * candidate with the default configuration.
 */
package org.tl4j.examples.tune;
