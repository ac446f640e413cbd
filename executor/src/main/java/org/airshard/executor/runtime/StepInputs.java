package org.airshard.executor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * The per-step tensors every shard of a model shares: token ids, RoPE cos/sin rows for positions
 * {@code P..P+T-1} ({@code [T, d_h]}, HF half-rotation layout) and the causal mask {@code [rep·T, P+T]}
 * (position {@code p} attends to {@code j ≤ p}, and {@code j > p - window} with a sliding window).
 */
public final class StepInputs implements AutoCloseable {

    public final OnnxTensor ids;
    public final OnnxTensor cos;
    public final OnnxTensor sin;
    public final OnnxTensor mask;
    public final int past;
    public final int count;

    public StepInputs(double[] invFreq, int headsPerGroup, int[] tokens, int past) throws OrtException {
        this(invFreq, headsPerGroup, tokens, past, 0);
    }

    /** @param window sliding attention window in tokens (0 = full causal attention) */
    public StepInputs(double[] invFreq, int headsPerGroup, int[] tokens, int past, int window) throws OrtException {
        OrtEnvironment env = OrtShard.environment();
        int t = tokens.length, dh = invFreq.length * 2, half = invFreq.length, s = past + t;
        this.past = past;
        this.count = t;
        long[] idv = new long[t];
        for (int i = 0; i < t; i++) {
            idv[i] = tokens[i];
        }
        ids = OnnxTensor.createTensor(env, LongBuffer.wrap(idv), new long[] {t});
        float[] c = new float[t * dh], sn = new float[t * dh];
        for (int i = 0; i < t; i++) {
            int pos = past + i;
            for (int j = 0; j < half; j++) {
                double a = pos * invFreq[j];
                float cv = (float) Math.cos(a), sv = (float) Math.sin(a);
                c[i * dh + j] = cv;
                c[i * dh + j + half] = cv;
                sn[i * dh + j] = sv;
                sn[i * dh + j + half] = sv;
            }
        }
        cos = OnnxTensor.createTensor(env, FloatBuffer.wrap(c), new long[] {t, dh});
        sin = OnnxTensor.createTensor(env, FloatBuffer.wrap(sn), new long[] {t, dh});
        float[] m = new float[headsPerGroup * t * s];
        for (int r = 0; r < headsPerGroup; r++) {
            for (int i = 0; i < t; i++) {
                int row = (r * t + i) * s;
                for (int j = past + i + 1; j < s; j++) {
                    m[row + j] = Float.NEGATIVE_INFINITY;
                }
                if (window > 0) {
                    for (int j = 0; j <= past + i - window; j++) {
                        m[row + j] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        mask = OnnxTensor.createTensor(env, FloatBuffer.wrap(m), new long[] {(long) headsPerGroup * t, s});
    }

    @Override
    public void close() {
        ids.close();
        cos.close();
        sin.close();
        mask.close();
    }
}
