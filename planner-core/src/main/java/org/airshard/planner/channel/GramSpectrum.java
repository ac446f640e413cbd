package org.airshard.planner.channel;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigenvalues of the Gram matrix HᴴH of a channel (N_t × N_t, Hermitian PSD). EJML has no complex
 * eigen-decomposition, so they come from the real symmetric embedding [[Re G, −Im G], [Im G, Re G]] of
 * G = HᴴH, whose spectrum is G's with every eigenvalue doubled.
 */
public final class GramSpectrum {

    private GramSpectrum() {
    }

    /** λ_i(HᴴH), largest first, clamped at 0. */
    public static double[] eigenvaluesDescending(ZMatrixRMaj h) {
        int nt = h.numCols;
        ZMatrixRMaj hH = new ZMatrixRMaj(nt, h.numRows);
        ZMatrixRMaj g = new ZMatrixRMaj(nt, nt);
        CommonOps_ZDRM.transposeConjugate(h, hH);
        CommonOps_ZDRM.mult(hH, h, g);
        DMatrixRMaj emb = new DMatrixRMaj(2 * nt, 2 * nt);
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < nt; j++) {
                double re = g.getReal(i, j), im = g.getImag(i, j);
                emb.set(i, j, re);
                emb.set(i + nt, j + nt, re);
                emb.set(i, j + nt, -im);
                emb.set(i + nt, j, im);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(2 * nt, false, true);
        if (!eig.decompose(emb)) {
            throw new ArithmeticException("eigen-decomposition of HᴴH failed");
        }
        double[] all = new double[2 * nt];
        for (int i = 0; i < 2 * nt; i++) {
            all[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(all);
        double[] out = new double[nt];
        for (int i = 0; i < nt; i++) {
            out[i] = Math.max(0, all[2 * nt - 1 - 2 * i]);
        }
        return out;
    }
}
