package org.airshard.planner.topology;

/**
 * An edge device (board) taking part in distributed inference.
 *
 * @param id                    identifier, unique among all nodes
 * @param name                  display name
 * @param kind                  device kind (palette entry)
 * @param antennas              N_t transmit antennas
 * @param flopsPerSecond        sustained compute rate, FLOP/s
 * @param memoryBytes           memory available to AirShard on the device, bytes
 * @param memoryBandwidthBytesPerSecond sustained memory bandwidth, B/s (decoding streams every weight once per
 *                              token, so small boards are often bandwidth- rather than compute-bound)
 * @param energyBudgetJPerLayer P_n^max: energy the device may spend per decoder layer per token (compute of
 *                              its share plus the radio energy of the layer's two all-reduces), J
 * @param energyPerParameterJ   e_n: compute energy per parameter processed per token, J (≈ 2 FLOP × J/FLOP)
 * @param maxTxPowerDbm         regulatory / hardware cap on radio transmit power, dBm
 * @param position              position on the floor plan
 * @param agent                 where its agent listens, or null when it has none
 */
public record Device(
        String id,
        String name,
        DeviceKind kind,
        int antennas,
        double flopsPerSecond,
        long memoryBytes,
        double memoryBandwidthBytesPerSecond,
        double energyBudgetJPerLayer,
        double energyPerParameterJ,
        double maxTxPowerDbm,
        Position position,
        AgentAddress agent) {

    /** Transmit power cap in watts. */
    public double maxTxPowerW() {
        return Units.dbmToW(maxTxPowerDbm);
    }

    /** A device of the given kind with the kind's defaults. */
    public static Device ofKind(String id, String name, DeviceKind kind, Position position) {
        return new Device(id, name, kind, kind.defaultAntennas(), kind.defaultFlopsPerSecond(),
                kind.defaultMemoryBytes(), kind.defaultMemoryBandwidthBytesPerSecond(), kind.defaultEnergyBudgetJPerLayer(), kind.defaultEnergyPerParameterJ(),
                20.0, position, null);
    }

    public Device withId(String v) {
        return new Device(v, name, kind, antennas, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, energyPerParameterJ, maxTxPowerDbm, position, agent);
    }

    public Device withName(String v) {
        return new Device(id, v, kind, antennas, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, energyPerParameterJ, maxTxPowerDbm, position, agent);
    }

    public Device withKind(DeviceKind v) {
        return new Device(id, name, v, antennas, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, energyPerParameterJ, maxTxPowerDbm, position, agent);
    }

    public Device withAntennas(int v) {
        return new Device(id, name, kind, v, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, energyPerParameterJ, maxTxPowerDbm, position, agent);
    }

    public Device withFlopsPerSecond(double v) {
        return new Device(id, name, kind, antennas, v, memoryBytes, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, energyPerParameterJ, maxTxPowerDbm, position, agent);
    }

    public Device withMemoryBytes(long v) {
        return new Device(id, name, kind, antennas, flopsPerSecond, v, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, energyPerParameterJ, maxTxPowerDbm, position, agent);
    }

    public Device withMemoryBandwidthBytesPerSecond(double v) {
        return new Device(id, name, kind, antennas, flopsPerSecond, memoryBytes, v,
                energyBudgetJPerLayer, energyPerParameterJ, maxTxPowerDbm, position, agent);
    }

    public Device withEnergyBudgetJPerLayer(double v) {
        return new Device(id, name, kind, antennas, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond,
                v, energyPerParameterJ, maxTxPowerDbm, position, agent);
    }

    public Device withEnergyPerParameterJ(double v) {
        return new Device(id, name, kind, antennas, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, v, maxTxPowerDbm, position, agent);
    }

    public Device withMaxTxPowerDbm(double v) {
        return new Device(id, name, kind, antennas, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, energyPerParameterJ, v, position, agent);
    }

    public Device withAgent(AgentAddress v) {
        return new Device(id, name, kind, antennas, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond,
                energyBudgetJPerLayer, energyPerParameterJ, maxTxPowerDbm, position, v);
    }

    public Device withPosition(Position p) {
        return new Device(id, name, kind, antennas, flopsPerSecond, memoryBytes, memoryBandwidthBytesPerSecond, energyBudgetJPerLayer,
                energyPerParameterJ, maxTxPowerDbm, p, agent);
    }
}
