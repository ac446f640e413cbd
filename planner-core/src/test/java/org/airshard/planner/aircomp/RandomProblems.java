package org.airshard.planner.aircomp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.airshard.planner.io.InputException;
import org.ejml.data.ZMatrixRMaj;

/** Seeded random test inputs. */
public final class RandomProblems {

    private RandomProblems() {
    }

    /** i.i.d. CN(0, 1) entries. */
    public static ZMatrixRMaj gaussian(Random rng, int rows, int cols) {
        ZMatrixRMaj m = new ZMatrixRMaj(rows, cols);
        double s = Math.sqrt(0.5);
        for (int i = 0; i < m.getDataLength(); i++) {
            m.data[i] = s * rng.nextGaussian();
        }
        return m;
    }

    /** N devices with the given antenna counts (one per device), Rayleigh channels with path gains in [0.1, 1]. */
    public static AircompProblem problem(long seed, int nr, int streams, int... nt) {
        Random rng = new Random(seed);
        List<AircompDevice> devices = new ArrayList<>();
        for (int n = 0; n < nt.length; n++) {
            ZMatrixRMaj h = gaussian(rng, nr, nt[n]);
            double gain = Math.sqrt(Math.pow(10, -rng.nextDouble()));
            for (int i = 0; i < h.getDataLength(); i++) {
                h.data[i] *= gain;
            }
            double budget = 0.5 + 1.5 * rng.nextDouble();
            devices.add(new AircompDevice("dev" + (n + 1), h, budget, 0.4 * rng.nextDouble() * budget));
        }
        try {
            return AircompProblem.of("random", 1e-3, streams, 512, devices);
        } catch (InputException e) {
            throw new IllegalStateException(e);
        }
    }
}
