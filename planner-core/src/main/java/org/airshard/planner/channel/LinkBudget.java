package org.airshard.planner.channel;

import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/**
 * Average (large-scale) link quality between each device and the server (docs/model.md §Link budget).
 * Uplink SNR per receive antenna at full transmit power: SNR_n = P_n^tx · β_n / σ². Downlink SNR at a
 * device: P_s · β_n · N_r / σ² (the server beamforms with array gain N_r; [ours] the device's receiver
 * noise is taken equal to the server's σ²).
 */
public final class LinkBudget {

    private LinkBudget() {
    }

    /** β_n for a device of the topology. */
    public static double pathGain(Topology t, Device d) {
        return t.channel().pathGain(t.distanceToServerM(d));
    }

    /** Average uplink SNR per receive antenna, linear. */
    public static double uplinkSnr(Topology t, Device d) {
        return d.maxTxPowerW() * pathGain(t, d) / t.server().noisePowerW();
    }

    /** Average downlink SNR at the device with N_r-fold array gain, linear. */
    public static double downlinkSnr(Topology t, Device d) {
        return t.server().txPowerW() * pathGain(t, d) * t.server().antennas() / t.server().noisePowerW();
    }

    /** Average uplink SNR in dB. */
    public static double uplinkSnrDb(Topology t, Device d) {
        return 10 * Math.log10(uplinkSnr(t, d));
    }
}
