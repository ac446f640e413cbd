package org.airshard.executor.shard;

import java.util.List;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.TensorNames;
import org.airshard.executor.model.TensorStore;
import org.airshard.planner.io.InputException;

/**
 * Builds the ONNX graphs of a shard from checkpoint tensors (only the tensors the shard needs are read).
 *
 * <p>All graphs process one sequence, {@code T} new tokens at a time (T = prompt length for prefill, 1 for
 * decode), with {@code P} cached positions; {@code S = P + T}. Common inputs:
 * <pre>
 *   cos, sin   [T, d_h]          RoPE tables for positions P..P+T-1 (HF half-rotation layout)
 *   mask       [rep·T, S]        additive causal mask (0 / -inf), rows ordered (query head in group, token)
 *   past_k.L   [g, P, d_h]       KV cache of layer L for this shard's g KV groups (past_v.L likewise)
 * </pre>
 * and outputs {@code present_k.L}/{@code present_v.L} {@code [g, S, d_h]}. Attention scales queries by
 * 1/√d_h folded into W_q (and b_q); q, k, v are one fused Gemm, gate and up another.
 */
public final class ShardGraphs {

    public static final String INPUT_IDS = "input_ids";
    public static final String HIDDEN_IN = "hidden_in";
    public static final String HIDDEN_OUT = "hidden_out";
    public static final String PARTIAL = "partial";
    public static final String LOGITS = "logits";
    public static final String COS = "cos";
    public static final String SIN = "sin";
    public static final String MASK = "mask";

    private ShardGraphs() {
    }

    public static String pastK(int layer) {
        return "past_k." + layer;
    }

    public static String pastV(int layer) {
        return "past_v." + layer;
    }

    public static String presentK(int layer) {
        return "present_k." + layer;
    }

    public static String presentV(int layer) {
        return "present_v." + layer;
    }

    /**
     * A pipeline stage (full layers): [embedding] → layers → [final norm + head of the last position].
     * Input {@code input_ids [T]} (int64) when it holds the embedding, else {@code hidden_in [T, d]}; output
     * {@code logits [1, V]} when it holds the head, else {@code hidden_out [T, d]}.
     */
    public static OnnxGraph stage(Checkpoint ckpt, ShardSpec spec) throws InputException {
        ModelConfig c = ckpt.config();
        spec.validate(c);
        if (!spec.fullAttention(c) || !spec.fullMlp(c)) {
            throw new IllegalArgumentException("stage graphs hold whole layers; use attentionBlock/mlpBlock for slices");
        }
        TensorStore s = ckpt.store();
        OnnxGraph g = new OnnxGraph("stage_" + spec.layerStart() + "_" + spec.layerEnd());
        String h;
        String embedName = null;
        if (spec.embedding()) {
            String ids = g.inputInt64(INPUT_IDS, "T");
            embedName = g.weight("embed", s.read(TensorNames.EMBED), c.vocabSize(), c.hiddenSize());
            h = g.node("Gather", List.of(embedName, ids), "axis", 0L);
        } else {
            h = g.input(HIDDEN_IN, "T", c.hiddenSize());
        }
        if (spec.layerCount() > 0) {
            declareRopeInputs(g, c);
        }
        for (int l = spec.layerStart(); l < spec.layerEnd(); l++) {
            String a = attention(g, ckpt, l, 0, c.kvHeads(), h);
            h = g.node("Add", h, a);
            String m = mlp(g, ckpt, l, 0, c.ffnSize(), h);
            h = g.node("Add", h, m);
        }
        if (spec.head()) {
            g.output(LOGITS, head(g, ckpt, h, embedName), 1, c.vocabSize());
        } else {
            g.output(HIDDEN_OUT, h, "T", c.hiddenSize());
        }
        return g;
    }

