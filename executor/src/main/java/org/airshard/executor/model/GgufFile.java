package org.airshard.executor.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.airshard.planner.io.InputException;

/**
 * Parsed header of a GGUF file (v2/v3): metadata key/values and tensor descriptors. Tensor data is not
 * read here; {@link GgufStore} maps it lazily.
 *
 * <p>Metadata values become Java objects: integers as {@link Long}, floats as {@link Double}, booleans,
 * strings, and arrays as {@link List} (string arrays as {@code List<String>}, numeric arrays as
 * {@code float[]}/{@code int[]} for speed with large vocabularies).
 */
public final class GgufFile {

    /** GGML tensor type codes. */
    public static final int GGML_F32 = 0, GGML_F16 = 1, GGML_Q4_0 = 2, GGML_Q8_0 = 8, GGML_BF16 = 30;

    /** One tensor descriptor; {@code ne} is GGML order (innermost first). */
    public record TensorDesc(String name, long[] ne, int type, long offset) {
        public long elements() {
            long n = 1;
            for (long d : ne) {
                n *= d;
            }
            return n;
        }
    }

    public final Path path;
    public final Map<String, Object> metadata = new LinkedHashMap<>();
    public final Map<String, TensorDesc> tensors = new LinkedHashMap<>();
    public long dataStart;
    public int alignment = 32;

    private GgufFile(Path path) {
        this.path = path;
    }

    /** Bytes of {@code n} elements of a GGML type (n a multiple of the block size for quantised types). */
    public static long byteSize(int type, long n) {
        switch (type) {
            case GGML_F32: return n * 4;
            case GGML_F16:
            case GGML_BF16: return n * 2;
            case GGML_Q8_0: return n / 32 * 34;
            case GGML_Q4_0: return n / 32 * 18;
            default: return -1;
        }
    }

    public static String typeName(int type) {
        switch (type) {
            case GGML_F32: return "F32";
            case GGML_F16: return "F16";
            case GGML_BF16: return "BF16";
            case GGML_Q8_0: return "Q8_0";
            case GGML_Q4_0: return "Q4_0";
            case 3: return "Q4_1";
            case 6: return "Q5_0";
            case 7: return "Q5_1";
            case 10: return "Q2_K";
            case 11: return "Q3_K";
            case 12: return "Q4_K";
            case 13: return "Q5_K";
            case 14: return "Q6_K";
            default: return "type " + type;
        }
    }

    public static GgufFile read(Path path) throws InputException {
        if (!Files.isRegularFile(path)) {
            throw new InputException(path.toString(), "", "file not found");
        }
        GgufFile g = new GgufFile(path);
        try (InputStream raw = Files.newInputStream(path)) {
            Le in = new Le(new BufferedInputStream(raw, 1 << 16));
            int magic = in.i32();
            if (magic != 0x46554747) {
                throw new InputException(path.toString(), "", "not a GGUF file (bad magic)");
            }
            int version = in.i32();
            if (version < 2 || version > 3) {
                throw new InputException(path.toString(), "", "unsupported GGUF version " + version);
            }
            long nTensors = in.i64();
            long nKv = in.i64();
            if (nTensors < 0 || nTensors > 1_000_000 || nKv < 0 || nKv > 1_000_000) {
                throw new InputException(path.toString(), "", "corrupt GGUF header");
            }
            for (long i = 0; i < nKv; i++) {
                String key = in.str();
                int type = in.i32();
                g.metadata.put(key, in.value(type));
            }
            Object al = g.metadata.get("general.alignment");
            if (al instanceof Long a) {
                g.alignment = a.intValue();
            }
            for (long i = 0; i < nTensors; i++) {
                String name = in.str();
                int nd = in.i32();
                if (nd < 1 || nd > 4) {
                    throw new InputException(path.toString(), name, "corrupt tensor descriptor");
                }
                long[] ne = new long[nd];
                for (int d = 0; d < nd; d++) {
                    ne[d] = in.i64();
                }
                int type = in.i32();
                long off = in.i64();
                g.tensors.put(name, new TensorDesc(name, ne, type, off));
            }
            long pos = in.pos;
            g.dataStart = (pos + g.alignment - 1) / g.alignment * g.alignment;
            long size = Files.size(path);
            for (TensorDesc t : g.tensors.values()) {
                long bytes = byteSize(t.type(), t.elements());
                if (bytes >= 0 && g.dataStart + t.offset() + bytes > size) {
                    throw new InputException(path.toString(), t.name(), "tensor data runs past the end of the file (truncated?)");
                }
            }
        } catch (EOFException e) {
            throw new InputException(path.toString(), "", "truncated GGUF file");
        } catch (IOException e) {
            throw new InputException(path.toString(), "", "cannot read: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new InputException(path.toString(), "", "corrupt GGUF metadata: " + e.getMessage());
        }
        return g;
    }

    public String string(String key) {
        Object o = metadata.get(key);
        return o instanceof String s ? s : null;
    }

    public long integer(String key, long dflt) {
        Object o = metadata.get(key);
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return dflt;
    }

    public double real(String key, double dflt) {
        Object o = metadata.get(key);
        if (o instanceof Double d) {
            return d;
        }
        if (o instanceof Long l) {
            return l;
        }
        return dflt;
    }

    /** Little-endian reader with position tracking. */
    private static final class Le {
        private final DataInputStream in;
        long pos;

        Le(InputStream in) {
            this.in = new DataInputStream(in);
        }

        int u8() throws IOException {
            pos++;
            return in.readUnsignedByte();
        }

        int i16() throws IOException {
            pos += 2;
            return Short.reverseBytes(in.readShort());
        }

        int i32() throws IOException {
            pos += 4;
            return Integer.reverseBytes(in.readInt());
        }

        long i64() throws IOException {
            pos += 8;
            return Long.reverseBytes(in.readLong());
        }

        String str() throws IOException {
            long n = i64();
            if (n < 0 || n > 100_000_000) {
                throw new IllegalStateException("string length " + n);
            }
            byte[] b = new byte[(int) n];
            in.readFully(b);
            pos += n;
            return new String(b, StandardCharsets.UTF_8);
        }

        Object value(int type) throws IOException {
            switch (type) {
                case 0: return (long) u8();
                case 1: return (long) (byte) u8();
                case 2: return (long) (i16() & 0xffff);
                case 3: return (long) (short) i16();
                case 4: return (long) i32() & 0xffffffffL;
                case 5: return (long) i32();
                case 6: return (double) Float.intBitsToFloat(i32());
                case 7: return u8() != 0;
                case 8: return str();
                case 9: {
                    int et = i32();
                    long n = i64();
                    if (n < 0 || n > 50_000_000) {
                        throw new IllegalStateException("array length " + n);
                    }
                    if (et == 6) {
                        float[] a = new float[(int) n];
                        for (int i = 0; i < n; i++) {
                            a[i] = Float.intBitsToFloat(i32());
                        }
                        return a;
                    }
                    if (et == 5 || et == 4) {
                        int[] a = new int[(int) n];
                        for (int i = 0; i < n; i++) {
                            a[i] = i32();
                        }
                        return a;
                    }
                    List<Object> list = new ArrayList<>((int) Math.min(n, 1 << 20));
                    for (long i = 0; i < n; i++) {
                        list.add(value(et));
                    }
                    return list;
                }
                case 10: return i64();
                case 11: return i64();
                case 12: return Double.longBitsToDouble(i64());
                default: throw new IllegalStateException("unknown metadata type " + type);
            }
        }
    }
}
