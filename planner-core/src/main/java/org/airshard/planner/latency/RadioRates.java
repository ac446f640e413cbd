package org.airshard.planner.latency;

import java.util.SplittableRandom;
import org.airshard.planner.channel.ChannelRealization;
import org.airshard.planner.channel.LinkBudget;
import org.airshard.planner.channel.RicianChannelModel;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.channel.GramSpectrum;
import org.ejml.data.ZMatrixRMaj;

/**
 * Digital rates over the wireless channel (docs/model.md §Rates).
 *
 * <p>Uplink, device n alone on a band of width b: ergodic MIMO capacity with equal power over its N_t
 * antennas, R_n = b · E_H[Σ_i min(η_max, log2(1 + (P_n/N_t)/(σ²·b/B) · λ_i(H_nᴴ H_n)))], estimated on
 * seeded samples of the topology's channel model (noise power scales with the band: σ²·b/B; η_max the
 * per-stream cap of practical modulation). Downlink broadcast: the rate the weakest device supports,
 * B · min(η_max, log2(1 + min_n SNR_n^dl)) ({@link LinkBudget#downlinkSnr}).
 */
public final class RadioRates {

    /** Seed of the channel samples behind the ergodic rates in every prediction (reproducible analyses). */
    public static final long DEFAULT_SEED = 1L;

    /** Channel samples used for ergodic rates. */
    public static final int ERGODIC_SAMPLES = 256;

    private final Topology topology;
    private final double[] spectralEfficiencyFullBand;
    private final double[] spectralEfficiencyPerSubband;

    /**
     * Precomputes ergodic spectral efficiencies (bit/s/Hz) for each device on the full band and on a
     * 1/N sub-band, from {@link #ERGODIC_SAMPLES} seeded samples.
     */
    /** Rates from the default seed. */
    public RadioRates(Topology topology) {
        this(topology, DEFAULT_SEED);
    }

    public RadioRates(Topology topology, long seed) {
        this.topology = topology;
        int n = topology.devices().size();
        spectralEfficiencyFullBand = new double[n];
        spectralEfficiencyPerSubband = new double[n];
        RicianChannelModel model = new RicianChannelModel(topology);
        SplittableRandom rng = new SplittableRandom(seed);
        double sigma2 = topology.server().noisePowerW();
        for (int s = 0; s < ERGODIC_SAMPLES; s++) {
            ChannelRealization r = model.sample(rng);
            for (int i = 0; i < n; i++) {
                Device d = topology.devices().get(i);
                double p = d.maxTxPowerW() / d.antennas();
                spectralEfficiencyFullBand[i] += cappedLog2Det(r.h(i), p / sigma2) / ERGODIC_SAMPLES;
                spectralEfficiencyPerSubband[i] += cappedLog2Det(r.h(i), p / (sigma2 / n)) / ERGODIC_SAMPLES;
            }
        }
    }

    /**
     * Σ_i min(η_max, log2(1 + c·λ_i)) over the eigenvalues λ_i of HᴴH: the MIMO capacity with equal power
     * per antenna, each eigen-stream capped at {@link ModelConstants#MAX_SPECTRAL_EFFICIENCY_PER_STREAM}.
     */
    static double cappedLog2Det(ZMatrixRMaj h, double c) {
        double sum = 0;
        for (double lambda : GramSpectrum.eigenvaluesDescending(h)) {
            sum += Math.min(ModelConstants.MAX_SPECTRAL_EFFICIENCY_PER_STREAM, Math.log1p(c * lambda) / Math.log(2));
        }
        return sum;
    }

    /** Ergodic uplink rate of device n alone on the full band, bit/s. */
    public double uplinkRateFullBandBps(int n) {
        return topology.channel().bandwidthHz() * spectralEfficiencyFullBand[n];
    }

    /** Ergodic uplink rate of device n on its 1/N OFDMA sub-band, bit/s. */
    public double uplinkRateSubbandBps(int n) {
        return topology.channel().bandwidthHz() / topology.devices().size() * spectralEfficiencyPerSubband[n];
    }

    /** Downlink broadcast rate (weakest device), bit/s. */
    public double broadcastRateBps() {
        double minSnr = Double.POSITIVE_INFINITY;
        for (Device d : topology.devices()) {
            minSnr = Math.min(minSnr, LinkBudget.downlinkSnr(topology, d));
        }
        return topology.channel().bandwidthHz() * cappedLog2(minSnr);
    }

    /** Downlink rate to one device, bit/s. */
    public double downlinkRateBps(Device d) {
        return topology.channel().bandwidthHz() * cappedLog2(LinkBudget.downlinkSnr(topology, d));
    }

    /** min(η_max, log2(1 + snr)). */
    static double cappedLog2(double snr) {
        return Math.min(ModelConstants.MAX_SPECTRAL_EFFICIENCY_PER_STREAM, Math.log1p(snr) / Math.log(2));
    }
}
