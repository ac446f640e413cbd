package org.airshard.planner.topology;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelSpec;

/**
 * Reads the metadata and tensor directory of a GGUF file (v2/v3) — no tensor data — so that a GGUF
 * checkpoint can be planned for. Arrays are skipped except for their length (the vocabulary size comes
 * from {@code tokenizer.ggml.tokens}). Every length is bounded so a corrupt file fails with a message.
 */
public final class GgufHeader {

    /** Tensor directory entry: name, dims (GGUF order, fastest first), ggml type id, data offset. */
    public record TensorInfo(String name, long[] dims, int type, long offset) {
    }

    private static final long MAX_STRING = 1L << 20;
    private static final long MAX_COUNT = 1L << 24;

    private final Map<String, Object> metadata;
    private final Map<String, TensorInfo> tensors;
    private final int version;

    private GgufHeader(int version, Map<String, Object> metadata, Map<String, TensorInfo> tensors) {
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    public int version() {
        return version;
    }

    /** Scalar metadata values (arrays appear as {@code Long} element counts). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** Reads a GGUF header. */
    public static GgufHeader read(Path file) throws InputException {
        String src = file.toString();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            LeInput r = new LeInput(in);
            byte[] magic = r.bytes(4);
            if (!"GGUF".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new InputException(src, "", "not a GGUF file (magic bytes are not 'GGUF')");
            }
            int version = r.i32();
            if (version < 2 || version > 3) {
                throw new InputException(src, "", "unsupported GGUF version " + version + " (2 and 3 are supported)");
            }
            long nTensors = r.count();
            long nKv = r.count();
            Map<String, Object> meta = new LinkedHashMap<>();
            for (long i = 0; i < nKv; i++) {
                String key = r.string();
                int type = r.i32();
                meta.put(key, r.value(type));
            }
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (long i = 0; i < nTensors; i++) {
                String name = r.string();
                int nd = r.i32();
                if (nd < 1 || nd > 8) {
                    throw new InputException(src, "", "tensor '" + name + "' has " + nd + " dimensions");
                }
                long[] dims = new long[nd];
                for (int d = 0; d < nd; d++) {
                    dims[d] = r.count();
                }
                tensors.put(name, new TensorInfo(name, dims, r.i32(), r.i64()));
            }
            return new GgufHeader(version, meta, tensors);
        } catch (NoSuchFileException e) {
            throw new InputException(src, "", "file not found");
        } catch (EOFException e) {
            throw new InputException(src, "", "GGUF file is truncated");
        } catch (IllegalStateException e) {
            throw new InputException(src, "", "corrupt GGUF header: " + e.getMessage());
        } catch (IOException e) {
            throw new InputException(src, "", "cannot read: " + e.getMessage());
        }
    }

    /** Model dimensions from a LLaMA-architecture GGUF file. */
    public static ModelSpec readSpec(Path file) throws InputException {
        GgufHeader h = read(file);
        String src = file.toString();
        String arch = String.valueOf(h.metadata.getOrDefault("general.architecture", "llama"));
        if (!arch.equals("llama") && !arch.equals("mistral") && !arch.equals("qwen2")) {
            throw new InputException(src, "general.architecture", "unsupported architecture '" + arch
                    + "' (llama, mistral and qwen2 are supported)");
        }
        int layers = h.intKey(src, arch + ".block_count");
        int hidden = h.intKey(src, arch + ".embedding_length");
        int heads = h.intKey(src, arch + ".attention.head_count");
        int kv = h.metadata.containsKey(arch + ".attention.head_count_kv") ? h.intKey(src, arch + ".attention.head_count_kv") : heads;
        int ffn = h.intKey(src, arch + ".feed_forward_length");
        int ctx = h.metadata.containsKey(arch + ".context_length") ? h.intKey(src, arch + ".context_length") : 2048;
        Object theta = h.metadata.get(arch + ".rope.freq_base");
        int vocab;
        if (h.metadata.containsKey(arch + ".vocab_size")) {
            vocab = h.intKey(src, arch + ".vocab_size");
        } else if (h.metadata.get("tokenizer.ggml.tokens") instanceof Long n) {
            vocab = (int) (long) n;
        } else {
            TensorInfo emb = h.tensors.get("token_embd.weight");
            if (emb == null || emb.dims.length != 2) {
                throw new InputException(src, "", "cannot tell the vocabulary size (no tokenizer.ggml.tokens, no token_embd.weight)");
            }
            vocab = (int) emb.dims[1];
        }
        boolean tied = !h.tensors.containsKey("output.weight");
        boolean bias = h.tensors.containsKey("blk.0.attn_q.bias");
        TensorInfo up = h.tensors.get("blk.0.ffn_up.weight");
        double bytes = up == null ? 2 : bytesPerParameter(up.type);
        if (heads <= 0 || kv <= 0 || hidden % heads != 0 || heads % kv != 0) {
            throw new InputException(src, "", "inconsistent attention shape: embedding " + hidden + ", heads " + heads
                    + ", KV heads " + kv);
        }
        String id = file.getFileName().toString();
        return new ModelSpec(id, id, layers, hidden, heads, kv, ffn, vocab, tied, bias, bytes, ctx,
                theta instanceof Number n ? n.doubleValue() : 10000.0);
    }

