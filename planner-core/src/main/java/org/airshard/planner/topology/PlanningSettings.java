package org.airshard.planner.topology;

/**
 * Settings that shape planning but are not properties of a device or the channel.
 *
 * @param streams                L, AirComp data streams per channel use (L ≤ N_t of every device, L ≤ N_r)
 * @param sequences              S, sequences generated at once (recurrent pipelining keeps S in flight)
 * @param activationBytes        bytes per activation value on the wire (4 = fp32, as the executor sends)
 * @param memoryHeadroomFraction share of each device's memory kept free for the runtime, OS and
 *                               activations (0.1 = plan with 90 % of memoryBytes)
 */
public record PlanningSettings(int streams, int sequences, double activationBytes, double memoryHeadroomFraction) {

    public static final int DEFAULT_STREAMS = 0; // 0 = min over devices of N_t (and N_r)

    public static PlanningSettings defaults() {
        return new PlanningSettings(DEFAULT_STREAMS, 1, 4, 0.10);
    }
}
