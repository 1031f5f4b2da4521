/** Example apps on text: LoRA fine-tuning of MiniLM with adapter-only save and reload. */
package org.tl4j.examples.text;