    /**
     * Final norm + the LM head's rows {@code [v0, v1)} (a slice of the vocabulary) on the last row of
     * {@code hidden_in [T, d]}: {@code logits [1, v1 − v0]}. Rows are read with {@code readRows}, so a board that
     * holds only that slice of the head (or of the tied embedding) builds it too.
     */
    public static OnnxGraph headRows(Checkpoint ckpt, int v0, int v1) throws InputException {
        ModelConfig c = ckpt.config();
        if (v0 < 0 || v1 > c.vocabSize() || v0 >= v1) {
            throw new IllegalArgumentException("vocabulary rows [" + v0 + ", " + v1 + ") outside 0.." + c.vocabSize());
        }
        if (v0 == 0 && v1 == c.vocabSize()) {
            return head(ckpt);
        }
        TensorStore s = ckpt.store();
        OnnxGraph g = new OnnxGraph("head_" + v0 + "_" + v1);
        String h = g.input(HIDDEN_IN, "T", c.hiddenSize());
        String last = g.node("Slice", h, g.constInt64(-1), g.constInt64(Long.MAX_VALUE), g.constInt64(0));
        String norm = g.weight("final_norm", s.read(TensorNames.FINAL_NORM), c.hiddenSize());
        String xn = rmsNorm(g, last, norm, c.rmsEps());
        String name = c.tiedEmbeddings() ? TensorNames.EMBED : TensorNames.LM_HEAD;
        String w = g.weight("lm_head_rows", s.readRows(name, v0, v1), v1 - v0, c.hiddenSize());
        g.output(LOGITS, g.node("Gemm", List.of(xn, w), "transB", 1L), 1, v1 - v0);
        return g;
    }

    /** Final norm + LM head on the last row of {@code hidden_in [T, d]}: {@code logits [1, V]}. */
    public static OnnxGraph head(Checkpoint ckpt) throws InputException {
        ModelConfig c = ckpt.config();
        OnnxGraph g = new OnnxGraph("head");
        String h = g.input(HIDDEN_IN, "T", c.hiddenSize());
        g.output(LOGITS, head(g, ckpt, h, null), 1, c.vocabSize());
        return g;
    }

    /** Tensor-parallel attention block of one layer for KV groups {@code [g0, g1)}: {@code hidden_in → partial [T, d]}. */
    public static OnnxGraph attentionBlock(Checkpoint ckpt, int layer, int g0, int g1) throws InputException {
        ModelConfig c = ckpt.config();
        OnnxGraph g = new OnnxGraph("attn_" + layer + "_" + g0 + "_" + g1);
        String x = g.input(HIDDEN_IN, "T", c.hiddenSize());
        declareRopeInputs(g, c);
        g.output(PARTIAL, attention(g, ckpt, layer, g0, g1, x), "T", c.hiddenSize());
        return g;
    }

    /** Tensor-parallel MLP block of one layer for columns {@code [f0, f1)}: {@code hidden_in → partial [T, d]}. */
    public static OnnxGraph mlpBlock(Checkpoint ckpt, int layer, int f0, int f1) throws InputException {
        ModelConfig c = ckpt.config();
        OnnxGraph g = new OnnxGraph("mlp_" + layer + "_" + f0 + "_" + f1);
        String x = g.input(HIDDEN_IN, "T", c.hiddenSize());
        g.output(PARTIAL, mlp(g, ckpt, layer, f0, f1, x), "T", c.hiddenSize());
        return g;
    }

    private static void declareRopeInputs(OnnxGraph g, ModelConfig c) {
        g.input(COS, "T", c.headDim());
        g.input(SIN, "T", c.headDim());
        g.input(MASK, "RT", "S");
    }

    private static String rmsNorm(OnnxGraph g, String x, String weight, double eps) {
        String sq = g.node("Mul", x, x);
        String ms = g.node("ReduceMean", List.of(sq), "axes", new long[] {-1}, "keepdims", 1L);
        String r = g.node("Sqrt", g.node("Add", ms, g.constFloat((float) eps)));
        return g.node("Mul", g.node("Div", x, r), weight);
    }

