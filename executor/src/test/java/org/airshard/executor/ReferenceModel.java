package org.airshard.executor;

import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.TensorNames;
import org.airshard.executor.model.TensorStore;

/**
 * A plain-Java LLaMA forward pass (double accumulation, HF half-rotation RoPE), written straight from the
 * definitions, independent of the ONNX graph builder. Test oracle only; slow.
 */
final class ReferenceModel {

    private final ModelConfig c;
    private final float[] embed, finalNorm, head;
    private final float[][] attnNorm, mlpNorm, wq, wk, wv, wo, wg, wu, wd, bq, bk, bv;
    private final double[] inv;
    private final float[][][] kCache, vCache; // [layer][pos][kv*dh]
    private int pos;

    ReferenceModel(Checkpoint ckpt, int maxPos) throws Exception {
        c = ckpt.config();
        TensorStore s = ckpt.store();
        int L = c.layers();
        embed = s.read(TensorNames.EMBED);
        finalNorm = s.read(TensorNames.FINAL_NORM);
        head = c.tiedEmbeddings() ? embed : s.read(TensorNames.LM_HEAD);
        attnNorm = new float[L][]; mlpNorm = new float[L][]; wq = new float[L][]; wk = new float[L][];
        wv = new float[L][]; wo = new float[L][]; wg = new float[L][]; wu = new float[L][]; wd = new float[L][];
        bq = new float[L][]; bk = new float[L][]; bv = new float[L][];
        for (int l = 0; l < L; l++) {
            attnNorm[l] = s.read(TensorNames.attnNorm(l));
            mlpNorm[l] = s.read(TensorNames.mlpNorm(l));
            wq[l] = s.read(TensorNames.q(l));
            wk[l] = s.read(TensorNames.k(l));
            wv[l] = s.read(TensorNames.v(l));
            wo[l] = s.read(TensorNames.o(l));
            wg[l] = s.read(TensorNames.gate(l));
            wu[l] = s.read(TensorNames.up(l));
            wd[l] = s.read(TensorNames.down(l));
            if (c.qkvBias()) {
                bq[l] = s.read(TensorNames.qBias(l));
                bk[l] = s.read(TensorNames.kBias(l));
                bv[l] = s.read(TensorNames.vBias(l));
            }
        }
        inv = ckpt.inverseFrequencies();
        kCache = new float[L][maxPos][];
        vCache = new float[L][maxPos][];
    }

    private static double[] matvec(float[] w, double[] x, int rows, float[] bias) {
        int cols = x.length;
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = bias == null ? 0 : bias[r];
            for (int i = 0; i < cols; i++) {
                acc += w[r * cols + i] * x[i];
            }
            y[r] = acc;
        }
        return y;
    }

    private double[] rms(double[] x, float[] w) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double r = 1 / Math.sqrt(ss / x.length + c.rmsEps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * r * w[i];
        }
        return y;
    }

    private void rope(double[] v, int heads, int p) {
        int dh = c.headDim(), half = dh / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double a = p * inv[i], cs = Math.cos(a), sn = Math.sin(a);
                double x1 = v[h * dh + i], x2 = v[h * dh + i + half];
                v[h * dh + i] = x1 * cs - x2 * sn;
                v[h * dh + i + half] = x2 * cs + x1 * sn;
            }
        }
    }

    /** Feeds one token, returns logits. */
    double[] step(int token) {
        int d = c.hiddenSize(), dh = c.headDim(), H = c.heads(), KV = c.kvHeads(), rep = H / KV;
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = embed[token * d + i];
        }
        for (int l = 0; l < c.layers(); l++) {
            double[] xn = rms(x, attnNorm[l]);
            double[] q = matvec(wq[l], xn, H * dh, bq[l]);
            double[] k = matvec(wk[l], xn, KV * dh, bk[l]);
            double[] v = matvec(wv[l], xn, KV * dh, bv[l]);
            rope(q, H, pos);
            rope(k, KV, pos);
            kCache[l][pos] = toF(k);
            vCache[l][pos] = toF(v);
            double[] att = new double[H * dh];
            for (int h = 0; h < H; h++) {
                int g = h / rep;
                double[] sc = new double[pos + 1];
                double max = Double.NEGATIVE_INFINITY;
                int from = c.slidingWindow() > 0 ? Math.max(0, pos - c.slidingWindow() + 1) : 0;
                for (int t = 0; t < from; t++) {
                    sc[t] = Double.NEGATIVE_INFINITY;
                }
                for (int t = from; t <= pos; t++) {
                    double s = 0;
                    for (int i = 0; i < dh; i++) {
                        s += q[h * dh + i] * kCache[l][t][g * dh + i];
                    }
                    sc[t] = s / Math.sqrt(dh);
                    max = Math.max(max, sc[t]);
                }
                double z = 0;
                for (int t = 0; t <= pos; t++) {
                    sc[t] = t < from ? 0 : Math.exp(sc[t] - max);
                    z += sc[t];
                }
                for (int t = from; t <= pos; t++) {
                    for (int i = 0; i < dh; i++) {
                        att[h * dh + i] += sc[t] / z * vCache[l][t][g * dh + i];
                    }
                }
            }
            double[] o = matvec(wo[l], att, d, null);
            for (int i = 0; i < d; i++) {
                x[i] += o[i];
            }
            double[] hn = rms(x, mlpNorm[l]);
            double[] gg = matvec(wg[l], hn, c.ffnSize(), null);
            double[] uu = matvec(wu[l], hn, c.ffnSize(), null);
            double[] a = new double[c.ffnSize()];
            for (int i = 0; i < a.length; i++) {
                a[i] = gg[i] / (1 + Math.exp(-gg[i])) * uu[i];
            }
            double[] m = matvec(wd[l], a, d, null);
            for (int i = 0; i < d; i++) {
                x[i] += m[i];
            }
        }
        pos++;
        return matvec(head, rms(x, finalNorm), c.vocabSize(), null);
    }

    private static float[] toF(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
