package org.airshard.planner.topology;

import java.util.Locale;
import java.util.Optional;

/**
 * Kinds of edge device with the defaults the editor fills in when one is placed. The FLOP rates are
 * sustained dense fp16/fp32 matrix–vector throughput one can expect from an LLM runtime on that board
 * (well below the vendor's peak), bandwidths sustained streaming rates (about 60–80 % of the DRAM peak);
 * memory is the usual variant. Measure real boards and write the numbers
 * back: these are starting points, not claims.
 */
public enum DeviceKind {
    JETSON_ORIN_NANO("jetson-orin-nano", "Jetson Orin Nano", 8L << 30, 1.0e12, 50e9, 4, 0.10, 4e-11),
    JETSON_TX2("jetson-tx2", "Jetson TX2", 8L << 30, 3.0e11, 25e9, 2, 0.10, 8e-11),
    RASPBERRY_PI_5("raspberry-pi-5", "Raspberry Pi 5", 8L << 30, 3.0e10, 10e9, 1, 0.05, 1.5e-10),
    RASPBERRY_PI_4("raspberry-pi-4", "Raspberry Pi 4", 4L << 30, 1.2e10, 4e9, 1, 0.05, 2.5e-10),
    LAPTOP("laptop", "Laptop", 16L << 30, 4.0e11, 40e9, 2, 0.20, 6e-11),
    PHONE("phone", "Phone", 8L << 30, 2.0e11, 30e9, 2, 0.05, 5e-11),
    CUSTOM("custom", "Custom device", 4L << 30, 1.0e11, 10e9, 2, 0.10, 1e-10);

    private final String id;
    private final String displayName;
    private final long defaultMemoryBytes;
    private final double defaultFlopsPerSecond;
    private final double defaultMemoryBandwidthBytesPerSecond;
    private final int defaultAntennas;
    private final double defaultEnergyBudgetJPerLayer;
    private final double defaultEnergyPerParameterJ;

    DeviceKind(String id, String displayName, long memoryBytes, double flops, double bandwidth, int antennas,
               double energyBudgetJPerLayer, double energyPerParameterJ) {
        this.id = id;
        this.displayName = displayName;
        this.defaultMemoryBytes = memoryBytes;
        this.defaultFlopsPerSecond = flops;
        this.defaultMemoryBandwidthBytesPerSecond = bandwidth;
        this.defaultAntennas = antennas;
        this.defaultEnergyBudgetJPerLayer = energyBudgetJPerLayer;
        this.defaultEnergyPerParameterJ = energyPerParameterJ;
    }

    /** The identifier used in topology files. */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public long defaultMemoryBytes() {
        return defaultMemoryBytes;
    }

    public double defaultFlopsPerSecond() {
        return defaultFlopsPerSecond;
    }

    public double defaultMemoryBandwidthBytesPerSecond() {
        return defaultMemoryBandwidthBytesPerSecond;
    }

    public int defaultAntennas() {
        return defaultAntennas;
    }

    public double defaultEnergyBudgetJPerLayer() {
        return defaultEnergyBudgetJPerLayer;
    }

    public double defaultEnergyPerParameterJ() {
        return defaultEnergyPerParameterJ;
    }

    /** Parses a file identifier such as {@code raspberry-pi-5} (case-insensitive; underscores accepted). */
    public static Optional<DeviceKind> fromId(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DeviceKind k : values()) {
            if (k.id.equals(t)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** All file identifiers, for messages. */
    public static String allIds() {
        StringBuilder sb = new StringBuilder();
        for (DeviceKind k : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(k.id);
        }
        return sb.toString();
    }
}
