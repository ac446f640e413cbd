package org.airshard.planner.topology;

/**
 * The edge server / access point: the AirComp receiver (N_r antennas) and, for tensor parallelism, the
 * aggregator that holds the embedding, final norm and LM head and broadcasts each block's input.
 *
 * @param id             identifier, unique among all nodes
 * @param name           display name
 * @param antennas       N_r receive antennas
 * @param noisePowerDbm  σ², receiver noise power over the whole bandwidth, dBm
 * @param txPowerDbm     downlink (broadcast) transmit power, dBm
 * @param flopsPerSecond sustained compute rate for the server-side work (head, AirComp estimation), FLOP/s
 * @param memoryBytes    memory available for the server-side weights, bytes
 * @param memoryBandwidthBytesPerSecond sustained memory bandwidth for the server-side work, B/s
 * @param position       position on the floor plan
 * @param agent          where its agent listens, or null when it has none
 */
public record EdgeServer(
        String id,
        String name,
        int antennas,
        double noisePowerDbm,
        double txPowerDbm,
        double flopsPerSecond,
        long memoryBytes,
        double memoryBandwidthBytesPerSecond,
        Position position,
        AgentAddress agent) {

    /** σ² in watts. */
    public double noisePowerW() {
        return Units.dbmToW(noisePowerDbm);
    }

    /** Downlink transmit power in watts. */
    public double txPowerW() {
        return Units.dbmToW(txPowerDbm);
    }

    public EdgeServer withId(String v) {
        return new EdgeServer(v, name, antennas, noisePowerDbm, txPowerDbm, flopsPerSecond, memoryBytes,
                memoryBandwidthBytesPerSecond, position, agent);
    }

    public EdgeServer withName(String v) {
        return new EdgeServer(id, v, antennas, noisePowerDbm, txPowerDbm, flopsPerSecond, memoryBytes,
                memoryBandwidthBytesPerSecond, position, agent);
    }

    public EdgeServer withAntennas(int v) {
        return new EdgeServer(id, name, v, noisePowerDbm, txPowerDbm, flopsPerSecond, memoryBytes,
                memoryBandwidthBytesPerSecond, position, agent);
    }

    public EdgeServer withNoisePowerDbm(double v) {
        return new EdgeServer(id, name, antennas, v, txPowerDbm, flopsPerSecond, memoryBytes,
                memoryBandwidthBytesPerSecond, position, agent);
    }

    public EdgeServer withTxPowerDbm(double v) {
        return new EdgeServer(id, name, antennas, noisePowerDbm, v, flopsPerSecond, memoryBytes,
                memoryBandwidthBytesPerSecond, position, agent);
    }

    public EdgeServer withFlopsPerSecond(double v) {
        return new EdgeServer(id, name, antennas, noisePowerDbm, txPowerDbm, v, memoryBytes,
                memoryBandwidthBytesPerSecond, position, agent);
    }

    public EdgeServer withMemoryBytes(long v) {
        return new EdgeServer(id, name, antennas, noisePowerDbm, txPowerDbm, flopsPerSecond, v,
                memoryBandwidthBytesPerSecond, position, agent);
    }

    public EdgeServer withMemoryBandwidthBytesPerSecond(double v) {
        return new EdgeServer(id, name, antennas, noisePowerDbm, txPowerDbm, flopsPerSecond, memoryBytes, v,
                position, agent);
    }

    public EdgeServer withPosition(Position v) {
        return new EdgeServer(id, name, antennas, noisePowerDbm, txPowerDbm, flopsPerSecond, memoryBytes,
                memoryBandwidthBytesPerSecond, v, agent);
    }

    public EdgeServer withAgent(AgentAddress v) {
        return new EdgeServer(id, name, antennas, noisePowerDbm, txPowerDbm, flopsPerSecond, memoryBytes,
                memoryBandwidthBytesPerSecond, position, v);
    }
}
