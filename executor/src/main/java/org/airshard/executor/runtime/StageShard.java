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
 * One pipeline stage as a board runs it: whole layers {@code [l0, l1)} without embedding or head,
 * {@code hidden [T, d] → hidden [T, d]} in one {@code run} call, one KV cache per sequence.
 * Not thread-safe: a board serialises calls on one compute thread.
 */
public final class StageShard implements AutoCloseable {

    private final ModelConfig config;
    private final double[] invFreq;
    private final int[] layers;
    private final OrtShard shard;
    private final Map<Integer, KvSlot> caches = new HashMap<>();
    private final Map<Integer, Integer> positions = new HashMap<>();

    public StageShard(Checkpoint ckpt, double[] invFreq, int layerStart, int layerEnd, RuntimeOptions options)
            throws InputException, OrtException {
        this.config = ckpt.config();
        this.invFreq = invFreq.clone();
        this.layers = IntStream.range(layerStart, layerEnd).toArray();
        this.shard = new OrtShard("stage " + layerStart + "-" + layerEnd,
                ShardGraphs.stage(ckpt, ShardSpec.stage(config, layerStart, layerEnd, false, false)), options);
    }

    /**
     * Runs the stage for {@code rows} new tokens of {@code sequence} at cache position {@code past}.
     *
     * @param hidden {@code [rows, d]} row-major
     * @return {@code [rows, d]}
     */
    public float[] forward(int sequence, int past, float[] hidden, int rows) throws OrtException {
        int have = positions.getOrDefault(sequence, 0);
        if (past == 0 && have != 0) {
            reset(sequence);
            have = 0;
        }
        if (past != have) {
            throw new IllegalStateException("sequence " + sequence + " is at position " + have + ", step says " + past);
        }
        int d = config.hiddenSize();
        if (layers.length == 0) {
            // a member without layers (a ring starter that only embeds and runs the head) passes the state on
            positions.put(sequence, past + rows);
            return java.util.Arrays.copyOf(hidden, rows * d);
        }
        KvSlot slot = caches.get(sequence);
        if (slot == null) {
            slot = new KvSlot(layers, config.kvHeads(), config.headDim());
            caches.put(sequence, slot);
        }
        int[] dummy = new int[rows];
        try (StepInputs in = new StepInputs(invFreq, config.headsPerGroup(), dummy, past);
             OnnxTensor x = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(hidden, 0, rows * d),
                     new long[] {rows, d})) {
            Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
            inputs.put(ShardGraphs.HIDDEN_IN, x);
            inputs.put(ShardGraphs.COS, in.cos);
            inputs.put(ShardGraphs.SIN, in.sin);
            inputs.put(ShardGraphs.MASK, in.mask);
            slot.addInputs(inputs);
            OrtSession.Result r = shard.run(inputs);
            slot.update(r);
            float[] out = new float[rows * d];
            ((OnnxTensor) r.get(ShardGraphs.HIDDEN_OUT).orElseThrow()).getFloatBuffer().get(out);
            positions.put(sequence, past + rows);
            return out;
        }
    }

    public void reset(int sequence) {
        KvSlot s = caches.remove(sequence);
        if (s != null) {
            s.close();
        }
        positions.remove(sequence);
    }

    @Override
    public void close() {
        for (Integer s : List.copyOf(caches.keySet())) {
            reset(s);
        }
        shard.close();
    }
}
