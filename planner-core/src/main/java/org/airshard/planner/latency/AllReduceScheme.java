package org.airshard.planner.latency;

/** How the tensor-parallel partial outputs are summed (docs/model.md §All-reduce schemes). */
public enum AllReduceScheme {
    /** Over-the-air computation: all devices transmit at once, the MIMO uplink sums them (the paper's scheme). */
    AIRCOMP("aircomp", "AirComp (over the air)"),
    /** Each device sends its partial sum quantised to 8 bits per value on its own OFDMA sub-band. */
    DIGITAL_OFDMA("digital-ofdma-8bit", "Digital 8-bit OFDMA"),
    /** Each device sends analog (uncoded) symbols on its own FDMA sub-band; the server adds the estimates. */
    UNCODED_FDMA("uncoded-fdma", "Uncoded FDMA");

    private final String id;
    private final String displayName;

    AllReduceScheme(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }
}
