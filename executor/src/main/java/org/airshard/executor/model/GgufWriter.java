package org.airshard.executor.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF v3 file. Metadata values map to GGUF types as llama.cpp expects them: {@link Integer} →
 * UINT32, {@link Float} → FLOAT32, {@link Boolean}, {@link String}, {@code int[]} → INT32 array,
 * {@code float[]} → FLOAT32 array, {@code List<String>} → STRING array. Tensors are given in GGML order
 * ({@code ne}, innermost first) with fp32 values and encoded as F32, F16, BF16 or Q8_0.
 */
public final class GgufWriter {

    private static final int ALIGN = 32;

    private record Tensor(String name, long[] ne, int type, float[] values, byte[] raw) {
    }

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    public GgufWriter put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    public GgufWriter tensor(String name, long[] ne, int ggmlType, float[] values) {
        tensors.add(new Tensor(name, ne, ggmlType, values, null));
        return this;
    }

    /** A tensor whose bytes are already encoded (any GGML type). */
    public GgufWriter tensorRaw(String name, long[] ne, int ggmlType, byte[] bytes) {
        tensors.add(new Tensor(name, ne, ggmlType, null, bytes));
        return this;
    }

    public void write(Path file) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            Out out = new Out(os);
            out.i32(0x46554747);
            out.i32(3);
            out.i64(tensors.size());
            out.i64(metadata.size());
            for (Map.Entry<String, Object> e : metadata.entrySet()) {
                out.str(e.getKey());
                out.typedValue(e.getValue());
            }
            long offset = 0;
            List<byte[]> blobs = new ArrayList<>();
            for (Tensor t : tensors) {
                byte[] data = encode(t);
                blobs.add(data);
                out.str(t.name());
                out.i32(t.ne().length);
                for (long d : t.ne()) {
                    out.i64(d);
                }
                out.i32(t.type());
                out.i64(offset);
                offset += pad(data.length);
            }
            out.zeros(pad(out.pos) - out.pos);
            for (byte[] b : blobs) {
                out.bytes(b);
                out.zeros(pad(b.length) - b.length);
            }
        }
    }

    private static long pad(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static byte[] encode(Tensor t) {
        if (t.raw() != null) {
            return t.raw();
        }
        float[] v = t.values();
        switch (t.type()) {
            case GgufFile.GGML_F32: {
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                return b.array();
            }
            case GgufFile.GGML_F16:
            case GgufFile.GGML_BF16: {
                ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float x : v) {
                    b.putShort(t.type() == GgufFile.GGML_F16 ? DType.floatToHalf(x) : DType.floatToBf16(x));
                }
                return b.array();
            }
            case GgufFile.GGML_Q8_0: {
                if (v.length % 32 != 0) {
                    throw new IllegalArgumentException("Q8_0 needs a multiple of 32 elements: " + t.name());
                }
                ByteBuffer b = ByteBuffer.allocate(v.length / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
                for (int blk = 0; blk < v.length / 32; blk++) {
                    float amax = 0;
                    for (int i = 0; i < 32; i++) {
                        amax = Math.max(amax, Math.abs(v[blk * 32 + i]));
                    }
                    float d = amax / 127f;
                    short dh = DType.floatToHalf(d);
                    float id = d == 0 ? 0 : 1f / d;
                    b.putShort(dh);
                    for (int i = 0; i < 32; i++) {
                        b.put((byte) Math.round(v[blk * 32 + i] * id));
                    }
                }
                return b.array();
            }
            case GgufFile.GGML_Q4_0: {
                if (v.length % 32 != 0) {
                    throw new IllegalArgumentException("Q4_0 needs a multiple of 32 elements: " + t.name());
                }
                ByteBuffer b = ByteBuffer.allocate(v.length / 32 * 18).order(ByteOrder.LITTLE_ENDIAN);
                for (int blk = 0; blk < v.length / 32; blk++) {
                    float max = 0;
                    for (int i = 0; i < 32; i++) {
                        float x = v[blk * 32 + i];
                        if (Math.abs(x) > Math.abs(max)) {
                            max = x;
                        }
                    }
                    float d = max / -8f;
                    float id = d == 0 ? 0 : 1f / d;
                    b.putShort(DType.floatToHalf(d));
                    for (int i = 0; i < 16; i++) {
                        int lo = Math.min(15, (int) (v[blk * 32 + i] * id + 8.5f));
                        int hi = Math.min(15, (int) (v[blk * 32 + i + 16] * id + 8.5f));
                        b.put((byte) (lo | (hi << 4)));
                    }
                }
                return b.array();
            }
            default:
                throw new IllegalArgumentException("cannot encode GGML type " + t.type());
        }
    }

    private static final class Out {
        private final OutputStream os;
        long pos;
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Out(OutputStream os) {
            this.os = os;
        }

        void bytes(byte[] b) throws IOException {
            os.write(b);
            pos += b.length;
        }

        void zeros(long n) throws IOException {
            for (long i = 0; i < n; i++) {
                os.write(0);
            }
            pos += n;
        }

        void i32(int v) throws IOException {
            scratch.clear();
            scratch.putInt(v);
            os.write(scratch.array(), 0, 4);
            pos += 4;
        }

        void i64(long v) throws IOException {
            scratch.clear();
            scratch.putLong(v);
            os.write(scratch.array(), 0, 8);
            pos += 8;
        }

        void str(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            bytes(b);
        }

        void typedValue(Object v) throws IOException {
            if (v instanceof Integer i) {
                i32(4);
                i32(i);
            } else if (v instanceof Float f) {
                i32(6);
                i32(Float.floatToIntBits(f));
            } else if (v instanceof Boolean b) {
                i32(7);
                bytes(new byte[] {(byte) (b ? 1 : 0)});
            } else if (v instanceof String s) {
                i32(8);
                str(s);
            } else if (v instanceof int[] a) {
                i32(9);
                i32(5);
                i64(a.length);
                for (int x : a) {
                    i32(x);
                }
            } else if (v instanceof float[] a) {
                i32(9);
                i32(6);
                i64(a.length);
                for (float x : a) {
                    i32(Float.floatToIntBits(x));
                }
            } else if (v instanceof List<?> l) {
                i32(9);
                i32(8);
                i64(l.size());
                for (Object o : l) {
                    str((String) o);
                }
            } else {
                throw new IllegalArgumentException("unsupported GGUF metadata value " + v);
            }
        }
    }
}
