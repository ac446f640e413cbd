package org.airshard.planner.latency;

/**
 * Roofline time of a piece of work: it cannot finish faster than its FLOPs at the device's FLOP rate nor
 * than its memory traffic at the device's bandwidth, t = max(F/f, B/β) (docs/model.md §Compute time).
 * Decoding one token reads every weight once, so on small boards β usually decides.
 */
public final class Roofline {

    private Roofline() {
    }

    /** max(flops / flopsPerSecond, bytes / bytesPerSecond), seconds. */
    public static double timeS(double flops, double bytes, double flopsPerSecond, double bytesPerSecond) {
        return Math.max(flops / flopsPerSecond, bytes / bytesPerSecond);
    }
}
