package org.airshard.executor.generate;

import java.util.Arrays;

/**
 * The few logits a {@link Sampler} can still pick from a slice of the vocabulary: with greedy decoding the
 * largest one, with top-k sampling the k largest. The ring's last member, which computes vocabulary rows
 * {@code [v, V)} of the LM head, sends only these to the starter instead of all V − v logits
 * (board Frame.PARTIAL); the starter puts them back among −∞ and samples exactly as from the whole vector.
 *
 * <p>Why exact: the sampler ranks logits by value, then by lower token id. A token of the slice that is among
 * the k best of the whole vocabulary has fewer than k tokens ranked above it there, so fewer than k of its own
 * slice too: it is among the slice's k best. Every other token gets probability 0 after top-k anyway.
 */
public final class LogitCandidates {

    /** Largest top-k that is compacted; beyond it the whole slice is sent (2 × 1024 fp32 = 8 KiB). */
    public static final int MAX_CANDIDATES = 1024;

    /** Token ids travel as fp32, exact below 2²⁴. */
    static final int MAX_TOKEN_ID = 1 << 24;

    private LogitCandidates() {
    }

    /**
     * How many of a slice's logits the sampler can use: 1 for greedy, k for top-k (k ≤ {@link #MAX_CANDIDATES}),
     * 0 = all (temperature or top-p sampling without top-k needs every logit).
     */
    public static int needed(SamplingOptions so) {
        if (so.isGreedy()) {
            return 1;
        }
        return so.topK() > 0 && so.topK() <= MAX_CANDIDATES ? so.topK() : 0;
    }

    /**
     * Whether a slice of {@code n} logits travels as {@code c} candidates (2 × c fp32) rather than whole (1 × n):
     * only when candidates were asked for and are fewer than the slice. The receiver decides by what it asked,
     * never by the payload's length (2c may equal n).
     */
    public static boolean compacts(int c, int n) {
        return c > 0 && c < n;
    }

    /**
     * The {@code c} largest of {@code logits} (ties to the lower index) as {@code [2c]}: values in descending
     * order, then their token ids {@code firstId + index} as fp32.
     */
    public static float[] top(float[] logits, int c, int firstId) {
        if (c < 1 || c > logits.length) {
            throw new IllegalArgumentException(c + " candidates of " + logits.length + " logits");
        }
        if ((long) firstId + logits.length > MAX_TOKEN_ID) {
            throw new IllegalArgumentException("token ids up to " + (firstId + logits.length) + " do not fit fp32 exactly");
        }
        float[] val = new float[c];
        int[] idx = new int[c];
        int n = 0;
        for (int i = 0; i < logits.length; i++) {
            float x = logits[i];
            if (n == c && !(x > val[c - 1])) {
                continue; // not better than the c-th (an equal value with a higher index loses the tie)
            }
            int at = n < c ? n : c - 1;
            while (at > 0 && x > val[at - 1]) {
                at--;
            }
            int move = Math.min(n, c - 1) - at;
            if (move > 0) {
                System.arraycopy(val, at, val, at + 1, move);
                System.arraycopy(idx, at, idx, at + 1, move);
            }
            val[at] = x;
            idx[at] = i;
            n = Math.min(n + 1, c);
        }
        float[] out = new float[2 * c];
        System.arraycopy(val, 0, out, 0, c);
        for (int j = 0; j < c; j++) {
            out[c + j] = firstId + idx[j];
        }
        return out;
    }

    /**
     * Writes candidates ({@link #top}'s layout, {@code c} of them) into {@code logits[from, to)}, every other
     * entry of that range −∞.
     *
     * @throws IllegalArgumentException if a token id is not an integer in {@code [from, to)} or appears twice
     */
    public static void scatter(float[] candidates, int c, float[] logits, int from, int to) {
        if (candidates.length != 2 * c) {
            throw new IllegalArgumentException(candidates.length + " values for " + c + " candidates");
        }
        Arrays.fill(logits, from, to, Float.NEGATIVE_INFINITY);
        boolean[] seen = new boolean[to - from];
        for (int j = 0; j < c; j++) {
            float id = candidates[c + j];
            int t = (int) id;
            if (t != id || t < from || t >= to || seen[t - from]) {
                throw new IllegalArgumentException("candidate token id " + id + " is not a distinct id in " + from + ".." + (to - 1));
            }
            seen[t - from] = true;
            logits[t] = candidates[j];
        }
    }
}
