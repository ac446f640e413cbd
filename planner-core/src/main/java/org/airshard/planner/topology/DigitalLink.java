package org.airshard.planner.topology;

/**
 * A digital link between two nodes (Ethernet, Wi-Fi Direct, USB …), used for pipeline hops. Links are
 * symmetric: the same rate and latency in both directions.
 *
 * @param from              one endpoint's id
 * @param to                the other endpoint's id
 * @param rateBitsPerSecond sustained throughput, bit/s
 * @param latencyS          one-way latency per message, s
 */
public record DigitalLink(String from, String to, double rateBitsPerSecond, double latencyS) {

    /** Whether this link joins a and b (either direction). */
    public boolean joins(String a, String b) {
        return (from.equals(a) && to.equals(b)) || (from.equals(b) && to.equals(a));
    }

    /** Time to send {@code bytes} over this link, latency included, s. */
    public double transferTimeS(double bytes) {
        return latencyS + 8.0 * bytes / rateBitsPerSecond;
    }
}
