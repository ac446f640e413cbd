package org.airshard.executor.board;

/**
 * Contiguous layer counts for a ring from measured costs: member k's stage time is t_k(ℓ_k) = s_k + ℓ_k·c_k,
 * s_k its fixed work per token (the starter's and the last member's parts of the head), and the counts minimise the
 * bottleneck max_k t_k (the per-token period once S ≥ K sequences are in flight), every member holding at
 * least one layer. Exact dynamic programme over members and layers, O(K·L²).
 */
final class LayerBalancer {

    private LayerBalancer() {
    }

    /**
     * @param layers      N_L, layers to place
     * @param headMicros  h, the starter's head + sampling time per token (s_0; s_k = 0 for the others)
     * @param microsPerLayer c_k per member, ring order (starter first)
     * @return ℓ_k per member
     */
    static int[] split(int layers, double headMicros, double[] microsPerLayer) {
        double[] fixed = new double[microsPerLayer.length];
        fixed[0] = headMicros;
        return split(layers, fixed, microsPerLayer);
    }

    /** @param fixedMicros s_k per member, ring order */
    static int[] split(int layers, double[] fixedMicros, double[] microsPerLayer) {
        int k = microsPerLayer.length;
        if (k < 1 || layers < k) {
            throw new IllegalArgumentException(k + " members for " + layers + " layers");
        }
        double[][] best = new double[k][layers + 1];
        int[][] choice = new int[k][layers + 1];
        for (double[] row : best) {
            java.util.Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        for (int l = 1; l <= layers - (k - 1); l++) {
            best[0][l] = fixedMicros[0] + l * microsPerLayer[0];
            choice[0][l] = l;
        }
        for (int i = 1; i < k; i++) {
            for (int total = i + 1; total <= layers - (k - 1 - i); total++) {
                for (int l = 1; l <= total - i; l++) {
                    double v = Math.max(best[i - 1][total - l], fixedMicros[i] + l * microsPerLayer[i]);
                    if (v < best[i][total]) {
                        best[i][total] = v;
                        choice[i][total] = l;
                    }
                }
            }
        }
        int[] out = new int[k];
        int left = layers;
        for (int i = k - 1; i >= 0; i--) {
            out[i] = choice[i][left];
            left -= out[i];
        }
        return out;
    }

    /** The bottleneck max_k t_k of given counts (fixed work on the starter only). */
    static double bottleneck(int[] counts, double headMicros, double[] microsPerLayer) {
        double[] fixed = new double[counts.length];
        fixed[0] = headMicros;
        return bottleneck(counts, fixed, microsPerLayer);
    }

    /** The bottleneck max_k t_k of given counts. */
    static double bottleneck(int[] counts, double[] fixedMicros, double[] microsPerLayer) {
        double b = 0;
        for (int i = 0; i < counts.length; i++) {
            b = Math.max(b, fixedMicros[i] + counts[i] * microsPerLayer[i]);
        }
        return b;
    }
}