    /** Storage bytes per weight for a ggml type id (block formats averaged over their block). */
    public static double bytesPerParameter(int ggmlType) {
        return switch (ggmlType) {
            case 0 -> 4;            // F32
            case 1, 30 -> 2;        // F16, BF16
            case 8 -> 34.0 / 32;    // Q8_0
            case 2 -> 18.0 / 32;    // Q4_0
            case 3 -> 20.0 / 32;    // Q4_1
            default -> 1;
        };
    }

    private int intKey(String src, String key) throws InputException {
        Object v = metadata.get(key);
        if (!(v instanceof Number n)) {
            throw new InputException(src, key, "required GGUF metadata key is missing or not a number");
        }
        long l = n.longValue();
        if (l <= 0 || l > Integer.MAX_VALUE) {
            throw new InputException(src, key, "value " + l + " out of range");
        }
        return (int) l;
    }

    /** Little-endian reader with bounds on every length. */
    private static final class LeInput {
        private final DataInputStream in;

        LeInput(InputStream in) {
            this.in = new DataInputStream(in);
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        int i32() throws IOException {
            return Integer.reverseBytes(in.readInt());
        }

        long i64() throws IOException {
            return Long.reverseBytes(in.readLong());
        }

        long count() throws IOException {
            long n = i64();
            if (n < 0 || n > MAX_COUNT * 64) {
                throw new IllegalStateException("count " + n + " out of range");
            }
            return n;
        }

        String string() throws IOException {
            long n = i64();
            if (n < 0 || n > MAX_STRING) {
                throw new IllegalStateException("string length " + n + " out of range");
            }
            return new String(bytes((int) n), StandardCharsets.UTF_8);
        }

        Object value(int type) throws IOException {
            return switch (type) {
                case 0 -> (long) in.readUnsignedByte();
                case 1 -> (long) in.readByte();
                case 2 -> (long) Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                case 3 -> (long) Short.reverseBytes(in.readShort());
                case 4 -> Integer.toUnsignedLong(i32());
                case 5 -> (long) i32();
                case 6 -> (double) Float.intBitsToFloat(i32());
                case 7 -> in.readUnsignedByte() != 0;
                case 8 -> string();
                case 9 -> skipArray();
                case 10, 11 -> i64();
                case 12 -> Double.longBitsToDouble(i64());
                default -> throw new IllegalStateException("unknown metadata value type " + type);
            };
        }

        private Long skipArray() throws IOException {
            int elemType = i32();
            long n = i64();
            if (n < 0 || n > MAX_COUNT) {
                throw new IllegalStateException("array length " + n + " out of range");
            }
            if (elemType == 9) {
                throw new IllegalStateException("nested arrays are not supported");
            }
            for (long i = 0; i < n; i++) {
                value(elemType);
            }
            return n;
        }
    }

}
