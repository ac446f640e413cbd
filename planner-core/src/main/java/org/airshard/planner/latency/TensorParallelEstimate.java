package org.airshard.planner.latency;

import java.util.List;

/**
 * Predicted per-token latency of tensor-parallel decoding with one all-reduce scheme.
 *
 * @param scheme                  all-reduce scheme
 * @param perTokenS               end-to-end latency per generated token, s
 * @param computeS                per token, sum over blocks of the slowest device's compute, s
 * @param allReduceS              per token, all uplink aggregation time (2 per layer), s
 * @param broadcastS              per token, all downlink broadcasts of block inputs (2 per layer + 1), s
 * @param serverS                 per token, server-side compute (LM head, final norm, AirComp combining), s
 * @param uplinkPerAllReduceS     one all-reduce's uplink time, s
 * @param broadcastPerAllReduceS  one broadcast's time, s
 * @param deviceComputePerLayerS  per device, compute of its share of one layer, s
 */
public record TensorParallelEstimate(
        AllReduceScheme scheme,
        double perTokenS,
        double computeS,
        double allReduceS,
        double broadcastS,
        double serverS,
        double uplinkPerAllReduceS,
        double broadcastPerAllReduceS,
        List<Double> deviceComputePerLayerS) {

    public double tokensPerSecond() {
        return 1.0 / perTokenS;
    }
}
