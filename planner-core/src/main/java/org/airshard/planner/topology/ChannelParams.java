package org.airshard.planner.topology;

/**
 * Parameters of the wireless channel between devices and the edge server (docs/model.md §Channel).
 *
 * <p>Large-scale loss: PL(d) [dB] = {@code referenceLossDb} + 10·η·log10(max(d, d0)/d0), η =
 * {@code pathLossExponent}, d0 = {@code referenceDistanceM}; β = 10^(−PL/10). Small-scale: block Rician
 * fading with factor K = 10^(ricianKDb/10), LoS part from uniform-linear-array steering vectors with
 * element spacing {@code antennaSpacingWavelengths}·λ.
 *
 * @param ricianKDb                 Rician K-factor in dB (−∞ … use a large negative value for Rayleigh)
 * @param pathLossExponent          η, dimensionless
 * @param referenceLossDb           path loss at the reference distance, dB
 * @param referenceDistanceM        d0, metres
 * @param carrierHz                 carrier frequency, Hz (sets λ for the array; informational otherwise)
 * @param bandwidthHz               B, uplink bandwidth; one complex channel use per 1/B seconds
 * @param coherenceTimeS            duration of one fading block, s
 * @param antennaSpacingWavelengths ULA element spacing in wavelengths (0.5 = half-wavelength)
 */
public record ChannelParams(
        double ricianKDb,
        double pathLossExponent,
        double referenceLossDb,
        double referenceDistanceM,
        double carrierHz,
        double bandwidthHz,
        double coherenceTimeS,
        double antennaSpacingWavelengths) {

    /** Defaults: Wi-Fi-like 5 GHz, 20 MHz, K = 3 dB, η = 3, 40 dB at 1 m, 10 ms blocks, λ/2 spacing. */
    public static ChannelParams defaults() {
        return new ChannelParams(3.0, 3.0, 40.0, 1.0, 5.0e9, 20.0e6, 0.01, 0.5);
    }

    /** Linear K-factor. */
    public double ricianK() {
        return Math.pow(10, ricianKDb / 10.0);
    }

    /** Path loss in dB at distance d (metres), clamped below at d0. */
    public double pathLossDb(double distanceM) {
        double d = Math.max(distanceM, referenceDistanceM);
        return referenceLossDb + 10.0 * pathLossExponent * Math.log10(d / referenceDistanceM);
    }

    /** Large-scale power gain β (linear) at distance d. */
    public double pathGain(double distanceM) {
        return Math.pow(10, -pathLossDb(distanceM) / 10.0);
    }

    /** Duration of one complex channel use, T_s = 1/B, seconds. */
    public double symbolTimeS() {
        return 1.0 / bandwidthHz;
    }
}
