package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LayerBalancerTest {

    @Test
    void headOnTheStarterMovesLayersToTheOthers() {
        // stories15M-like: head ≈ 3 layers' time on equal boards → starter 2, secondary 4 (bottleneck 2.5 vs 4)
        assertArrayEquals(new int[] {2, 4}, LayerBalancer.split(6, 1100, new double[] {380, 380}));
        assertArrayEquals(new int[] {3, 3}, LayerBalancer.split(6, 0, new double[] {380, 380}));
        // a slow secondary gets fewer layers
        int[] s = LayerBalancer.split(12, 0, new double[] {100, 300});
        assertArrayEquals(new int[] {9, 3}, s);
    }

    @Test
    void matchesExhaustiveSearchOnRandomInstances() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n < 200; n++) {
            int k = 1 + r.nextInt(4), layers = k + r.nextInt(10);
            double h = r.nextDouble() * 2000;
            double[] c = new double[k];
            for (int i = 0; i < k; i++) {
                c[i] = 50 + r.nextDouble() * 500;
            }
            int[] got = LayerBalancer.split(layers, h, c);
            assertEquals(layers, java.util.Arrays.stream(got).sum());
            assertTrue(java.util.Arrays.stream(got).allMatch(x -> x >= 1));
            double best = exhaustive(new int[k], 0, layers, h, c);
            assertEquals(best, LayerBalancer.bottleneck(got, h, c), 1e-9, "instance " + n);
        }
    }

    static double exhaustive(int[] counts, int i, int left, double h, double[] c) {
        if (i == counts.length - 1) {
            if (left < 1) {
                return Double.POSITIVE_INFINITY;
            }
            counts[i] = left;
            return LayerBalancer.bottleneck(counts, h, c);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int l = 1; l <= left - (counts.length - 1 - i); l++) {
            counts[i] = l;
            best = Math.min(best, exhaustive(counts, i + 1, left - l, h, c));
        }
        return best;
    }
}
