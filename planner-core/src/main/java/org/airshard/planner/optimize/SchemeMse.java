package org.airshard.planner.optimize;

import org.airshard.planner.channel.ChannelRealization;
import org.airshard.planner.energy.AircompBudget;
import org.airshard.planner.latency.ModelConstants;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.channel.GramSpectrum;

/**
 * All-reduce MSE of the baseline schemes on one channel realisation, per L-symbol vector of unit-variance
 * complex symbols, in the same units as AirComp's σ²·α (docs/model.md §Baseline MSE):
 * <ul>
 *   <li><b>digital 8-bit OFDMA</b>: rates are chosen below capacity, so the only error is quantisation:
 *   each real part is clipped to ±{@value #CLIP_SIGMAS}σ and quantised to 8 bits (step Δ = 2·4/2⁸), error
 *   Δ²/12 per real value; N devices' partial sums add N such errors; per L-vector
 *   MSE = L · 2 · N · Δ²/12 (clipping of a Gaussian at 4σ adds 2·10⁻⁴ relative, neglected);</li>
 *   <li><b>uncoded FDMA</b>: device n alone on a B/N sub-band (noise σ²/N), zero-forcing receive, power
 *   allocated over its L strongest eigen-modes to minimise the error:
 *   MSE_n = (σ²/N)·(Σ_{i≤L} λ_i^{−1/2})² / P_n, λ_i the eigenvalues of H_nᴴH_n and P_n its transmit power
 *   (the energy allowance spread over N times longer channel uses, capped at P_n^tx); MSE = Σ_n MSE_n.</li>
 * </ul>
 */
public final class SchemeMse {

    /** Clipping range of the digital quantiser in standard deviations. */
    public static final double CLIP_SIGMAS = 4;

    private SchemeMse() {
    }

    /** Digital 8-bit OFDMA: quantisation error per L-vector. */
    public static double digital(int devices, int streams) {
        double step = 2 * CLIP_SIGMAS / Math.pow(2, ModelConstants.DIGITAL_BITS_PER_VALUE);
        return streams * 2.0 * devices * step * step / 12;
    }

    /** Uncoded FDMA on realisation h with shares m. */
    public static double uncodedFdma(Topology t, ModelSpec model, double[] m, ChannelRealization h) {
        int n = t.devices().size();
        int l = t.effectiveStreams();
        double sigma2 = t.server().noisePowerW() / n;
        double channelUses = (double) model.allReduceSymbolsPerToken() / l;
        double total = 0;
        for (int i = 0; i < n; i++) {
            Device d = t.devices().get(i);
            // energy allowance (J) over channel uses lasting N·T_s each
            double allowanceJ = (d.energyBudgetJPerLayer() - AircompBudget.computeEnergyJ(d, model, m[i])) / 2;
            double power = Math.min(d.maxTxPowerW(), allowanceJ / (channelUses * n * t.channel().symbolTimeS()));
            if (power <= 0) {
                return Double.POSITIVE_INFINITY;
            }
            double[] lambda = GramSpectrum.eigenvaluesDescending(h.h(i));
            if (lambda.length < l || lambda[l - 1] <= 0) {
                return Double.POSITIVE_INFINITY;
            }
            double s = 0;
            for (int k = 0; k < l; k++) {
                s += 1 / Math.sqrt(lambda[k]);
            }
            total += sigma2 * s * s / power;
        }
        return total;
    }
}
