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
import java.util.stream.IntStream;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.shard.ShardGraphs;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.io.InputException;

/**
 * What one board runs: the ONNX sessions of one {@link ShardSpec} and that shard's KV cache per sequence.
 * Plain float arrays in and out, so a transport can move them.
 *
 * <ul>
 *   <li>A <b>stage</b> (full KV groups and FFN columns): {@link #runStage} — one run per step.</li>
 *   <li>A <b>tensor slice</b>: {@link #attentionPartial} and {@link #mlpPartial} per layer — one run per block;
 *       the caller sums the partials of all slices into the residual (exact or over the air).</li>
 * </ul>
 * Positions are the shard's own: each call for a sequence appends {@code T} positions after the cached ones.
 */
public final class ShardExecutor implements AutoCloseable {

    private final ModelConfig config;
    private final ShardSpec spec;
    private final double[] invFreq;
    private final int capacity;
    private final boolean stage;
    private OrtShard stageSession;
    private final Map<Integer, OrtShard> attention = new HashMap<>();
    private final Map<Integer, OrtShard> mlp = new HashMap<>();
    private final Map<Integer, KvSlot> stageCaches = new HashMap<>();
    private final Map<Integer, Map<Integer, KvSlot>> layerCaches = new HashMap<>();
    private final Map<Integer, Integer> positions = new HashMap<>();
    private final Map<Integer, StepInputs> pending = new HashMap<>();
    private long runCalls;

    public ShardExecutor(Checkpoint ckpt, ShardSpec spec, RuntimeOptions options) throws InputException, OrtException {
        this.config = ckpt.config();
        this.spec = spec;
        this.invFreq = ckpt.inverseFrequencies();
        this.capacity = Math.min(options.maxContext(), config.maxPositions());
        spec.validate(config);
        this.stage = spec.fullAttention(config) && spec.fullMlp(config);
        try {
            if (stage) {
                stageSession = new OrtShard("stage", ShardGraphs.stage(ckpt, spec), options);
            } else {
                if (spec.embedding() || spec.head()) {
                    throw new InputException("shard", "", "a tensor-parallel slice cannot hold the embedding or the head; "
                            + "give them to a separate stage shard");
                }
                for (int l = spec.layerStart(); l < spec.layerEnd(); l++) {
                    attention.put(l, new OrtShard("attn " + l, ShardGraphs.attentionBlock(ckpt, l, spec.kvGroupStart(),
                            spec.kvGroupEnd()), options));
                    mlp.put(l, new OrtShard("mlp " + l, ShardGraphs.mlpBlock(ckpt, l, spec.ffnStart(), spec.ffnEnd()), options));
                }
            }
        } catch (InputException | OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public ShardSpec spec() {
        return spec;
    }

    public boolean isStage() {
        return stage;
    }

    public int position(int sequence) {
        return positions.getOrDefault(sequence, 0);
    }

    public long runCalls() {
        return runCalls;
    }

    private StepInputs step(int sequence, int[] ids, int count) throws OrtException {
        int past = positions.getOrDefault(sequence, 0);
        if (past + count > capacity) {
            throw new IllegalStateException("sequence " + sequence + ": " + (past + count)
                    + " tokens exceed the context of " + capacity);
        }
        return new StepInputs(invFreq, config.headsPerGroup(), ids == null ? new int[count] : ids, past,
                config.slidingWindow());
    }

    /**
     * Runs a stage for {@code T} new tokens of a sequence.
     *
     * @param tokenIds ids {@code [T]} when the stage holds the embedding, else null
     * @param hidden   {@code [T·d]} hidden states from the previous stage, else null
     * @return {@code logits [V]} of the last position when the stage holds the head, else {@code hidden [T·d]}
     */
    public float[] runStage(int sequence, int[] tokenIds, float[] hidden) throws OrtException {
        if (!stage) {
            throw new IllegalStateException("not a stage shard");
        }
        int t = spec.embedding() ? tokenIds.length : hidden.length / config.hiddenSize();
        int[] layers = IntStream.range(spec.layerStart(), spec.layerEnd()).toArray();
        KvSlot slot = stageCaches.get(sequence);
        if (slot == null) {
            slot = new KvSlot(layers, config.kvHeads(), config.headDim());
            stageCaches.put(sequence, slot);
        }
        try (StepInputs in = step(sequence, tokenIds, t);
             OnnxTensor h = hidden == null ? null : OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(hidden),
                     new long[] {t, config.hiddenSize()})) {
            Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
            if (spec.embedding()) {
                inputs.put(ShardGraphs.INPUT_IDS, in.ids);
            } else {
                inputs.put(ShardGraphs.HIDDEN_IN, h);
            }
            if (layers.length > 0) {
                inputs.put(ShardGraphs.COS, in.cos);
                inputs.put(ShardGraphs.SIN, in.sin);
                inputs.put(ShardGraphs.MASK, in.mask);
                slot.addInputs(inputs);
            }
            OrtSession.Result r = stageSession.run(inputs);
            runCalls++;
            slot.update(r);
            OnnxTensor out = (OnnxTensor) r.get(spec.head() ? ShardGraphs.LOGITS : ShardGraphs.HIDDEN_OUT).orElseThrow();
            FloatBuffer fb = out.getFloatBuffer();
            float[] res = new float[fb.remaining()];
            fb.get(res);
            positions.put(sequence, in.past + t);
            return res;
        }
    }

    /**
     * Attention block of {@code layer} for this slice's KV groups: the partial output {@code [T·d]} to be
     * summed over slices. The first layer of a step fixes the step's positions; call the layers in order and
     * {@link #mlpPartial} after each attention block.
     */
    public float[] attentionPartial(int sequence, int layer, float[] hidden) throws OrtException {
        requireSliceLayer(layer);
        int t = hidden.length / config.hiddenSize();
        Map<Integer, KvSlot> slots = layerCaches.computeIfAbsent(sequence, k -> new HashMap<>());
        KvSlot slot = slots.get(layer);
        if (slot == null) {
            slot = new KvSlot(new int[] {layer}, spec.kvGroupEnd() - spec.kvGroupStart(), config.headDim());
            slots.put(layer, slot);
        }
        StepInputs in = pending.get(sequence);
        if (layer == spec.layerStart() || in == null) {
            if (in != null) {
                in.close();
            }
            in = step(sequence, null, t);
            pending.put(sequence, in);
        }
        try (OnnxTensor h = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(hidden),
                new long[] {t, config.hiddenSize()})) {
            Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
            inputs.put(ShardGraphs.HIDDEN_IN, h);
            inputs.put(ShardGraphs.COS, in.cos);
            inputs.put(ShardGraphs.SIN, in.sin);
            inputs.put(ShardGraphs.MASK, in.mask);
            slot.addInputs(inputs);
            OrtSession.Result r = attention.get(layer).run(inputs);
            runCalls++;
            slot.update(r);
            float[] res = new float[t * config.hiddenSize()];
            ((OnnxTensor) r.get(ShardGraphs.PARTIAL).orElseThrow()).getFloatBuffer().get(res);
            if (layer == spec.layerEnd() - 1) {
                positions.put(sequence, in.past + t);
                pending.remove(sequence).close();
            }
            return res;
        }
    }

