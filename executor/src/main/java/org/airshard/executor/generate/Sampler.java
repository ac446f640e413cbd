package org.airshard.executor.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks a token from logits: greedy, or temperature + top-k + top-p, reproducible from a seed. */
public final class Sampler {

    private final SamplingOptions options;
    private final SplittableRandom random;

    public Sampler(SamplingOptions options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Advances the random stream past {@code draws} earlier samples (each non-greedy {@link #sample} takes one
     * draw), so a sequence resumed elsewhere samples exactly as if it had not moved.
     */
    public void skip(int draws) {
        if (!options.isGreedy()) {
            for (int i = 0; i < draws; i++) {
                random.nextDouble();
            }
        }
    }

    public int sample(float[] logits) {
        if (options.isGreedy()) {
            return argmax(logits);
        }
        int n = logits.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        int k = options.topK() > 0 ? Math.min(options.topK(), n) : n;
        double max = logits[order[0]];
        double[] p = new double[k];
        double z = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / options.temperature());
            z += p[i];
        }
        int keep = k;
        if (options.topP() < 1) {
            double cum = 0;
            for (int i = 0; i < k; i++) {
                cum += p[i] / z;
                if (cum >= options.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double total = 0;
        for (int i = 0; i < keep; i++) {
            total += p[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u <= 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
