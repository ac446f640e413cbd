package org.airshard.executor.generate;

import java.util.List;

/**
 * How the next token is chosen.
 *
 * @param temperature 0 = greedy (argmax); otherwise logits are divided by it before the softmax
 * @param topK        keep the k most likely tokens (0 = all)
 * @param topP        keep the smallest set whose probability reaches p (1 = all)
 * @param seed        random seed (sampling is reproducible for a given seed)
 * @param maxTokens   tokens to generate at most
 * @param stopTokens  generation ends after producing one of these (it is reported, not decoded)
 */
public record SamplingOptions(double temperature, int topK, double topP, long seed, int maxTokens, List<Integer> stopTokens) {

    public SamplingOptions {
        if (temperature < 0 || topK < 0 || topP <= 0 || topP > 1 || maxTokens < 0) {
            throw new IllegalArgumentException("invalid sampling options");
        }
        stopTokens = List.copyOf(stopTokens);
    }

    public static SamplingOptions greedy(int maxTokens) {
        return new SamplingOptions(0, 0, 1, 0, maxTokens, List.of());
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public SamplingOptions withStopTokens(List<Integer> stops) {
        return new SamplingOptions(temperature, topK, topP, seed, maxTokens, stops);
    }
}
