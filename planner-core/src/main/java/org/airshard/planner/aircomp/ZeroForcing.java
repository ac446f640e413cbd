package org.airshard.planner.aircomp;

import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;

/**
 * Zero-forcing transceivers and the closed-form scale of spec/aircomp.md §4.1–4.2.
 *
 * <p>For a receive matrix {@code A ∈ C^{N_r×L}} the MSE-optimal precoder of device n is the zero-forcing one
 * <pre>
 *   B_n = (Aᴴ H_n)ᴴ (Aᴴ H_n H_nᴴ A)⁻¹            (N_t × L)
 * </pre>
 * which gives {@code Aᴴ H_n B_n = I_L}, {@code MSE = σ² ‖A‖_F²} and {@code ‖B_n‖_F² = tr((Aᴴ H_n H_nᴴ A)⁻¹)}.
 * Writing {@code A = √α G} with {@code ‖G‖_F = 1}, the smallest α meeting every budget
 * {@code (L0/L) ‖B_n‖_F² ≤ E_n} is
 * <pre>
 *   α*(G) = max_n (L0/L) τ_n(G) / E_n,     τ_n(G) = tr((Gᴴ H_n H_nᴴ G)⁻¹),
 * </pre>
 * and then {@code MSE = σ² α*(G)}. Static methods only; nothing is modified.
 */
public final class ZeroForcing {

    private ZeroForcing() {
    }

    /** {@code Gᴴ H Hᴴ G} (L × L, Hermitian PSD). */
    public static ZMatrixRMaj effectiveGram(ZMatrixRMaj g, ZMatrixRMaj h) {
        ZMatrixRMaj hg = new ZMatrixRMaj(h.numCols, g.numCols);
        CommonOps_ZDRM.multTransA(h, g, hg); // Hᴴ G, N_t × L
        ZMatrixRMaj k = new ZMatrixRMaj(g.numCols, g.numCols);
        CommonOps_ZDRM.multTransA(hg, hg, k); // Gᴴ H Hᴴ G
        ComplexLinalg.hermitianPart(k);
        return k;
    }

    /** {@code τ(G) = tr((Gᴴ H Hᴴ G)⁻¹)}; {@code +∞} if {@code Gᴴ H} is rank deficient. */
    public static double tau(ZMatrixRMaj g, ZMatrixRMaj h) {
        return ComplexLinalg.traceOfInverse(effectiveGram(g, h));
    }

    /**
     * Exact optimal scale {@code α*(G) = max_n (L0/L) τ_n(Ĝ) / E_n} for the direction {@code Ĝ = G/‖G‖_F} (any
     * nonzero {@code G} is accepted; the value is that of its normalised direction).
     *
     * @return α*, or {@code +∞} if some {@code Gᴴ H_n} is rank deficient
     */
    public static double alphaStar(AircompProblem p, ZMatrixRMaj g) {
        double norm2 = ComplexLinalg.frobeniusSquared(g);
        double worst = 0;
        for (AircompDevice d : p.devices()) {
            double v = p.channelUsesPerAllReduce() * tau(g, d.channel()) / d.transmitBudget();
            worst = Math.max(worst, v);
        }
        return worst * norm2; // τ is homogeneous of degree −2 in G
    }

    /** Index of the device attaining the max in α*(G) (the one whose budget is tight). */
    public static int bindingDevice(AircompProblem p, ZMatrixRMaj g) {
        int best = 0;
        double worst = -1;
        for (int n = 0; n < p.devices().size(); n++) {
            AircompDevice d = p.devices().get(n);
            double v = tau(g, d.channel()) / d.transmitBudget();
            if (v > worst) {
                worst = v;
                best = n;
            }
        }
        return best;
    }

    /**
     * Zero-forcing precoder {@code B = (Aᴴ H)ᴴ (Aᴴ H Hᴴ A)⁻¹} (N_t × L).
     *
     * @throws IllegalArgumentException if {@code Aᴴ H} is rank deficient (no zero-forcing precoder exists)
     */
    public static ZMatrixRMaj precoder(ZMatrixRMaj a, ZMatrixRMaj h) {
        ZMatrixRMaj ahT = new ZMatrixRMaj(h.numCols, a.numCols);
        CommonOps_ZDRM.multTransA(h, a, ahT); // Hᴴ A = (Aᴴ H)ᴴ, N_t × L
        ZMatrixRMaj k = new ZMatrixRMaj(a.numCols, a.numCols);
        CommonOps_ZDRM.multTransA(ahT, ahT, k); // Aᴴ H Hᴴ A
        ComplexLinalg.hermitianPart(k);
        ZMatrixRMaj kinv = ComplexLinalg.inverseHpd(k);
        if (kinv == null) {
            throw new IllegalArgumentException("Aᴴ H is rank deficient: no zero-forcing precoder");
        }
        ZMatrixRMaj b = new ZMatrixRMaj(h.numCols, a.numCols);
        CommonOps_ZDRM.mult(ahT, kinv, b);
        return b;
    }

    /** Transmit energy per all-reduce of a precoder: {@code (L0/L) ‖B_n‖_F²}. */
    public static double transmitEnergy(AircompProblem p, ZMatrixRMaj b) {
        return p.channelUsesPerAllReduce() * ComplexLinalg.frobeniusSquared(b);
    }

    /**
     * The full MSE of §2 for arbitrary transceivers: {@code Σ_n ‖Aᴴ H_n B_n − I‖_F² + σ² ‖A‖_F²} (equals
     * {@code σ² ‖A‖_F²} for zero-forcing precoders).
     */
    public static double mse(AircompProblem p, ZMatrixRMaj a, java.util.List<ZMatrixRMaj> b) {
        int l = a.numCols;
        double sum = p.noisePower() * ComplexLinalg.frobeniusSquared(a);
        for (int n = 0; n < p.devices().size(); n++) {
            ZMatrixRMaj h = p.devices().get(n).channel();
            ZMatrixRMaj ah = new ZMatrixRMaj(l, h.numCols);
            CommonOps_ZDRM.multTransA(a, h, ah);
            ZMatrixRMaj e = new ZMatrixRMaj(l, l);
            CommonOps_ZDRM.mult(ah, b.get(n), e);
            for (int i = 0; i < l; i++) {
                e.setReal(i, i, e.getReal(i, i) - 1);
            }
            sum += ComplexLinalg.frobeniusSquared(e);
        }
        return sum;
    }
}
