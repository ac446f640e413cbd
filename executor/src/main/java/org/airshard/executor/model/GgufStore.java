package org.airshard.executor.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.airshard.planner.io.InputException;

/**
 * GGUF tensors presented under Hugging Face names and in HF layout. For the {@code llama} architecture the
 * converter permuted q/k rows to adjacent-pair RoPE order; this store undoes it (the stack.md "RoPE trap"),
 * so the shard builder sees one layout whatever the file format. {@code qwen2} GGUFs are stored unpermuted
 * (NEOX rope) and are passed through. F32/F16/BF16 are converted to fp32, Q8_0/Q4_0 are dequantised.
 */
public final class GgufStore implements TensorStore {

    private final GgufFile gguf;
    private final FileChannel channel;
    private final Map<String, GgufFile.TensorDesc> byHf = new LinkedHashMap<>();
    private final boolean permutedQk;
    private final int heads;
    private final int kvHeads;

    public GgufStore(GgufFile gguf, boolean permutedQk, int heads, int kvHeads) throws InputException {
        this.gguf = gguf;
        this.permutedQk = permutedQk;
        this.heads = heads;
        this.kvHeads = kvHeads;
        try {
            this.channel = FileChannel.open(gguf.path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new InputException(gguf.path.toString(), "", "cannot open: " + e.getMessage());
        }
        Map<String, String> ggufToHf = new LinkedHashMap<>();
        for (String hf : hfCandidates()) {
            String g = TensorNames.toGguf(hf);
            if (g != null) {
                ggufToHf.put(g, hf);
            }
        }
        for (GgufFile.TensorDesc t : gguf.tensors.values()) {
            String hf = ggufToHf.get(t.name());
            if (hf != null) {
                byHf.put(hf, t);
            }
        }
    }

    private Iterable<String> hfCandidates() {
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add(TensorNames.EMBED);
        names.add(TensorNames.FINAL_NORM);
        names.add(TensorNames.LM_HEAD);
        int layers = 0;
        for (String n : gguf.tensors.keySet()) {
            if (n.startsWith("blk.")) {
                int l = Integer.parseInt(n.substring(4, n.indexOf('.', 4)));
                layers = Math.max(layers, l + 1);
            }
        }
        for (int l = 0; l < layers; l++) {
            for (String s : new String[] {"input_layernorm.weight", "post_attention_layernorm.weight",
                    "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                    "self_attn.o_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.bias",
                    "self_attn.v_proj.bias", "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight"}) {
                names.add(TensorNames.layer(l, s));
            }
        }
        return names;
    }

    /** Raw GGUF tensor (by GGUF name), e.g. {@code rope_freqs.weight}; null when absent. */
    public float[] readGgufTensor(String ggufName) throws InputException {
        GgufFile.TensorDesc t = gguf.tensors.get(ggufName);
        if (t == null) {
            return null;
        }
        long rows = t.ne().length == 1 ? t.ne()[0] : t.elements() / t.ne()[0];
        long rowLen = t.ne().length == 1 ? 1 : t.ne()[0];
        return readRaw(t, 0, rows, rowLen);
    }

    @Override
    public boolean has(String name) {
        return byHf.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) throws InputException {
        GgufFile.TensorDesc t = byHf.get(name);
        if (t == null) {
            throw new InputException(gguf.path.toString(), name, "tensor missing from the GGUF file");
        }
        long[] shape = new long[t.ne().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.ne()[shape.length - 1 - i];
        }
        DType dt = switch (t.type()) {
            case GgufFile.GGML_F32 -> DType.F32;
            case GgufFile.GGML_F16 -> DType.F16;
            case GgufFile.GGML_BF16 -> DType.BF16;
            case GgufFile.GGML_Q8_0 -> DType.Q8_0;
            case GgufFile.GGML_Q4_0 -> DType.Q4_0;
            default -> throw new InputException(gguf.path.toString(), t.name(), "unsupported tensor type "
                    + GgufFile.typeName(t.type()) + " (supported: F32, F16, BF16, Q8_0, Q4_0)");
        };
        return new TensorInfo(name, dt, shape);
    }

    @Override
    public Set<String> names() {
        return byHf.keySet();
    }

    @Override
    public float[] readRows(String name, int rowStart, int rowEnd) throws InputException {
        TensorInfo info = info(name);
        GgufFile.TensorDesc t = byHf.get(name);
        long rows = info.shape()[0];
        long rowLen = info.elements() / rows;
        int groups = 0;
        if (permutedQk) {
            if (name.endsWith("q_proj.weight") || name.endsWith("q_proj.bias")) {
                groups = heads;
            } else if (name.endsWith("k_proj.weight") || name.endsWith("k_proj.bias")) {
                groups = kvHeads;
            }
        }
        if (groups == 0) {
            return readRaw(t, rowStart, rowEnd, rowLen);
        }
        int dh = (int) (rows / groups);
        int h0 = rowStart / dh;
        int h1 = (rowEnd + dh - 1) / dh;
        float[] raw = readRaw(t, (long) h0 * dh, (long) h1 * dh, rowLen);
        float[] out = new float[(int) ((rowEnd - rowStart) * rowLen)];
        int half = dh / 2;
        for (int r = rowStart; r < rowEnd; r++) {
            int h = r / dh;
            int within = r % dh;
            int j = within / half;
            int i = within % half;
            int src = (h - h0) * dh + 2 * i + j;
            System.arraycopy(raw, (int) (src * rowLen), out, (int) ((r - rowStart) * rowLen), (int) rowLen);
        }
        return out;
    }

    private float[] readRaw(GgufFile.TensorDesc t, long rowStart, long rowEnd, long rowLen) throws InputException {
        long n = (rowEnd - rowStart) * rowLen;
        if (n > Integer.MAX_VALUE - 16) {
            throw new InputException(gguf.path.toString(), t.name(), "tensor slice too large for one array");
        }
        long rowBytes = GgufFile.byteSize(t.type(), rowLen);
        if (rowBytes < 0 || (t.type() == GgufFile.GGML_Q8_0 || t.type() == GgufFile.GGML_Q4_0) && rowLen % 32 != 0) {
            throw new InputException(gguf.path.toString(), t.name(), "unsupported tensor type "
                    + GgufFile.typeName(t.type()) + " (supported: F32, F16, BF16, Q8_0, Q4_0)");
        }
        float[] out = new float[(int) n];
        try {
            ByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, gguf.dataStart + t.offset() + rowStart * rowBytes,
                    (rowEnd - rowStart) * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
            switch (t.type()) {
                case GgufFile.GGML_F32 -> b.asFloatBuffer().get(out);
                case GgufFile.GGML_F16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = DType.halfToFloat(b.getShort() & 0xffff);
                    }
                }
                case GgufFile.GGML_BF16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = DType.bf16ToFloat(b.getShort() & 0xffff);
                    }
                }
                case GgufFile.GGML_Q8_0 -> {
                    for (int blk = 0; blk < n / 32; blk++) {
                        float d = DType.halfToFloat(b.getShort() & 0xffff);
                        for (int i = 0; i < 32; i++) {
                            out[blk * 32 + i] = d * b.get();
                        }
                    }
                }
                case GgufFile.GGML_Q4_0 -> {
                    for (int blk = 0; blk < n / 32; blk++) {
                        float d = DType.halfToFloat(b.getShort() & 0xffff);
                        for (int i = 0; i < 16; i++) {
                            int q = b.get() & 0xff;
                            out[blk * 32 + i] = d * ((q & 0x0f) - 8);
                            out[blk * 32 + i + 16] = d * ((q >>> 4) - 8);
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
        } catch (IOException e) {
            throw new InputException(gguf.path.toString(), t.name(), "cannot read tensor: " + e.getMessage());
        }
        return out;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
