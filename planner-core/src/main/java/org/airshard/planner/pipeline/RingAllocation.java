package org.airshard.planner.pipeline;

/**
 * Layer counts for one ring and the resulting timing.
 *
 * @param members     device indices (topology order) in ring order, starter first
 * @param layerCounts layers per member
 * @param computeS    Σ stage times (starter's head included), s
 * @param computeMaxS max stage time, s
 */
record RingAllocation(int[] members, int[] layerCounts, double computeS, double computeMaxS) {

    /** Tokens/s with S in flight given the ring's hop sum and maximum. */
    double tokensPerSecond(int sequences, double hopSumS, double hopMaxS) {
        return Math.min(sequences / (computeS + hopSumS), 1.0 / Math.max(computeMaxS, hopMaxS));
    }
}
