package org.airshard.planner.channel;

import org.ejml.data.ZMatrixRMaj;

/**
 * Uniform-linear-array response. For an N-element array with spacing Δ (in wavelengths) and a plane wave
 * at angle θ from broadside, a(θ)_k = exp(j·2π·Δ·k·sin θ), k = 0..N−1 (unit-modulus entries, ‖a‖² = N).
 */
public final class UlaSteering {

    private UlaSteering() {
    }

    /** a(θ) as an N×1 complex column, given sin θ. */
    public static ZMatrixRMaj response(int elements, double spacingWavelengths, double sinTheta) {
        ZMatrixRMaj a = new ZMatrixRMaj(elements, 1);
        for (int k = 0; k < elements; k++) {
            double phase = 2 * Math.PI * spacingWavelengths * k * sinTheta;
            a.set(k, 0, Math.cos(phase), Math.sin(phase));
        }
        return a;
    }
}
