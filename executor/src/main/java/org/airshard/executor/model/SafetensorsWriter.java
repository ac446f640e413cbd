package org.airshard.executor.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes tensors to a {@code .safetensors} file (F32, F16 or BF16). */
public final class SafetensorsWriter {

    /** A tensor to write: HF shape and fp32 values. */
    public record Tensor(long[] shape, float[] values) {
    }

    private SafetensorsWriter() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, DType dtype) throws IOException {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("safetensors writer supports F32/F16/BF16");
        }
        int bytesPer = dtype == DType.F32 ? 4 : 2;
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        Map<String, long[]> offsets = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long len = (long) e.getValue().values().length * bytesPer;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype.name());
            var sh = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                sh.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + len);
            offsets.put(e.getKey(), new long[] {offset, offset + len});
            offset += len;
        }
        byte[] hb = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - (hb.length % 8)) % 8;
        byte[] padded = new byte[hb.length + pad];
        System.arraycopy(hb, 0, padded, 0, hb.length);
        for (int i = hb.length; i < padded.length; i++) {
            padded[i] = ' ';
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length);
            out.write(lb.array());
            out.write(padded);
            for (Tensor t : tensors.values()) {
                ByteBuffer bb = ByteBuffer.allocate(t.values().length * bytesPer).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.values()) {
                    switch (dtype) {
                        case F32 -> bb.putFloat(v);
                        case F16 -> bb.putShort(DType.floatToHalf(v));
                        default -> bb.putShort(DType.floatToBf16(v));
                    }
                }
                out.write(bb.array());
            }
        }
    }
}
