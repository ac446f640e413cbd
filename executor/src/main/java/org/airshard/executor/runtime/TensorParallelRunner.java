package org.airshard.executor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.shard.ShardGraphs;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.io.InputException;

/**
 * Tensor-parallel slices executed in this process with an exact (digital) all-reduce: the "server" holds
 * the embedding and the head; for every layer each slice runs its attention block, the partial outputs are
 * summed in slice order and added to the residual, then the same for the MLP block. One {@code run} per
 * slice per block, i.e. per token {@code 2 + 2·N_L·slices} calls in this process, 2·N_L per board.
 */
public final class TensorParallelRunner implements ModelRunner {

    private final ModelConfig config;
    private final double[] invFreq;
    private final int capacity;
    private final List<ShardSpec> slices;
    private final OrtShard embed;
    private final OrtShard head;
    private final OrtShard[][] attn;
    private final OrtShard[][] mlp;
    private final Map<Integer, KvSlot[][]> caches = new HashMap<>();
    private final Map<Integer, Integer> positions = new HashMap<>();
    private long runCalls;

    public TensorParallelRunner(Checkpoint ckpt, List<ShardSpec> slices, RuntimeOptions options)
            throws InputException, OrtException {
        this.config = ckpt.config();
        this.invFreq = ckpt.inverseFrequencies();
        this.capacity = Math.min(options.maxContext(), config.maxPositions());
        this.slices = List.copyOf(slices);
        checkCover();
        int n = slices.size(), layers = config.layers();
        attn = new OrtShard[n][layers];
        mlp = new OrtShard[n][layers];
        OrtShard e = null, h = null;
        try {
            e = new OrtShard("embedding", ShardGraphs.stage(ckpt, ShardSpec.stage(config, 0, 0, true, false)), options);
            h = new OrtShard("head", ShardGraphs.head(ckpt), options);
            for (int s = 0; s < n; s++) {
                ShardSpec sp = slices.get(s);
                for (int l = 0; l < layers; l++) {
                    attn[s][l] = new OrtShard("attn " + l + "/" + s,
                            ShardGraphs.attentionBlock(ckpt, l, sp.kvGroupStart(), sp.kvGroupEnd()), options);
                    mlp[s][l] = new OrtShard("mlp " + l + "/" + s, ShardGraphs.mlpBlock(ckpt, l, sp.ffnStart(), sp.ffnEnd()),
                            options);
                }
            }
        } catch (InputException | OrtException | RuntimeException ex) {
            this.embed = e;
            this.head = h;
            close();
            throw ex;
        }
        this.embed = e;
        this.head = h;
    }

    private void checkCover() throws InputException {
        int g = 0, f = 0;
        for (ShardSpec s : slices) {
            s.validate(config);
            if (s.kvGroupStart() != g || s.ffnStart() != f || s.layerStart() != 0 || s.layerEnd() != config.layers()) {
                throw new InputException("shards", "", "tensor-parallel slices must tile KV groups and FFN columns in order "
                        + "over all layers");
            }
            g = s.kvGroupEnd();
            f = s.ffnEnd();
        }
        if (g != config.kvHeads() || f != config.ffnSize()) {
            throw new InputException("shards", "", "tensor-parallel slices do not cover every KV group and FFN column");
        }
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public float[] forward(int sequence, int[] tokens) throws OrtException {
        int past = positions.getOrDefault(sequence, 0);
        if (tokens.length == 0 || past + tokens.length > capacity) {
            throw new IllegalStateException("sequence " + sequence + ": " + (past + tokens.length)
                    + " tokens exceed the context of " + capacity);
        }
        int n = slices.size(), layers = config.layers(), d = config.hiddenSize(), t = tokens.length;
        KvSlot[][] slots = caches.get(sequence);
        if (slots == null) {
            slots = new KvSlot[n][layers];
            for (int s = 0; s < n; s++) {
                for (int l = 0; l < layers; l++) {
                    slots[s][l] = new KvSlot(new int[] {l}, slices.get(s).kvGroupEnd() - slices.get(s).kvGroupStart(),
                            config.headDim());
                }
            }
            caches.put(sequence, slots);
        }
        float[] h = new float[t * d];
        try (StepInputs in = new StepInputs(invFreq, config.headsPerGroup(), tokens, past)) {
            try (OrtSession.Result r = embed.run(Map.of(ShardGraphs.INPUT_IDS, in.ids))) {
                runCalls++;
                ((OnnxTensor) r.get(ShardGraphs.HIDDEN_OUT).orElseThrow()).getFloatBuffer().get(h);
            }
            float[] sum = new float[t * d];
            float[] part = new float[t * d];
            for (int l = 0; l < layers; l++) {
                for (int block = 0; block < 2; block++) {
                    java.util.Arrays.fill(sum, 0f);
                    try (OnnxTensor x = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(h), new long[] {t, d})) {
                        for (int s = 0; s < n; s++) {
                            Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
                            inputs.put(ShardGraphs.HIDDEN_IN, x);
                            OrtSession.Result r;
                            if (block == 0) {
                                inputs.put(ShardGraphs.COS, in.cos);
                                inputs.put(ShardGraphs.SIN, in.sin);
                                inputs.put(ShardGraphs.MASK, in.mask);
                                slots[s][l].addInputs(inputs);
                                r = attn[s][l].run(inputs);
                                slots[s][l].update(r);
                                ((OnnxTensor) r.get(ShardGraphs.PARTIAL).orElseThrow()).getFloatBuffer().get(part);
                            } else {
                                try (OrtSession.Result mr = mlp[s][l].run(inputs)) {
                                    ((OnnxTensor) mr.get(ShardGraphs.PARTIAL).orElseThrow()).getFloatBuffer().get(part);
                                }
                            }
                            runCalls++;
                            for (int i = 0; i < sum.length; i++) {
                                sum[i] += part[i];
                            }
                        }
                    }
                    for (int i = 0; i < h.length; i++) {
                        h[i] += sum[i];
                    }
                }
            }
            float[] logits = new float[config.vocabSize()];
            try (OnnxTensor x = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(h), new long[] {t, d});
                 OrtSession.Result r = head.run(Map.of(ShardGraphs.HIDDEN_IN, x))) {
                runCalls++;
                ((OnnxTensor) r.get(ShardGraphs.LOGITS).orElseThrow()).getFloatBuffer().get(logits);
            }
            positions.put(sequence, past + t);
            return logits;
        }
    }

    @Override
    public int position(int sequence) {
        return positions.getOrDefault(sequence, 0);
    }

    @Override
    public void reset(int sequence) {
        KvSlot[][] slots = caches.remove(sequence);
        if (slots != null) {
            for (KvSlot[] row : slots) {
                for (KvSlot s : row) {
                    s.close();
                }
            }
        }
        positions.remove(sequence);
    }

    @Override
    public long runCalls() {
        return runCalls;
    }

    @Override
    public int runCallsPerToken() {
        return 2 + 2 * config.layers() * slices.size();
    }

    @Override
    public void close() {
        for (Integer s : new ArrayList<>(caches.keySet())) {
            reset(s);
        }
        for (OrtShard[][] arr : new OrtShard[][][] {attn, mlp}) {
            if (arr == null) {
                continue;
            }
            for (OrtShard[] row : arr) {
                for (OrtShard o : row) {
                    if (o != null) {
                        o.close();
                    }
                }
            }
        }
        if (embed != null) {
            embed.close();
        }
        if (head != null) {
            head.close();
        }
    }
}
