package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.airshard.executor.generate.LogitCandidates;
import org.airshard.executor.generate.Sampler;
import org.airshard.executor.generate.SamplingOptions;
import org.junit.jupiter.api.Test;

/**
 * The last ring member's compacted slice of the logits: sampling from the starter's rows plus the slice's
 * candidates gives the same tokens as sampling from the whole vector, ties included.
 */
class LogitCandidatesTest {

    @Test
    void candidatesNeededFollowTheSampling() {
        assertEquals(1, LogitCandidates.needed(SamplingOptions.greedy(5)));
        assertEquals(40, LogitCandidates.needed(new SamplingOptions(0.8, 40, 0.9, 1, 5, List.of())));
        assertEquals(0, LogitCandidates.needed(new SamplingOptions(0.8, 0, 0.9, 1, 5, List.of())), "top-p alone needs all");
        assertEquals(0, LogitCandidates.needed(new SamplingOptions(0.8, LogitCandidates.MAX_CANDIDATES + 1, 1, 1, 5, List.of())));
    }

    @Test
    void topKeepsTheLargestInOrderWithTiesToTheLowerId() {
        float[] slice = {0.5f, 3f, -1f, 3f, 2f, 3f, 0.5f};
        assertArrayEquals(new float[] {3f, 3f, 3f, 2f, 101f, 103f, 105f, 104f}, LogitCandidates.top(slice, 4, 100));
        assertArrayEquals(new float[] {3f, 101f}, LogitCandidates.top(slice, 1, 100));
        assertArrayEquals(new float[] {3f, 3f, 3f, 2f, 0.5f, 0.5f, -1f, 10f, 12f, 14f, 13f, 9f, 15f, 11f},
                LogitCandidates.top(slice, 7, 9), "c = slice length: a full sort");
    }

    /** Random logits with many ties, random split rows, greedy and several top-k / top-p / temperature settings. */
    @Test
    void samplingFromCandidatesEqualsSamplingFromTheWholeVector() {
        SplittableRandom r = new SplittableRandom(7);
        int checked = 0;
        for (int trial = 0; trial < 300; trial++) {
            int v = 20 + r.nextInt(300), split = 1 + r.nextInt(v - 1);
            float[] logits = new float[v];
            for (int i = 0; i < v; i++) {
                logits[i] = r.nextInt(4) == 0 ? r.nextInt(5) : (float) r.nextGaussian() * 3; // ties between and within halves
            }
            SamplingOptions so = switch (trial % 4) {
                case 0 -> SamplingOptions.greedy(1);
                case 1 -> new SamplingOptions(0.7, 1 + r.nextInt(50), 1, trial, 1, List.of());
                case 2 -> new SamplingOptions(1.3, 1 + r.nextInt(50), 0.8, trial, 1, List.of());
                default -> new SamplingOptions(1.0, 1 + r.nextInt(v), 0.95, trial, 1, List.of());
            };
            int c = LogitCandidates.needed(so);
            if (c == 0 || c >= v - split) {
                continue; // the whole slice travels
            }
            float[] rebuilt = Arrays.copyOf(logits, v);
            float[] sent = LogitCandidates.top(Arrays.copyOfRange(logits, split, v), c, split);
            LogitCandidates.scatter(sent, c, rebuilt, split, v);
            Sampler whole = new Sampler(so), compact = new Sampler(so);
            for (int draw = 0; draw < 20; draw++) {
                assertEquals(whole.sample(logits), compact.sample(rebuilt), "trial " + trial + ", draw " + draw + ", " + so);
            }
            checked++;
        }
        assertEquals(true, checked > 150, checked + " trials compacted");
    }

    @Test
    void scatterRefusesIdsOutsideTheSliceRepeatsAndFractions() {
        float[] logits = new float[10];
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> LogitCandidates.scatter(new float[] {1f, 2f, 4f, 7f}, 2, logits, 5, 10));
        assertEquals("candidate token id 4.0 is not a distinct id in 5..9", outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogitCandidates.scatter(new float[] {1f, 2f, 7f, 7f}, 2, logits, 5, 10));
        assertThrows(IllegalArgumentException.class, () -> LogitCandidates.scatter(new float[] {1f, 6.5f}, 1, logits, 5, 10));
        assertThrows(IllegalArgumentException.class, () -> LogitCandidates.scatter(new float[] {1f, 6f, 2f}, 1, logits, 5, 10));
        LogitCandidates.scatter(new float[] {1f, 2f, 9f, 6f}, 2, logits, 5, 10);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, Float.NEGATIVE_INFINITY, 2f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f},
                logits);
    }
}
