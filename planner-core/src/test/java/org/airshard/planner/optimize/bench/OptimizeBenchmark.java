package org.airshard.planner.optimize.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.airshard.planner.aircomp.ShortTermOptions;
import org.airshard.planner.aircomp.ShortTermSolver;
import org.airshard.planner.channel.ChannelSources;
import org.airshard.planner.optimize.AircompProblemBuilder;
import org.airshard.planner.optimize.SscaOptimizer;
import org.airshard.planner.optimize.SscaOptions;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;

/**
 * Whole-optimizer benchmark: (1) a 500-iteration SSCA run on the paper's 8-device setting, warm; (2) the
 * short-term design used inside SSCA (J = 20 + polish) against the paper's method (SDR + J = 1000
 * randomization, no polish) on the same channel samples: time and α ratios; (3) time per SSCA iteration as
 * N and N_r grow. Run with {@code bench/optimize.sh}.
 */
public final class OptimizeBenchmark {

    public static void main(String[] args) throws Exception {
        Path samples = Path.of(args.length > 0 ? args[0] : "sample-topologies");
        var l8 = TopologyFiles.load(samples.resolve("aircomp-paper-8dev.json"));
        // warm-up
        new SscaOptimizer(l8.topology(), l8.model()).optimize(SscaOptions.defaults(9).withIterations(60), Cancellation.none(), p -> { });
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        // the 13-argument constructor: the defaults of the build being timed for the settings it does not name
        SscaOptions o500 = new SscaOptions(500, 1, 0.6, 0.9, 1, 20, true, 0, 1_000_000, 1_000_000, 64, 0, 0);
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            var r = new SscaOptimizer(l8.topology(), l8.model()).optimize(o500, Cancellation.none(), p -> { });
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            double whole = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "SSCA, paper setting, 8 devices, N_r = 20, 500 iterations (warm, run %d): %.2f s CPU, %.2f s wall"
                    + " (%d iterations run, last running MSE %.7g)%n", rep + 1, cpu, whole, r.iterations(),
                    r.runningMse().get(r.runningMse().size() - 1));
        }
        long w0 = System.nanoTime();
        var rep = org.airshard.planner.optimize.AircompOptimization.run(l8.topology(), l8.model(), o500, Cancellation.none(), p -> { });
        System.out.printf(Locale.ROOT, "whole optimize (SSCA 500 iterations + evaluation on K = 64 samples, parallel): %.2f s wall,"
                + " E[MSE] %.10g ± %.2g (rounded shares)%n", (System.nanoTime() - w0) / 1e9, rep.mseRounded().mean(), rep.mseRounded().ci95());

        AircompProblemBuilder b = new AircompProblemBuilder(l8.topology(), l8.model());
        var src = ChannelSources.forTopology(l8.topology(), 5);
        double[] m = new double[8];
        java.util.Arrays.fill(m, 0.125);
        int k = 40;
        double tOurs = 0, tPaper = 0, logRatio = 0;
        for (int i = 0; i < k; i++) {
            var p = b.build(m, src.next());
            long a = System.nanoTime();
            var ours = ShortTermSolver.solve(p, ShortTermOptions.DEFAULT.withRandomizationSamples(20).withSeed(i));
            long c = System.nanoTime();
            var paper = ShortTermSolver.solve(p, ShortTermOptions.DEFAULT.withRandomizationSamples(1000).withPolish(false).withSeed(i));
            long e = System.nanoTime();
            tOurs += (c - a) / 1e6;
            tPaper += (e - c) / 1e6;
            logRatio += Math.log(ours.alpha() / paper.alpha());
        }
        System.out.printf(Locale.ROOT, "short-term design, %d samples: ours (J=20 + polish) %.1f ms, paper's (J=1000, no polish) %.1f ms "
                + "per sample; time ratio %.2f, alpha ratio (geometric mean) %.3f%n", k, tOurs / k, tPaper / k, tOurs / tPaper,
                Math.exp(logRatio / k));

        System.out.println("time per SSCA iteration (ms), median of 30 iterations after 10 warm-up:");
        System.out.print("  N \\ N_r");
        int[] nrs = {8, 20, 32};
        for (int nr : nrs) {
            System.out.printf(Locale.ROOT, "%8d", nr);
        }
        System.out.println();
        for (int n : new int[] {2, 4, 8, 16}) {
            System.out.printf(Locale.ROOT, "  %7d", n);
            for (int nr : nrs) {
                Topology t = scaled(l8.topology(), n, nr);
                var opt = new SscaOptimizer(t, l8.model());
                List<Long> times = new ArrayList<>();
                opt.optimize(new SscaOptions(40, 2, 0.6, 0.9, 1, 20, true, 0, 1_000_000, 1_000_000, 2, 0, 0), Cancellation.none(), p -> {
                    times.add(p.elapsedMillis());
                });
                List<Long> d = new ArrayList<>();
                for (int i = 11; i < times.size(); i++) {
                    d.add(times.get(i) - times.get(i - 1));
                }
                d.sort(Long::compare);
                System.out.printf(Locale.ROOT, "%8d", d.get(d.size() / 2));
            }
            System.out.println();
        }
    }

    static Topology scaled(Topology base, int n, int nr) {
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Device d = base.devices().get(i % base.devices().size());
            double ang = 2 * Math.PI * i / n + 0.3;
            double r = 15 + 10 * (i % 3);
            ds.add(d.withId("d" + (i + 1)).withPosition(new Position(r * Math.cos(ang), r * Math.sin(ang))));
        }
        return base.withDevices(ds).withServer(base.server().withAntennas(nr));
    }

}
