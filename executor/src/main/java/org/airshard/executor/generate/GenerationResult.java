package org.airshard.executor.generate;

import java.util.List;

/**
 * Outcome of one generation.
 *
 * @param promptTokens    ids fed as the prompt
 * @param tokens          generated ids (a stop token, if hit, is included)
 * @param text            decoded continuation (prompt excluded; control tokens produce no text)
 * @param stopReason      {@code max_tokens}, {@code stop_token} or {@code context_full}
 * @param prefillSeconds  time of the batched prompt pass (produces the first generated token)
 * @param decodeSeconds   time of the remaining one-token steps
 * @param runCallsPerToken ONNX Runtime {@code run} calls per decode step
 */
public record GenerationResult(List<Integer> promptTokens, List<Integer> tokens, String text, String stopReason,
                               double prefillSeconds, double decodeSeconds, int runCallsPerToken) {

    /** Generated tokens per second of generation (prefill + decode; model load excluded). */
    public double tokensPerSecond() {
        double s = prefillSeconds + decodeSeconds;
        return s > 0 ? tokens.size() / s : 0;
    }

    /** Prompt tokens per second of the prefill pass. */
    public double prefillTokensPerSecond() {
        return prefillSeconds > 0 ? promptTokens.size() / prefillSeconds : 0;
    }

    /** Decode tokens per second (tokens after the first, over the decode time). */
    public double decodeTokensPerSecond() {
        return decodeSeconds > 0 ? (tokens.size() - 1) / decodeSeconds : 0;
    }
}
