/**
 * BERT-family encoders as DL4J ComputationGraphs: {@link org.tl4j.nlp.bert.BertConfig}, the graph
 * builder {@link org.tl4j.nlp.bert.BertGraphBuilder}, the ONNX weight importer {@link
 * org.tl4j.nlp.bert.BertOnnxImporter}, and {@link org.tl4j.nlp.bert.PretrainedBert} for the bundled
 * all-MiniLM-L6-v2 model. The blocks come from {@code org.tl4j.core.transformer}.
 */
package org.tl4j.nlp.bert;
