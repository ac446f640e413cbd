package org.airshard.executor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.shard.ShardGraphs;
import org.airshard.planner.io.InputException;

/**
 * One tensor-parallel slice as a board runs it: for every layer an attention block over KV groups
 * {@code [g0, g1)} and an MLP block over FFN columns {@code [f0, f1)}, each {@code hidden [T, d] → partial [T, d]}
 * in one {@code run} call; one KV cache per sequence per layer. Not thread-safe.
 */
public final class SliceShard implements AutoCloseable {

    private final ModelConfig config;
    private final double[] invFreq;
    private final int groups;
    private final OrtShard[] attn;
    private final OrtShard[] mlp;
    private final Map<Integer, KvSlot[]> caches = new HashMap<>();

    public SliceShard(Checkpoint ckpt, double[] invFreq, int g0, int g1, int f0, int f1, RuntimeOptions options)
            throws InputException, OrtException {
        this.config = ckpt.config();
        this.invFreq = invFreq.clone();
        this.groups = g1 - g0;
        int n = config.layers();
        attn = new OrtShard[n];
        mlp = new OrtShard[n];
        try {
            for (int l = 0; l < n; l++) {
                attn[l] = new OrtShard("attn " + l, ShardGraphs.attentionBlock(ckpt, l, g0, g1), options);
                mlp[l] = new OrtShard("mlp " + l, ShardGraphs.mlpBlock(ckpt, l, f0, f1), options);
            }
        } catch (InputException | OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Attention partial of {@code layer} for {@code rows} new tokens at position {@code past}; appends to the cache. */
    public float[] attention(int sequence, int layer, int past, float[] hidden, int rows) throws OrtException {
        KvSlot[] slots = caches.get(sequence);
        if (slots == null || (layer == 0 && past == 0)) {
            reset(sequence);
            slots = new KvSlot[config.layers()];
            for (int l = 0; l < slots.length; l++) {
                slots[l] = new KvSlot(new int[] {l}, groups, config.headDim());
            }
            caches.put(sequence, slots);
        }
        int d = config.hiddenSize();
        try (StepInputs in = new StepInputs(invFreq, config.headsPerGroup(), new int[rows], past);
             OnnxTensor x = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(hidden, 0, rows * d),
                     new long[] {rows, d})) {
            Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
            inputs.put(ShardGraphs.HIDDEN_IN, x);
            inputs.put(ShardGraphs.COS, in.cos);
            inputs.put(ShardGraphs.SIN, in.sin);
            inputs.put(ShardGraphs.MASK, in.mask);
            slots[layer].addInputs(inputs);
            OrtSession.Result r = attn[layer].run(inputs);
            slots[layer].update(r);
            float[] out = new float[rows * d];
            ((OnnxTensor) r.get(ShardGraphs.PARTIAL).orElseThrow()).getFloatBuffer().get(out);
            return out;
        }
    }

    /** MLP partial of {@code layer}. */
    public float[] mlp(int layer, float[] hidden, int rows) throws OrtException {
        int d = config.hiddenSize();
        try (OnnxTensor x = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(hidden, 0, rows * d),
                new long[] {rows, d});
             OrtSession.Result r = mlp[layer].run(Map.of(ShardGraphs.HIDDEN_IN, x))) {
            float[] out = new float[rows * d];
            ((OnnxTensor) r.get(ShardGraphs.PARTIAL).orElseThrow()).getFloatBuffer().get(out);
            return out;
        }
    }

    public void reset(int sequence) {
        KvSlot[] s = caches.remove(sequence);
        if (s != null) {
            for (KvSlot k : s) {
                k.close();
            }
        }
    }

    @Override
    public void close() {
        for (Integer s : List.copyOf(caches.keySet())) {
            reset(s);
        }
        for (OrtShard[] arr : new OrtShard[][] {attn, mlp}) {
            for (OrtShard o : arr) {
                if (o != null) {
                    o.close();
                }
            }
        }
    }
}
