/**
 * WordPiece tokenisation for BERT-family models: {@link org.tl4j.nlp.tokenize.WordPieceTokenizer}
 * reads a Hugging Face {@code tokenizer.json} or a {@code vocab.txt} and produces padded batches
 * ({@link org.tl4j.nlp.tokenize.TokenizedBatch}) of token ids, token type ids and attention masks,
 * the three inputs of the encoders in {@code org.tl4j.nlp.bert}.
 */
package org.tl4j.nlp.tokenize;
