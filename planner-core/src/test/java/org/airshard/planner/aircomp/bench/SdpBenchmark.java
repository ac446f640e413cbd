package org.airshard.planner.aircomp.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.airshard.planner.aircomp.AircompDevice;
import org.airshard.planner.aircomp.AircompProblem;
import org.airshard.planner.aircomp.AircompProblemIo;
import org.airshard.planner.aircomp.Fixtures;
import org.airshard.planner.aircomp.ShortTermOptions;
import org.airshard.planner.aircomp.ShortTermResult;
import org.airshard.planner.aircomp.ShortTermSolver;
import org.airshard.planner.aircomp.sdp.SdpOptions;
import org.airshard.planner.aircomp.sdp.SdpResult;
import org.airshard.planner.aircomp.sdp.SdrSolver;
import org.airshard.planner.io.InputException;
import org.ejml.data.ZMatrixRMaj;

/**
 * Times {@link SdrSolver} against the CVXOPT times recorded next to the instances, and compares the final α with
 * the paper's method (SDR + 1000-sample randomization, no polish). Not a test; run by hand:
 * <pre>
 *   mvn -q -pl planner-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp planner-core/target/test-classes:planner-core/target/classes:$(cat /tmp/cp.txt) \
 *        org.airshard.planner.aircomp.bench.SdpBenchmark [DIR] [warm|cold NAME|alpha]
 * </pre>
 * DIR defaults to the test fixtures; {@code gen_aircomp_bench.py} writes a larger grid. {@code warm}: every
 * instance warmed up, then the median of repeated solves. {@code cold NAME}: one solve of one instance in this
 * (fresh) JVM, the time a command-line user pays. {@code alpha [STARTS [ITERATIONS]]}: α of SDR + randomization vs
 * after the polish (of the best STARTS candidates, ITERATIONS L-BFGS steps per stage).
 */
public final class SdpBenchmark {

    private SdpBenchmark() {
    }

    public static void main(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : Fixtures.dir();
        String mode = args.length > 1 ? args[1] : "warm";
        switch (mode) {
            case "cold" -> cold(dir, args[2]);
            case "alpha" -> alpha(dir, args.length > 2 ? Integer.parseInt(args[2]) : ShortTermOptions.DEFAULT.polishStarts(),
                    args.length > 3 ? Integer.parseInt(args[3]) : ShortTermOptions.DEFAULT.polishIterations());
            default -> warm(dir);
        }
    }

    static SdpResult solve(AircompProblem p) {
        List<ZMatrixRMaj> hs = new ArrayList<>();
        double[] w = new double[p.devices().size()];
        for (int n = 0; n < w.length; n++) {
            AircompDevice d = p.devices().get(n);
            hs.add(d.channel());
            w[n] = d.transmitBudget() / p.payloadSymbols();
        }
        return SdrSolver.solve(hs, w, SdpOptions.DEFAULT);
    }

    static void cold(Path dir, String name) {
        long t0 = System.nanoTime();
        AircompProblem p;
        try {
            p = AircompProblemIo.read(dir.resolve(name + ".json"));
        } catch (InputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        long t1 = System.nanoTime();
        SdpResult r = solve(p);
        long t2 = System.nanoTime();
        Fixtures.Instance inst = Fixtures.load(dir).stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
        System.out.printf(Locale.ROOT, "%s cold: read %.1f ms, solve %.1f ms (%s, %d it), CVXOPT best %.1f ms, ratio %.2f%n",
                name, (t1 - t0) / 1e6, (t2 - t1) / 1e6, r.status(), r.iterations(), inst.cvxoptBestSeconds() * 1e3,
                inst.cvxoptBestSeconds() * 1e9 / (t2 - t1));
    }

    static void warm(Path dir) {
        List<Fixtures.Instance> all = Fixtures.load(dir);
        for (int rep = 0; rep < 3; rep++) {
            for (Fixtures.Instance i : all) {
                solve(i.problem());
            }
        }
        System.out.printf(Locale.ROOT, "%-16s %3s %4s %3s %4s %11s %11s %9s %10s %10s%n", "instance", "N", "N_r", "N_t",
                "it", "java_ms", "cvxopt_ms", "speedup", "rel_err", "status");
        List<Double> ratios = new ArrayList<>();
        for (Fixtures.Instance i : all) {
            int runs = 15;
            double[] ms = new double[runs];
            SdpResult r = null;
            for (int k = 0; k < runs; k++) {
                long t0 = System.nanoTime();
                r = solve(i.problem());
                ms[k] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            double median = ms[runs / 2];
            double cv = i.cvxoptBestSeconds() * 1e3;
            double ratio = cv / median;
            ratios.add(ratio);
            AircompProblem p = i.problem();
            System.out.printf(Locale.ROOT, "%-16s %3d %4d %3d %4d %11.3f %11.3f %9.2f %10.1e %10s%n", i.name(),
                    p.devices().size(), p.receiveAntennas(), p.devices().get(0).transmitAntennas(), r.iterations(), median,
                    cv, ratio, Math.abs(r.value() - i.sdpValue()) / i.sdpValue(), r.status());
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double geo = Math.exp(ratios.stream().mapToDouble(Math::log).average().orElse(0));
        System.out.printf(Locale.ROOT, "speedup (CVXOPT best formulation time / Java warm median): median %.2f, geometric mean %.2f, min %.2f, max %.2f%n",
                sorted[sorted.length / 2], geo, sorted[0], sorted[sorted.length - 1]);
    }

    static void alpha(Path dir, int polishStarts, int polishIterations) {
        List<Fixtures.Instance> all = Fixtures.load(dir);
        System.out.printf(Locale.ROOT, "%-16s %12s %12s %12s %12s %8s %9s%n", "instance", "sdpValue", "alphaPrinc",
                "alphaRand", "alphaPolish", "ratio", "total_ms");
        double logSum = 0;
        for (Fixtures.Instance i : all) {
            ShortTermOptions d = ShortTermOptions.DEFAULT;
            ShortTermOptions o = new ShortTermOptions(d.sdp(), 1000, d.seed(), true, polishIterations, polishStarts, 0);
            ShortTermResult r = ShortTermSolver.solve(i.problem(), o);
            double ratio = r.alpha() / r.alphaRandomized();
            logSum += Math.log(ratio);
            System.out.printf(Locale.ROOT, "%-16s %12.6g %12.6g %12.6g %12.6g %8.4f %9.1f%n", i.name(), r.sdpValue(),
                    r.alphaPrincipal(), r.alphaRandomized(), r.alpha(), ratio, r.totalNanos() / 1e6);
        }
        System.out.printf(Locale.ROOT, "alpha after polish / alpha of SDR + 1000 randomization: geometric mean %.4f over %d instances%n",
                Math.exp(logSum / all.size()), all.size());
    }
}
