package org.airshard.executor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
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
 * Layer-range shards run one after another in this process: one {@code run} per stage per step, the
 * hidden state handed from stage to stage as an ORT tensor. With one stage this is the single-process model.
 */
public final class PipelineRunner implements ModelRunner {

    private record Stage(ShardSpec spec, OrtShard shard, int[] layers) {
    }

    private final ModelConfig config;
    private final double[] invFreq;
    private final int capacity;
    private final List<Stage> stages = new ArrayList<>();
    private final Map<Integer, KvSlot[]> caches = new HashMap<>();
    private final Map<Integer, Integer> positions = new HashMap<>();
    private long runCalls;

    public PipelineRunner(Checkpoint ckpt, List<ShardSpec> specs, RuntimeOptions options) throws InputException, OrtException {
        this.config = ckpt.config();
        this.invFreq = ckpt.inverseFrequencies();
        this.capacity = Math.min(options.maxContext(), config.maxPositions());
        checkCover(specs);
        try {
            for (ShardSpec s : specs) {
                stages.add(new Stage(s, new OrtShard("stage " + s.layerStart() + "-" + s.layerEnd(),
                        ShardGraphs.stage(ckpt, s), options), IntStream.range(s.layerStart(), s.layerEnd()).toArray()));
            }
        } catch (InputException | OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void checkCover(List<ShardSpec> specs) throws InputException {
        int next = 0;
        for (int i = 0; i < specs.size(); i++) {
            ShardSpec s = specs.get(i);
            s.validate(config);
            if (s.layerStart() != next || s.embedding() != (i == 0) || s.head() != (i == specs.size() - 1)) {
                throw new InputException("shards", "[" + i + "]", "stages must cover the layers in order, the first "
                        + "holding the embedding and the last the head");
            }
            next = s.layerEnd();
        }
        if (next != config.layers()) {
            throw new InputException("shards", "", "stages cover " + next + " of " + config.layers() + " layers");
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
        KvSlot[] slots = caches.get(sequence);
        if (slots == null) {
            slots = new KvSlot[stages.size()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new KvSlot(stages.get(i).layers(), config.kvHeads(), config.headDim());
            }
            caches.put(sequence, slots);
        }
        try (StepInputs in = new StepInputs(invFreq, config.headsPerGroup(), tokens, past, config.slidingWindow())) {
            OnnxTensor hidden = null;
            float[] logits = null;
            for (int i = 0; i < stages.size(); i++) {
                Stage st = stages.get(i);
                Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
                if (st.spec().embedding()) {
                    inputs.put(ShardGraphs.INPUT_IDS, in.ids);
                } else {
                    inputs.put(ShardGraphs.HIDDEN_IN, hidden);
                }
                if (st.layers().length > 0) {
                    inputs.put(ShardGraphs.COS, in.cos);
                    inputs.put(ShardGraphs.SIN, in.sin);
                    inputs.put(ShardGraphs.MASK, in.mask);
                    slots[i].addInputs(inputs);
                }
                OrtSession.Result r = st.shard().run(inputs);
                runCalls++;
                slots[i].update(r);
                if (st.spec().head()) {
                    OnnxTensor lt = (OnnxTensor) r.get(ShardGraphs.LOGITS).orElseThrow();
                    logits = new float[config.vocabSize()];
                    lt.getFloatBuffer().get(logits);
                } else {
                    hidden = (OnnxTensor) r.get(ShardGraphs.HIDDEN_OUT).orElseThrow();
                }
            }
            positions.put(sequence, past + tokens.length);
            return logits;
        }
    }

    @Override
    public int position(int sequence) {
        return positions.getOrDefault(sequence, 0);
    }

    @Override
    public void reset(int sequence) {
        KvSlot[] slots = caches.remove(sequence);
        if (slots != null) {
            for (KvSlot s : slots) {
                s.close();
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
        return stages.size();
    }

    @Override
    public void close() {
        for (Integer s : List.copyOf(caches.keySet())) {
            reset(s);
        }
        stages.forEach(st -> st.shard().close());
        stages.clear();
    }
}
