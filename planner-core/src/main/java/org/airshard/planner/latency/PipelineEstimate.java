package org.airshard.planner.latency;

import java.util.List;

/**
 * Predicted behaviour of a pipeline ring with recurrent pipelining.
 *
 * @param ring          device ids in ring order, starter first
 * @param layerCounts   layers held by each ring member
 * @param stageS        per member, compute time per token, s (starter includes head and final norm)
 * @param hopS          per member, time to pass one token's hidden state to the next member (the last
 *                      entry is the hop back to the starter), s
 * @param ringS         R = Σ(stage + hop): latency of one token of one sequence, s
 * @param bottleneckS   b = max over stages and hops, s
 */
public record PipelineEstimate(
        List<String> ring,
        List<Integer> layerCounts,
        List<Double> stageS,
        List<Double> hopS,
        double ringS,
        double bottleneckS) {

    /** Tokens/s with S sequences in flight: min(S/R, 1/b). */
    public double tokensPerSecond(int sequences) {
        return Math.min(sequences / ringS, 1.0 / bottleneckS);
    }

    /** The knee: smallest S reaching the bottleneck rate, ⌈R/b⌉. */
    public int kneeSequences() {
        return (int) Math.ceil(ringS / bottleneckS - 1e-9);
    }
}