    /** MLP block of {@code layer} for this slice's FFN columns: partial output {@code [T·d]}. */
    public float[] mlpPartial(int layer, float[] hidden) throws OrtException {
        requireSliceLayer(layer);
        int t = hidden.length / config.hiddenSize();
        try (OnnxTensor h = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(hidden),
                new long[] {t, config.hiddenSize()});
             OrtSession.Result r = mlp.get(layer).run(Map.of(ShardGraphs.HIDDEN_IN, h))) {
            runCalls++;
            float[] res = new float[t * config.hiddenSize()];
            ((OnnxTensor) r.get(ShardGraphs.PARTIAL).orElseThrow()).getFloatBuffer().get(res);
            return res;
        }
    }

    private void requireSliceLayer(int layer) {
        if (stage || layer < spec.layerStart() || layer >= spec.layerEnd()) {
            throw new IllegalStateException("layer " + layer + " is not a tensor-parallel layer of this shard");
        }
    }

    /** Drops a sequence's cache. */
    public void reset(int sequence) {
        KvSlot s = stageCaches.remove(sequence);
        if (s != null) {
            s.close();
        }
        Map<Integer, KvSlot> m = layerCaches.remove(sequence);
        if (m != null) {
            m.values().forEach(KvSlot::close);
        }
        StepInputs p = pending.remove(sequence);
        if (p != null) {
            p.close();
        }
        positions.remove(sequence);
    }

    @Override
    public void close() {
        for (Integer s : List.copyOf(positions.keySet())) {
            reset(s);
        }
        for (Integer s : List.copyOf(stageCaches.keySet())) {
            reset(s);
        }
        for (Integer s : List.copyOf(layerCaches.keySet())) {
            reset(s);
        }
        if (stageSession != null) {
            stageSession.close();
        }
        attention.values().forEach(OrtShard::close);
        mlp.values().forEach(OrtShard::close);
    }
}
