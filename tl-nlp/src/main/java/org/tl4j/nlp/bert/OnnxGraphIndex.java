package org.tl4j.nlp.bert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Look-ups over an ONNX graph: initializers by name, nodes by output, constant values. */
final class OnnxGraphIndex {

    private final Map<String, Onnx.TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, Onnx.NodeProto> producers = new HashMap<>();
    private final Map<String, List<Onnx.NodeProto>> consumers = new HashMap<>();
    private final Onnx.GraphProto graph;

    OnnxGraphIndex(Onnx.GraphProto graph) {
        this.graph = graph;
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (Onnx.NodeProto n : graph.getNodeList()) {
            for (String out : n.getOutputList()) {
                producers.put(out, n);
            }
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new java.util.ArrayList<>()).add(n);
            }
        }
    }

    Map<String, Onnx.TensorProto> initializers() {
        return initializers;
    }

    List<Onnx.NodeProto> nodes() {
        return graph.getNodeList();
    }

    Optional<Onnx.NodeProto> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /**
     * @return the nodes that read a value, possibly none
     */
    List<Onnx.NodeProto> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /**
     * @return the constant tensor behind a value: an initializer or a Constant node
     */
    Optional<Onnx.TensorProto> constant(String value) {
        if (initializers.containsKey(value)) {
            return Optional.of(initializers.get(value));
        }
        return producer(value)
                .filter(n -> n.getOpType().equals("Constant"))
                .flatMap(
                        n ->
                                n.getAttributeList().stream()
                                        .filter(Onnx.AttributeProto::hasT)
                                        .map(Onnx.AttributeProto::getT)
                                        .findFirst());
    }

    /**
     * @return element {@code i} of an integer tensor
     */
    static long intAt(Onnx.TensorProto t, int i) {
        if (t.getInt64DataCount() > 0) {
            return t.getInt64Data(i);
        }
        if (t.getInt32DataCount() > 0) {
            return t.getInt32Data(i);
        }
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return t.getDataType() == Onnx.TensorProto.DataType.INT32.getNumber()
                ? raw.getInt(4 * i)
                : raw.getLong(8 * i);
    }

    /**
     * @return the element count of a tensor
     */
    static long elementCount(Onnx.TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
    }

    /**
     * @return the first element of a float tensor
     */
    static double firstFloat(Onnx.TensorProto t) {
        if (t.getFloatDataCount() > 0) {
            return t.getFloatData(0);
        }
        return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }

    /**
     * @return a float tensor as an INDArray of its ONNX shape
     */
    static INDArray toArray(Onnx.TensorProto t) {
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        float[] values;
        if (t.getFloatDataCount() > 0) {
            values = new float[t.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = t.getFloatData(i);
            }
        } else {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            values = new float[raw.remaining() / Float.BYTES];
            raw.asFloatBuffer().get(values);
        }
        return Nd4j.create(values, shape, 'c').castTo(DataType.FLOAT);
    }
}
