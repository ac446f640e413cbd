package org.airshard.executor.runtime;

import ai.onnxruntime.OrtException;
import org.airshard.executor.model.ModelConfig;

/**
 * Runs a whole model (possibly as several shards) on sequences, each with its own KV cache.
 * {@link #forward} appends tokens to a sequence and returns the logits after the last of them: call it
 * with the whole prompt (batched prefill), then with one token per decode step.
 */
public interface ModelRunner extends AutoCloseable {

    ModelConfig config();

    /** KV-cache capacity per sequence, in tokens. */
    int capacity();

    /** Appends {@code tokens} to {@code sequence}; returns the logits {@code [V]} at the last new position. */
    float[] forward(int sequence, int[] tokens) throws OrtException;

    /** Tokens already in the sequence's cache. */
    int position(int sequence);

    /** Drops a sequence's cache. */
    void reset(int sequence);

    /** {@code run} calls made so far (all shards). */
    long runCalls();

    /** {@code run} calls one decode token costs. */
    int runCallsPerToken();

    @Override
    void close();
}
