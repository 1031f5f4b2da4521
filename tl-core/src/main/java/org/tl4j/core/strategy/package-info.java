/**
 * Transfer strategies behind one API: feature extraction, fine-tuning, training from scratch (and
 * LoRA in org.tl4j.core.lora).
 */
package org.tl4j.core.strategy;
