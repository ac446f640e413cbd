package org.airshard.executor.runtime;

/**
 * ONNX Runtime settings for shard sessions.
 *
 * @param intraOpThreads threads per session (1 on small boards; 2-core machines spike with spinning)
 * @param allowSpinning  let ORT worker threads spin-wait (off: multi-ms p99 spikes were measured with it on)
 * @param maxContext     KV-cache capacity in tokens (prompt + generated); capped by the model's own limit
 */
public record RuntimeOptions(int intraOpThreads, boolean allowSpinning, int maxContext) {

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(1, false, 2048);
    }

    public RuntimeOptions withMaxContext(int tokens) {
        return new RuntimeOptions(intraOpThreads, allowSpinning, tokens);
    }

    public RuntimeOptions withThreads(int threads) {
        return new RuntimeOptions(threads, allowSpinning, maxContext);
    }
}
