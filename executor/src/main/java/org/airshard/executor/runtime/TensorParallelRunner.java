package org.airshard.executor.runtime;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.io.InputException;

/**
 * Tensor-parallel slices executed in this process with an exact (digital) all-reduce, each slice a
 * {@link ShardExecutor} as a board would hold it. The "server" holds the embedding and the head (two
 * layer-less stage shards); for every layer each slice runs its attention block, the partial outputs are
 * summed in slice order and added to the residual, then the same for the MLP block. Per token:
 * {@code 2 + 2·N_L·slices} run calls in this process, {@code 2·N_L} per slice.
 */
public final class TensorParallelRunner implements ModelRunner {

    private final ModelConfig config;
    private final int capacity;
    private final List<ShardSpec> slices;
    private final List<ShardExecutor> executors = new ArrayList<>();
    private ShardExecutor embed;
    private ShardExecutor head;
    private final Map<Integer, Integer> positions = new HashMap<>();

    public TensorParallelRunner(Checkpoint ckpt, List<ShardSpec> slices, RuntimeOptions options)
            throws InputException, OrtException {
        this.config = ckpt.config();
        this.capacity = Math.min(options.maxContext(), config.maxPositions());
        this.slices = List.copyOf(slices);
        checkCover();
        try {
            embed = new ShardExecutor(ckpt, ShardSpec.stage(config, 0, 0, true, false), options);
            head = new ShardExecutor(ckpt, ShardSpec.stage(config, config.layers(), config.layers(), false, true), options);
            for (ShardSpec s : slices) {
                executors.add(new ShardExecutor(ckpt, s, options));
            }
        } catch (InputException | OrtException | RuntimeException ex) {
            close();
            throw ex;
        }
    }

    private void checkCover() throws InputException {
        int g = 0, f = 0;
        for (ShardSpec s : slices) {
            s.validate(config);
            if (s.kvGroupStart() != g || s.ffnStart() != f || s.layerStart() != 0 || s.layerEnd() != config.layers()
                    || s.embedding() || s.head()) {
                throw new InputException("shards", "", "tensor-parallel slices must tile KV groups and FFN columns in order "
                        + "over all layers, without embedding or head");
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
        float[] h = embed.runStage(sequence, tokens, null);
        float[] sum = new float[h.length];
        for (int l = 0; l < config.layers(); l++) {
            for (int block = 0; block < 2; block++) {
                java.util.Arrays.fill(sum, 0f);
                for (ShardExecutor ex : executors) {
                    float[] part = block == 0 ? ex.attentionPartial(sequence, l, h) : ex.mlpPartial(l, h);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += part[i];
                    }
                }
                for (int i = 0; i < h.length; i++) {
                    h[i] += sum[i];
                }
            }
        }
        float[] logits = head.runStage(sequence, null, h);
        positions.put(sequence, past + tokens.length);
        return logits;
    }

    @Override
    public int position(int sequence) {
        return positions.getOrDefault(sequence, 0);
    }

    @Override
    public void reset(int sequence) {
        if (embed != null) {
            embed.reset(sequence);
        }
        if (head != null) {
            head.reset(sequence);
        }
        executors.forEach(e -> e.reset(sequence));
        positions.remove(sequence);
    }

    @Override
    public long runCalls() {
        long n = (embed == null ? 0 : embed.runCalls()) + (head == null ? 0 : head.runCalls());
        for (ShardExecutor e : executors) {
            n += e.runCalls();
        }
        return n;
    }

    @Override
    public int runCallsPerToken() {
        return 2 + 2 * config.layers() * slices.size();
    }

    @Override
    public void close() {
        executors.forEach(ShardExecutor::close);
        executors.clear();
        if (embed != null) {
            embed.close();
        }
        if (head != null) {
            head.close();
        }
    }
}
