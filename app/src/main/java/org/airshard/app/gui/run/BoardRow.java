package org.airshard.app.gui.run;

/**
 * One board in the boards panel: a topology device with an agent address, a local board, or a host added
 * by hand. Immutable; the ViewModel replaces rows.
 *
 * @param deviceId      topology device id, or null for a board not in the topology
 * @param name          name reported by the agent (or the device name before it answered)
 * @param address       host:port of the agent's control plane
 * @param state         ONLINE, OFFLINE, UNKNOWN (not asked yet), LOST (failed during a run)
 * @param version       Java and ONNX Runtime versions reported by the agent, or ""
 * @param cpus          logical CPUs, or 0 when unknown
 * @param memoryBytes   physical memory, or 0 when unknown
 * @param flopsPerSecond measured fp32 FLOP/s of one core, or 0 when not measured
 * @param fingerprint   SHA-256 of the agent's certificate, or ""
 * @param paired        a token is known for it (its certificate is pinned on first use)
 * @param local         started by this application
 * @param message       last error or note, or ""
 */
public record BoardRow(String deviceId, String name, String address, State state, String version, int cpus,
                       long memoryBytes, double flopsPerSecond, String fingerprint, boolean paired, boolean local,
                       String message) {

    public enum State { UNKNOWN, ONLINE, OFFLINE, LOST }

    public static BoardRow of(String deviceId, String name, String address) {
        return new BoardRow(deviceId, name, address, State.UNKNOWN, "", 0, 0, 0, "", false, false, "");
    }

    public BoardRow withState(State s, String msg) {
        return new BoardRow(deviceId, name, address, s, version, cpus, memoryBytes, flopsPerSecond, fingerprint, paired, local, msg);
    }

    public BoardRow withAddress(String a) {
        return new BoardRow(deviceId, name, a, state, version, cpus, memoryBytes, flopsPerSecond, fingerprint, paired, local, message);
    }

    public BoardRow withPaired(boolean p, boolean isLocal) {
        return new BoardRow(deviceId, name, address, state, version, cpus, memoryBytes, flopsPerSecond, fingerprint, p, isLocal, message);
    }

    public BoardRow withHello(String n, String v, int c, long mem, double flops, String fp) {
        return new BoardRow(deviceId, n, address, State.ONLINE, v, c, mem, flops > 0 ? flops : flopsPerSecond, fp, paired, local, "");
    }

    public boolean online() {
        return state == State.ONLINE;
    }
}
