package org.airshard.planner.aircomp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.airshard.planner.io.InputException;
import org.airshard.planner.io.InputProblem;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;

/**
 * A short-term AirComp transceiver design problem P_s (spec/aircomp.md §2, §4): given the channels and the
 * energy left after computing, choose the server's receive matrix {@code A ∈ C^{N_r×L}} and the devices'
 * precoders {@code B_n ∈ C^{N_t×L}} minimising the all-reduce MSE.
 *
 * <p>Symbols: N devices, {@code H_n ∈ C^{N_r×N_t}}, noise power σ² ({@link #noisePower}), L streams
 * ({@link #streams}), L0 complex symbols per all-reduce ({@link #payloadSymbols}), transmit budget
 * {@code E_n = P_n^max − e_n m_n s_tot}. Build instances with {@link #of}, which validates everything a user can
 * get wrong and reports every problem at once, naming the device.
 *
 * @param noisePower     σ², receiver noise power per antenna, in the same energy unit as the budgets per symbol
 * @param streams        L, complex symbols per channel use (per device)
 * @param payloadSymbols L0, complex symbols per all-reduce; one all-reduce takes L0/L channel uses
 * @param devices        the N devices, in order
 */
public record AircompProblem(double noisePower, int streams, long payloadSymbols, List<AircompDevice> devices) {

    /**
     * Numerical rank tolerance: an eigenvalue of {@code H_nᴴ H_n} below this fraction of the largest one counts
     * as zero (a singular value below 1e-6 of the largest).
     */
    public static final double RANK_TOLERANCE = 1e-12;

    public AircompProblem {
        devices = List.copyOf(devices);
    }

    /** N_r (all devices share the server). */
    public int receiveAntennas() {
        return devices.get(0).receiveAntennas();
    }

    /** {@code L0 / L}: channel uses per all-reduce. */
    public double channelUsesPerAllReduce() {
        return (double) payloadSymbols / streams;
    }

    /**
     * Validates and builds a problem.
     *
     * @param source file or argument name used in messages (may be empty)
     * @throws InputException naming every problem found: device, JSON-style path and reason
     */
    public static AircompProblem of(String source, double noisePower, int streams, long payloadSymbols,
            List<AircompDevice> devices) throws InputException {
        List<InputProblem> problems = new ArrayList<>();
        if (!Double.isFinite(noisePower) || noisePower <= 0) {
            problems.add(new InputProblem(source, "$.noisePower", "noise power must be a finite number > 0, got " + noisePower));
        }
        if (streams < 1) {
            problems.add(new InputProblem(source, "$.streams", "streams L must be at least 1, got " + streams));
        }
        if (payloadSymbols < 1) {
            problems.add(new InputProblem(source, "$.payloadSymbols", "payloadSymbols L0 must be at least 1, got " + payloadSymbols));
        }
        if (devices == null || devices.isEmpty()) {
            problems.add(new InputProblem(source, "$.devices", "at least one device is required"));
            throw new InputException(problems);
        }
        int nr = devices.get(0).channel() == null ? -1 : devices.get(0).channel().numRows;
        Set<String> ids = new HashSet<>();
        for (int n = 0; n < devices.size(); n++) {
            AircompDevice d = devices.get(n);
            String path = "$.devices[" + n + "]";
            String who = "device '" + d.id() + "'";
            if (d.id() == null || d.id().isBlank()) {
                problems.add(new InputProblem(source, path + ".id", "device " + n + " has no id"));
                who = "device " + n;
            } else if (!ids.add(d.id())) {
                problems.add(new InputProblem(source, path + ".id", who + ": duplicate id"));
            }
            if (!Double.isFinite(d.budget())) {
                problems.add(new InputProblem(source, path + ".budget", who + ": budget must be finite, got " + d.budget()));
            }
            if (!Double.isFinite(d.computeEnergy()) || d.computeEnergy() < 0) {
                problems.add(new InputProblem(source, path + ".computeEnergy",
                        who + ": computeEnergy must be finite and >= 0, got " + d.computeEnergy()));
            }
            if (Double.isFinite(d.budget()) && Double.isFinite(d.computeEnergy()) && !(d.transmitBudget() > 0)) {
                problems.add(new InputProblem(source, path + ".budget", who + ": infeasible budget: budget " + d.budget()
                        + " minus computeEnergy " + d.computeEnergy() + " leaves E_n = " + d.transmitBudget()
                        + " for transmission; it must be > 0 (give the device a smaller model share or a larger budget)"));
            }
            ZMatrixRMaj h = d.channel();
            if (h == null) {
                problems.add(new InputProblem(source, path + ".H", who + ": channel matrix H is missing"));
                continue;
            }
            if (h.numRows < 1 || h.numCols < 1) {
                problems.add(new InputProblem(source, path + ".H", who + ": channel matrix H is empty"));
                continue;
            }
            if (h.numRows != nr) {
                problems.add(new InputProblem(source, path + ".H", who + ": H has " + h.numRows
                        + " rows (receive antennas N_r) but device 0 has " + nr + "; all devices talk to the same server"));
                continue;
            }
            boolean finite = true;
            for (int i = 0; i < h.numRows && finite; i++) {
                for (int j = 0; j < h.numCols; j++) {
                    if (!Double.isFinite(h.getReal(i, j)) || !Double.isFinite(h.getImag(i, j))) {
                        problems.add(new InputProblem(source, path + ".H[" + i + "][" + j + "]",
                                who + ": H contains a non-finite value (" + h.getReal(i, j) + " + " + h.getImag(i, j) + "i)"));
                        finite = false;
                        break;
                    }
                }
            }
            if (!finite || streams < 1) {
                continue;
            }
            if (h.numRows < streams) {
                problems.add(new InputProblem(source, path + ".H", who + ": the server has N_r = " + h.numRows
                        + " receive antennas, fewer than L = " + streams + " streams; zero-forcing needs N_r >= L"));
                continue;
            }
            if (h.numCols < streams) {
                problems.add(new InputProblem(source, path + ".H", who + ": the device has N_t = " + h.numCols
                        + " transmit antennas, fewer than L = " + streams + " streams; zero-forcing needs N_t >= L"));
                continue;
            }
            int rank = numericalRank(h);
            if (rank < streams) {
                problems.add(new InputProblem(source, path + ".H", who + ": rank-deficient channel: numerical rank "
                        + rank + " < L = " + streams + " streams (zero-forcing impossible)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        return new AircompProblem(noisePower, streams, payloadSymbols, devices);
    }

    /** Number of eigenvalues of {@code Hᴴ H} above {@link #RANK_TOLERANCE} times the largest. */
    public static int numericalRank(ZMatrixRMaj h) {
        ZMatrixRMaj gram = new ZMatrixRMaj(h.numCols, h.numCols);
        CommonOps_ZDRM.multTransA(h, h, gram);
        double[] ev = ComplexLinalg.eigen(gram, false).values();
        if (!(ev[0] > 0)) {
            return 0;
        }
        int rank = 0;
        for (double v : ev) {
            if (v > RANK_TOLERANCE * ev[0]) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * Whether the SDR of §4.3 gives the bound it is meant to: every device has N_t = L. Otherwise
     * ({@code L < N_t} or unequal N_t) the short-term solver falls back to randomized starts + polish.
     */
    public boolean sdrApplicable() {
        for (AircompDevice d : devices) {
            if (d.transmitAntennas() != streams) {
                return false;
            }
        }
        return true;
    }
}
