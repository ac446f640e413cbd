package org.airshard.executor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.shard.ShardGraphs;
import org.airshard.planner.io.InputException;

/**
 * Final norm + the LM head's vocabulary rows {@code [v0, v1)} ({@link ShardGraphs#headRows}): the part of the
 * head the ring's last member computes while the starter computes the rest, so the head (stories15M: 37 MB of
 * weights per token) runs on two boards at once. Not thread-safe.
 */
public final class LmHeadSlice implements AutoCloseable {

    private final int hidden;
    private final int v0;
    private final int v1;
    private final OrtShard head;

    public LmHeadSlice(Checkpoint ckpt, RuntimeOptions options, int v0, int v1) throws InputException, OrtException {
        this.hidden = ckpt.config().hiddenSize();
        this.v0 = v0;
        this.v1 = v1;
        this.head = new OrtShard("head " + v0 + "-" + v1, ShardGraphs.headRows(ckpt, v0, v1), options);
    }

    public int firstRow() {
        return v0;
    }

    public int rows() {
        return v1 - v0;
    }

    /** Logits {@code [v1 − v0]} of the last of {@code rows} hidden rows. */
    public float[] logits(float[] hiddenRows, int rows) throws OrtException {
        return run(head, hidden, hiddenRows, rows, v1 - v0, v1 - v0);
    }

    static float[] run(OrtShard head, int d, float[] hidden, int rows, int n, int length) throws OrtException {
        float[] logits = new float[length];
        try (OnnxTensor x = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(hidden, 0, rows * d),
                new long[] {rows, d});
             OrtSession.Result r = head.run(Map.of(ShardGraphs.HIDDEN_IN, x))) {
            ((OnnxTensor) r.get(ShardGraphs.LOGITS).orElseThrow()).getFloatBuffer().get(logits, 0, n);
        }
        return logits;
    }

    @Override
    public void close() {
        head.close();
    }
}
