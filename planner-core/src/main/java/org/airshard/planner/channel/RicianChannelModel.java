package org.airshard.planner.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.airshard.planner.topology.ChannelParams;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;
import org.ejml.data.ZMatrixRMaj;

/**
 * Block Rician fading with distance-based path loss (docs/model.md §Channel):
 * <pre>
 *   H_n = √β_n · ( √(K/(K+1)) · a_r(θ_n) a_t(φ_n)ᴴ + √(1/(K+1)) · W_n ),   W_n i.i.d. CN(0, 1)
 * </pre>
 * β_n from the log-distance path loss of {@link ChannelParams}, a_r / a_t the server's N_r-element and
 * the device's N_t-element ULA responses ({@link UlaSteering}). Both arrays lie along the x axis of the
 * floor plan; θ_n is the angle of the device seen from the server and φ_n that of the server seen from
 * the device, both from broadside (the y axis): sin θ_n = (x_n − x_s)/d_n, sin φ_n = (x_s − x_n)/d_n.
 * Hence E‖H_n‖_F² = β_n N_r N_t. Realisations are independent across coherence blocks.
 */
public final class RicianChannelModel {

    private final List<String> ids = new ArrayList<>();
    private final double[] sqrtBeta;
    private final List<ZMatrixRMaj> los = new ArrayList<>();
    private final double losWeight;
    private final double nlosWeight;
    private final int nr;
    private final int[] nt;

    public RicianChannelModel(Topology topology) {
        ChannelParams c = topology.channel();
        Position s = topology.server().position();
        nr = topology.server().antennas();
        int n = topology.devices().size();
        sqrtBeta = new double[n];
        nt = new int[n];
        double k = c.ricianK();
        losWeight = Math.sqrt(k / (k + 1));
        nlosWeight = Math.sqrt(1 / (k + 1));
        for (int i = 0; i < n; i++) {
            Device d = topology.devices().get(i);
            ids.add(d.id());
            nt[i] = d.antennas();
            double dist = d.position().distanceM(s);
            sqrtBeta[i] = Math.sqrt(c.pathGain(dist));
            double sin = dist == 0 ? 0 : (d.position().xM() - s.xM()) / dist;
            ZMatrixRMaj ar = UlaSteering.response(nr, c.antennaSpacingWavelengths(), sin);
            ZMatrixRMaj at = UlaSteering.response(nt[i], c.antennaSpacingWavelengths(), -sin);
            ZMatrixRMaj l = new ZMatrixRMaj(nr, nt[i]);
            for (int r = 0; r < nr; r++) {
                for (int t = 0; t < nt[i]; t++) {
                    // a_r[r] · conj(a_t[t])
                    double ar_re = ar.getReal(r, 0), ar_im = ar.getImag(r, 0);
                    double at_re = at.getReal(t, 0), at_im = -at.getImag(t, 0);
                    l.set(r, t, ar_re * at_re - ar_im * at_im, ar_re * at_im + ar_im * at_re);
                }
            }
            los.add(l);
        }
    }

    /** Large-scale gain β_n of device n (linear). */
    public double pathGain(int n) {
        return sqrtBeta[n] * sqrtBeta[n];
    }

    /** Draws one realisation from {@code rng}. */
    public ChannelRealization sample(RandomGenerator rng) {
        List<ZMatrixRMaj> hs = new ArrayList<>(ids.size());
        double cn = Math.sqrt(0.5); // CN(0,1): real and imaginary parts each N(0, 1/2)
        for (int i = 0; i < ids.size(); i++) {
            ZMatrixRMaj l = los.get(i);
            ZMatrixRMaj h = new ZMatrixRMaj(nr, nt[i]);
            double sb = sqrtBeta[i];
            for (int r = 0; r < nr; r++) {
                for (int t = 0; t < nt[i]; t++) {
                    double re = losWeight * l.getReal(r, t) + nlosWeight * cn * rng.nextGaussian();
                    double im = losWeight * l.getImag(r, t) + nlosWeight * cn * rng.nextGaussian();
                    h.set(r, t, sb * re, sb * im);
                }
            }
            hs.add(h);
        }
        return new ChannelRealization(ids, hs);
    }
}
