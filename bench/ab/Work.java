import java.nio.file.Path;
import java.util.*;
import java.lang.management.ManagementFactory;
import org.airshard.planner.aircomp.*;
import org.airshard.planner.optimize.*;
import org.airshard.planner.channel.ChannelSources;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.topology.TopologyFiles;

/**
 * The work timed by AB / ABSdp (bench/ab.sh), compiled against the base build and loaded once per class loader
 * (base / working tree). ssca: {CPU s of this thread, iterations, last running MSE, hash of the shares};
 * full: {wall s (the evaluation runs on the fork-join pool), E[MSE] rounded shares, its 95 % half-width,
 * E[MSE] continuous shares, last running MSE, CPU s of the whole process}; sdp: {median wall ms, median CPU ms, value, iterations, status}.
 */
public class Work {
    static long cpu() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }

    /** {seconds, iterations, last running MSE, hash of shares} */
    public static double[] ssca(String topo, int iters) throws Exception {
        var l = TopologyFiles.load(Path.of(topo));
        SscaOptions o = new SscaOptions(iters, 1, 0.6, 0.9, 1, 20, true, 0, 1_000_000, 1_000_000, 64, 0, 0);
        long t0 = cpu();
        var s = new SscaOptimizer(l.topology(), l.model()).optimize(o, Cancellation.none(), p -> { });
        long t1 = cpu();
        return new double[] {(t1 - t0) / 1e9, s.iterations(), s.runningMse().get(s.runningMse().size() - 1), Arrays.hashCode(s.shares())};
    }

    /** short-term solves: {ms per solve, sdp ms, polish ms, geo-mean alpha} */
    public static double[] st(String topo, int k, int j) throws Exception {
        var l = TopologyFiles.load(Path.of(topo));
        AircompProblemBuilder b = new AircompProblemBuilder(l.topology(), l.model());
        double[] m = new double[l.topology().devices().size()];
        Arrays.fill(m, 1.0 / m.length);
        var src = ChannelSources.forTopology(l.topology(), 5);
        double sdp = 0, pol = 0, logA = 0;
        long t0 = cpu();
        for (int i = 0; i < k; i++) {
            var p = b.build(m, src.next());
            var r = ShortTermSolver.solve(p, ShortTermOptions.DEFAULT.withRandomizationSamples(j).withSeed(i));
            sdp += r.sdpNanos() / 1e6; pol += r.polishNanos() / 1e6; logA += Math.log(r.alpha());
        }
        return new double[] {(cpu() - t0) / 1e6 / k, sdp / k, pol / k, Math.exp(logA / k)};
    }

    /** SDP solve of one problem file: {median wall ms, median cpu ms, value, iterations, status ordinal} */
    public static double[] sdp(String file, int reps) throws Exception {
        AircompProblem p = AircompProblemIo.read(Path.of(file));
        List<org.ejml.data.ZMatrixRMaj> hs = new ArrayList<>();
        double[] w = new double[p.devices().size()];
        for (int n = 0; n < w.length; n++) {
            hs.add(p.devices().get(n).channel());
            w[n] = p.devices().get(n).transmitBudget() / p.payloadSymbols();
        }
        double[] wall = new double[reps];
        double[] cp = new double[reps];
        org.airshard.planner.aircomp.sdp.SdpResult r = null;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            long c0 = cpu();
            r = org.airshard.planner.aircomp.sdp.SdrSolver.solve(hs, w, org.airshard.planner.aircomp.sdp.SdpOptions.DEFAULT);
            cp[i] = (cpu() - c0) / 1e6;
            wall[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cp);
        return new double[] {wall[reps / 2], cp[reps / 2], r.value(), r.iterations(), r.status().ordinal()};
    }

    /** CPU time of the whole process (every thread: the evaluation runs on the fork-join pool). */
    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** whole optimize pipeline as the CLI runs it: {wall s, E[MSE] rounded, ci, E[MSE] continuous, last running MSE, process CPU s} */
    public static double[] full(String topo, int iters) throws Exception {
        var l = TopologyFiles.load(Path.of(topo));
        SscaOptions o = new SscaOptions(iters, 1, 0.6, 0.9, 1, 20, true, 0, 1_000_000, 1_000_000, 64, 0, 0);
        long w0 = System.nanoTime();
        long p0 = processCpu();
        var rep = AircompOptimization.run(l.topology(), l.model(), o, Cancellation.none(), p -> { });
        return new double[] {(System.nanoTime() - w0) / 1e9, rep.mseRounded().mean(), rep.mseRounded().ci95(), rep.mseContinuous().mean(),
            rep.ssca().runningMse().get(rep.ssca().runningMse().size() - 1), (processCpu() - p0) / 1e9};
    }
}
