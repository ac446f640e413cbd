package org.airshard.executor.shard;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small builder over the ONNX protobuf messages. Weights are declared as initializers with
 * {@code data_location = EXTERNAL} and kept aside as direct buffers, to be handed to ONNX Runtime with
 * {@code SessionOptions.addExternalInitializers} (no 2 GB protobuf limit, no temporary files). Small
 * constants (shapes, indices, epsilon) are embedded.
 */
public final class OnnxGraph {

    /** ONNX opset used by every AirShard graph (ORT 1.29 loads 13–26). */
    public static final int OPSET = 17;

    /** A weight passed to ONNX Runtime at session creation. */
    public record Weight(long[] shape, FloatBuffer data) {
    }

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Map<String, Weight> weights = new LinkedHashMap<>();
    private final List<String> inputNames = new ArrayList<>();
    private final List<String> outputNames = new ArrayList<>();
    private int counter;

    public OnnxGraph(String name) {
        graph.setName(name);
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder db = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                db.setDimParam(s);
            } else {
                db.setDimValue(((Number) d).longValue());
            }
            shape.addDim(db);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    /** Declares a float graph input; dims are numbers or symbolic names. */
    public String input(String name, Object... dims) {
        graph.addInput(valueInfo(name, OnnxMl.TensorProto.DataType.FLOAT_VALUE, dims));
        inputNames.add(name);
        return name;
    }

    public String inputInt64(String name, Object... dims) {
        graph.addInput(valueInfo(name, OnnxMl.TensorProto.DataType.INT64_VALUE, dims));
        inputNames.add(name);
        return name;
    }

    /** Declares a float graph output produced by {@code value} (renamed through Identity when needed). */
    public void output(String name, String value, Object... dims) {
        if (!name.equals(value)) {
            graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput(value).addOutput(name));
        }
        graph.addOutput(valueInfo(name, OnnxMl.TensorProto.DataType.FLOAT_VALUE, dims));
        outputNames.add(name);
    }

    /** An fp32 weight, external to the protobuf. */
    public String weight(String name, float[] values, long... shape) {
        ByteBuffer bb = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
        FloatBuffer fb = bb.asFloatBuffer();
        fb.put(values).rewind();
        weights.put(name, new Weight(shape, fb));
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("airshard-in-memory"))
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("length")
                        .setValue(Long.toString(values.length * 4L)));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    public String constInt64(long... values) {
        String name = "c" + (counter++);
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            bb.putLong(v);
        }
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(values.length)
                .setRawData(ByteString.copyFrom(bb.array())));
        return name;
    }

    public String constFloat(float value) {
        String name = "c" + (counter++);
        ByteBuffer bb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bb.array())));
        return name;
    }

    /** Adds a node with one output; attributes are name/value pairs (Long, long[], Float). */
    public String node(String op, List<String> inputs, Object... attrs) {
        String out = op.toLowerCase() + "_" + (counter++);
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs)
                .addOutput(out);
        for (int i = 0; i < attrs.length; i += 2) {
            OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName((String) attrs[i]);
            Object v = attrs[i + 1];
            if (v instanceof Long l) {
                a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
            } else if (v instanceof Integer l) {
                a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
            } else if (v instanceof long[] ls) {
                a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
                for (long l : ls) {
                    a.addInts(l);
                }
            } else if (v instanceof Float f) {
                a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
            } else {
                throw new IllegalArgumentException("attribute type " + v);
            }
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    public String node(String op, String... inputs) {
        return node(op, List.of(inputs));
    }

    public Map<String, Weight> weights() {
        return weights;
    }

    public List<String> inputNames() {
        return inputNames;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /** Serialised ModelProto (weights not included). */
    public byte[] toBytes() {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("airshard")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph).build().toByteArray();
    }
}
