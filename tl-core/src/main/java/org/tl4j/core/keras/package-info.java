/**
 * Import of Keras 2 transformer models saved as HDF5 into DL4J graphs built from tl4j's transformer
 * blocks, ready for LoRA.
 *
 * <p>{@link org.tl4j.core.keras.KerasModelScan} reads a file's {@code model_config} and lists every
 * layer that cannot be imported, all at once; {@link org.tl4j.core.keras.KerasModelImporter} builds
 * the graph and copies the weights, matched by their Keras names and checked against the shapes the
 * configuration implies. {@link org.tl4j.core.keras.KerasLayerRegistry} maps Keras class names to
 * {@link org.tl4j.core.keras.KerasLayerImporter}s: Dense, Activation, Dropout, Add,
 * LayerNormalization and MultiHeadAttention are built in, and so are the other layers of a vision
 * transformer in vit-keras's layout (a Conv2D patch embedding reshaped to a sequence, ClassToken,
 * AddPositionEmbs and the class-token slice {@code x[:, 0]}); applications register their own.
 *
 * <p>Why not DL4J's {@code KerasModelImport} with {@code KerasLayer.registerCustomLayer}: in DL4J
 * 1.0.0-M2.1 each Keras layer becomes exactly one DL4J layer, vertex or preprocessor ({@code
 * KerasModel.getComputationGraphConfiguration} adds one per {@code KerasLayer}), so a
 * MultiHeadAttention could not become the separate query/key/value/output DenseLayers that LoRA
 * targets by name; its inbound-node parsing drops call keyword arguments (the {@code
 * attention_mask} tensor); and it stops at the first unsupported layer class. tl4j therefore
 * imports the functional model itself, reading the file through DL4J's {@code Hdf5Archive}.
 *
 * <p>Layout: sequences {@code [batch, time, features]} are flattened once after each model input to
 * {@code [batch * time, features]} (see {@link org.tl4j.core.transformer}); Dense and
 * LayerNormalization act on the last axis as plain DL4J layers; sequence outputs are reshaped back
 * to {@code [batch, time, features]}. Attention masks are model inputs of Keras shape {@code [1,
 * time]} (fed as {@code [batch, 1, time]}, 1 = attend), used as key padding masks. Image inputs
 * {@code [height, width, channels]} stay as fed ({@code [batch, height, width, channels]}); the
 * patch embedding cuts them into flat patch tokens.
 *
 * <p>Limitations: Keras 2 HDF5 files only (not Keras 3 {@code .keras} archives, SavedModel folders
 * or Keras 3 HDF5 files); functional models only; self-attention only; no per-query or causal
 * masks; each layer called once; Dropout and attention dropout are not applied when the imported
 * graph trains.
 */
package org.tl4j.core.keras;