    private static String rope(OnnxGraph g, String x, int dh) {
        int half = dh / 2;
        String x1 = g.node("Slice", x, g.constInt64(0), g.constInt64(half), g.constInt64(2));
        String x2 = g.node("Slice", x, g.constInt64(half), g.constInt64(dh), g.constInt64(2));
        String rot = g.node("Concat", List.of(g.node("Neg", x2), x1), "axis", 2L);
        return g.node("Add", g.node("Mul", x, COS), g.node("Mul", rot, SIN));
    }

    /** Rows [r0, r1) of a [rows, cols] row-major matrix. */
    static float[] rows(float[] m, int cols, int r0, int r1) {
        float[] out = new float[(r1 - r0) * cols];
        System.arraycopy(m, r0 * cols, out, 0, out.length);
        return out;
    }

    /** Columns [c0, c1) of a [rows, cols] row-major matrix. */
    static float[] columns(float[] m, int rows, int cols, int c0, int c1) {
        int n = c1 - c0;
        float[] out = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m, r * cols + c0, out, r * n, n);
        }
        return out;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static String attention(OnnxGraph g, Checkpoint ckpt, int l, int g0, int g1, String x) throws InputException {
        ModelConfig c = ckpt.config();
        TensorStore s = ckpt.store();
        int d = c.hiddenSize(), dh = c.headDim(), rep = c.headsPerGroup();
        int nkv = g1 - g0, nh = nkv * rep;
        float scale = (float) (1.0 / Math.sqrt(dh));
        float[] wq = s.readRows(TensorNames.q(l), g0 * rep * dh, g1 * rep * dh);
        for (int i = 0; i < wq.length; i++) {
            wq[i] *= scale;
        }
        float[] wk = s.readRows(TensorNames.k(l), g0 * dh, g1 * dh);
        float[] wv = s.readRows(TensorNames.v(l), g0 * dh, g1 * dh);
        int qkvRows = (nh + 2 * nkv) * dh;
        String norm = g.weight("l" + l + ".attn_norm", s.read(TensorNames.attnNorm(l)), d);
        String wqkv = g.weight("l" + l + ".wqkv", concat(wq, wk, wv), qkvRows, d);
        String xn = rmsNorm(g, x, norm, c.rmsEps());
        String qkv;
        if (c.qkvBias()) {
            float[] bq = s.readRows(TensorNames.qBias(l), g0 * rep * dh, g1 * rep * dh);
            for (int i = 0; i < bq.length; i++) {
                bq[i] *= scale;
            }
            String b = g.weight("l" + l + ".bqkv", concat(bq, s.readRows(TensorNames.kBias(l), g0 * dh, g1 * dh),
                    s.readRows(TensorNames.vBias(l), g0 * dh, g1 * dh)), qkvRows);
            qkv = g.node("Gemm", List.of(xn, wqkv, b), "transB", 1L);
        } else {
            qkv = g.node("Gemm", List.of(xn, wqkv), "transB", 1L);
        }
        String one = g.constInt64(1);
        String q = g.node("Slice", qkv, g.constInt64(0), g.constInt64((long) nh * dh), one);
        String k = g.node("Slice", qkv, g.constInt64((long) nh * dh), g.constInt64((long) (nh + nkv) * dh), one);
        String v = g.node("Slice", qkv, g.constInt64((long) (nh + nkv) * dh), g.constInt64(qkvRows), one);
        long[] perm = {1, 0, 2};
        q = g.node("Transpose", List.of(g.node("Reshape", q, g.constInt64(-1, nh, dh))), "perm", perm);
        k = g.node("Transpose", List.of(g.node("Reshape", k, g.constInt64(-1, nkv, dh))), "perm", perm);
        v = g.node("Transpose", List.of(g.node("Reshape", v, g.constInt64(-1, nkv, dh))), "perm", perm);
        q = rope(g, q, dh);
        k = rope(g, k, dh);
        String pk = g.input(pastK(l), nkv, "P", dh);
        String pv = g.input(pastV(l), nkv, "P", dh);
        String kAll = g.node("Concat", List.of(pk, k), "axis", 1L);
        String vAll = g.node("Concat", List.of(pv, v), "axis", 1L);
        g.output(presentK(l), kAll, nkv, "S", dh);
        g.output(presentV(l), vAll, nkv, "S", dh);
        String qg = g.node("Reshape", q, g.constInt64(nkv, -1, dh));               // [g, rep*T, dh]
        String kt = g.node("Transpose", List.of(kAll), "perm", new long[] {0, 2, 1}); // [g, dh, S]
        String scores = g.node("Add", g.node("MatMul", qg, kt), MASK);             // [g, rep*T, S]
        String p = g.node("Softmax", List.of(scores), "axis", -1L);
        String o = g.node("MatMul", p, vAll);                                       // [g, rep*T, dh]
        o = g.node("Reshape", o, g.constInt64(nh, -1, dh));                         // [nh, T, dh]
        o = g.node("Transpose", List.of(o), "perm", perm);                          // [T, nh, dh]
        o = g.node("Reshape", o, g.constInt64(-1, (long) nh * dh));                  // [T, nh*dh]
        float[] wo = s.read(TensorNames.o(l));
        String woSlice = g.weight("l" + l + ".wo", columns(wo, d, c.heads() * dh, g0 * rep * dh, g1 * rep * dh),
                d, (long) nh * dh);
        return g.node("Gemm", List.of(o, woSlice), "transB", 1L);
    }

    private static String mlp(OnnxGraph g, Checkpoint ckpt, int l, int f0, int f1, String x) throws InputException {
        ModelConfig c = ckpt.config();
        TensorStore s = ckpt.store();
        int d = c.hiddenSize(), n = f1 - f0;
        String norm = g.weight("l" + l + ".mlp_norm", s.read(TensorNames.mlpNorm(l)), d);
        String wgu = g.weight("l" + l + ".wgu", concat(s.readRows(TensorNames.gate(l), f0, f1),
                s.readRows(TensorNames.up(l), f0, f1)), 2L * n, d);
        String wd = g.weight("l" + l + ".wdown", columns(s.read(TensorNames.down(l)), d, c.ffnSize(), f0, f1), d, n);
        String xn = rmsNorm(g, x, norm, c.rmsEps());
        String gu = g.node("Gemm", List.of(xn, wgu), "transB", 1L);
        String one = g.constInt64(1);
        String gate = g.node("Slice", gu, g.constInt64(0), g.constInt64(n), one);
        String up = g.node("Slice", gu, g.constInt64(n), g.constInt64(2L * n), one);
        String act = g.node("Mul", g.node("Mul", gate, g.node("Sigmoid", gate)), up);
        return g.node("Gemm", List.of(act, wd), "transB", 1L);
    }

    private static String head(OnnxGraph g, Checkpoint ckpt, String h, String embedName) throws InputException {
        ModelConfig c = ckpt.config();
        TensorStore s = ckpt.store();
        String last = g.node("Slice", h, g.constInt64(-1), g.constInt64(Long.MAX_VALUE), g.constInt64(0));
        String norm = g.weight("final_norm", s.read(TensorNames.FINAL_NORM), c.hiddenSize());
        String xn = rmsNorm(g, last, norm, c.rmsEps());
        String w;
        if (c.tiedEmbeddings()) {
            w = embedName != null ? embedName : g.weight("embed", s.read(TensorNames.EMBED), c.vocabSize(), c.hiddenSize());
        } else {
            w = g.weight("lm_head", s.read(TensorNames.LM_HEAD), c.vocabSize(), c.hiddenSize());
        }
        return g.node("Gemm", List.of(xn, w), "transB", 1L);
    }
}
