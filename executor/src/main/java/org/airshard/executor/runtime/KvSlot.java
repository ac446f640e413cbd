package org.airshard.executor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.airshard.executor.shard.ShardGraphs;

/**
 * The KV cache one session keeps for one sequence: for each of its layers, {@code present_k/v} of the last
 * run (owned by that run's result, which stays open until the next run replaces it) are fed back as
 * {@code past_k/v}. No copies through Java.
 */
final class KvSlot implements AutoCloseable {

    private final int[] layers;
    private final OnnxTensor[] k;
    private final OnnxTensor[] v;
    private final List<OnnxTensor> initial = new ArrayList<>();
    private OrtSession.Result owner;

    KvSlot(int[] layers, int groups, int headDim) throws OrtException {
        this.layers = layers;
        this.k = new OnnxTensor[layers.length];
        this.v = new OnnxTensor[layers.length];
        for (int i = 0; i < layers.length; i++) {
            k[i] = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.allocate(0), new long[] {groups, 0, headDim});
            v[i] = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.allocate(0), new long[] {groups, 0, headDim});
            initial.add(k[i]);
            initial.add(v[i]);
        }
    }

    void addInputs(Map<String, OnnxTensorLike> inputs) {
        for (int i = 0; i < layers.length; i++) {
            inputs.put(ShardGraphs.pastK(layers[i]), k[i]);
            inputs.put(ShardGraphs.pastV(layers[i]), v[i]);
        }
    }

    /** Takes the presents of a new run and releases the previous run's outputs. */
    void update(OrtSession.Result result) {
        for (int i = 0; i < layers.length; i++) {
            k[i] = (OnnxTensor) present(result, ShardGraphs.presentK(layers[i]));
            v[i] = (OnnxTensor) present(result, ShardGraphs.presentV(layers[i]));
        }
        release();
        owner = result;
    }

    private static OnnxValue present(OrtSession.Result r, String name) {
        Optional<OnnxValue> o = r.get(name);
        return o.orElseThrow(() -> new IllegalStateException("graph output missing: " + name));
    }

    private void release() {
        if (owner != null) {
            owner.close();
            owner = null;
        }
        initial.forEach(OnnxTensor::close);
        initial.clear();
    }

    @Override
    public void close() {
        release();
    }
}
