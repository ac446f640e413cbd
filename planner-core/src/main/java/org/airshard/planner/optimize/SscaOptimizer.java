package org.airshard.planner.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.airshard.planner.aircomp.AircompProblem;
import org.airshard.planner.aircomp.ShortTermOptions;
import org.airshard.planner.aircomp.ShortTermResult;
import org.airshard.planner.aircomp.ShortTermSolver;
import org.airshard.planner.aircomp.ZeroForcing;
import org.airshard.planner.aircomp.sdp.SdpOptions;
import org.airshard.planner.aircomp.sdp.SdpProgressListener;
import org.airshard.planner.channel.ChannelRealization;
import org.airshard.planner.channel.ChannelSource;
import org.airshard.planner.channel.ChannelSources;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.ProgressListener;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.Topology;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.ejml.dense.row.NormOps_ZDRM;

/**
 * Long-term model assignment by stochastic successive convex approximation (aircomp.md §5). Iteration τ:
 * <ol>
 *   <li>draw H^τ; solve P_s at m^τ and keep G^τ = A/‖A‖_F: the full design ({@link ShortTermSolver#solve}) at
 *   τ = 0 and every {@link SscaOptions#anchorPeriod()}th iteration, otherwise the warm start below;</li>
 *   <li>gradient of f_0(m) = σ²·α*(m; H^τ, G^τ) with G^τ fixed (envelope theorem):
 *   ∂f_0/∂m_n = σ²·w_n·(L0/L)·τ_n(G^τ)·(−∂E_n/∂m_n)/E_n(m)², w the softmax (sharpness
 *   {@value #SOFTMAX_SHARPNESS}) of a_n = (L0/L)τ_n/E_n — a smoothed max; tracked as u^τ = (1−ρ^τ)u^{τ−1} + ρ^τ∇f_0;</li>
 *   <li>m̂ = argmin over the simplex ∩ boxes of u^τᵀ(m − m^τ) + η^τ‖m − m^τ‖², i.e. the exact projection of
 *   m^τ − u^τ/(2η^τ) ({@link SimplexBoxProjection}), η^τ = c·‖u^τ‖_∞;</li>
 *   <li>m^{τ+1} = (1 − γ^τ)m^τ + γ^τ m̂.</li>
 * </ol>
 * ρ^τ = (τ+1)^−0.6 and γ^τ = (τ+1+τ_0)^−0.9 with τ_0 = {@link SscaOptions#stepOffset()} = 9 by default (Σ = ∞, Σ² < ∞,
 * γ/ρ → 0; γ^0 ≈ 0.13 rather than 1, so the first step does not jump to a one-sample surrogate's minimiser). Stops on the iteration cap
 * or when no share moved more than the tolerance over a window. Starts from the compute-balanced shares
 * (roofline speeds) projected onto the boxes: where E_n does not depend on m (every device's transmit-power
 * cap binds) the gradient is zero and the result is that latency-balanced start, which the result notes.
 *
 * <p><b>Warm start.</b> Between re-anchors, step 1 takes G_0 = A^{τ−1}/‖A^{τ−1}‖_F, the previous iteration's receive
 * beamformer, recomputes the zero-forcing precoders B_n and the closed-form scale α*(G) = max_n (L0/L) τ_n(G)/E_n(m^τ)
 * for the new sample H^τ and the current shares, and runs only the polish from it
 * ({@link ShortTermSolver#polishFrom}, {@value #WARM_POLISH_ITERATIONS} L-BFGS iterations per stage, stage
 * tolerance {@value #WARM_POLISH_TOLERANCE}). This keeps the gradient of step 2 correct, for three reasons.
 * (i) For <em>any</em> fixed direction G the function m ↦ σ² α*(m; H^τ, G) is an upper bound of the short-term
 * optimum f(m; H^τ) = σ² min_G α*(m; H^τ, G), and since G^τ is built at m^τ it touches it at m^τ up to the
 * design's optimality gap; its m-gradient is exactly the formula of step 2 (only E_n(m) depends on m), so the
 * sample ∇f_0 is the gradient of a valid upper surrogate, as with the full design, which is itself only a local
 * optimum of the non-convex P_s (SDR + randomization + polish). (ii) The polish of the warm start ends at a
 * stationary point of the smoothed max over G on the sphere, where the envelope theorem gives ∂/∂m of the
 * G-minimised value = ∂/∂m at fixed G^τ — the same argument that justifies it for the full design. (iii) The
 * direction depends on the past only through G_0, which is measurable with respect to H^0..H^{τ−1}, while H^τ is a
 * fresh sample; the tracked u^τ still averages conditionally unbiased gradient samples of the surrogate, and
 * the re-anchor every P iterations bounds how long a poor basin can be followed. The final evaluation
 * ({@link Evaluation}) always runs the full design, so the reported E[MSE] does not use warm starts.
 */
public final class SscaOptimizer {

    /** Sharpness β of the softmax smoothing the max over devices: w ∝ exp(β(a_n − max a)/max a). */
    public static final double SOFTMAX_SHARPNESS = 50;

    /**
     * Certified relative SDP gap inside SSCA iterations (the final evaluation keeps 1e-7): the SDR's X only seeds
     * the randomization and the polish, and on the paper's 8-device setting a gap of 1e-3 instead of 1e-7 changed
     * the geometric-mean α of the polished designs by less than 1e-6 relative while saving 5 of 13 IPM iterations.
     */
    public static final double SDP_GAP = 1e-3;

    /**
     * L-BFGS iterations per smoothing stage of the polish inside SSCA iterations (the final evaluation keeps 100):
     * only the direction G^τ enters the gradient; on the 8-device paper setting 30 iterations per stage left α
     * within 0.05 % of the 100-iteration polish at a third of the cost.
     */
    public static final int POLISH_ITERATIONS = 30;

    /** L-BFGS iterations per smoothing stage of a warm-started polish ({@link ShortTermSolver#polishFrom}). */
    public static final int WARM_POLISH_ITERATIONS = 50;

    /**
     * Stage tolerance of a warm-started polish: a stage ends when one iteration lowers the smoothed objective by at
     * most this, relative. On the 8-device paper setting (500 iterations, seed 1) 1e-6 instead of 1e-13 halved the
     * polish time and left the running mean of the in-SSCA MSE within 0.02 %.
     */
    public static final double WARM_POLISH_TOLERANCE = 1e-6;

    private final Topology topology;
    private final ModelSpec model;
    private final AircompProblemBuilder builder;

    public SscaOptimizer(Topology topology, ModelSpec model) {
        this.topology = topology;
        this.model = model;
        this.builder = new AircompProblemBuilder(topology, model);
    }

    public AircompProblemBuilder builder() {
        return builder;
    }

    /** Channel stream of the optimisation (evaluation uses a separate stream, see {@link Evaluation}). */
    public ChannelSource trainingChannels(long seed) {
        return ChannelSources.forTopology(topology, seed);
    }

    public SscaResult optimize(SscaOptions o, Cancellation cancel, ProgressListener<SscaProgress> listener) {
        long start = System.nanoTime();
        int n = topology.devices().size();
        ShareBoxes boxes = ShareBoxes.of(topology, model, o.latencyBudgetS());
        if (!boxes.feasible()) {
            return new SscaResult(SolverStatus.INFEASIBLE, new double[n], 0, List.of(), boxes,
                    "the share boxes (memory, energy, latency) allow at most " + String.format(java.util.Locale.ROOT, "%.1f %%",
                            100 * Arrays.stream(boxes.hi()).sum()) + " of each layer in total", 0, 0);
        }
        double[] lo = boxes.lo();
        double[] m = SimplexBoxProjection.project(Baselines.computeBalanced(topology, model), lo, boxes.hi());
        double[] u = new double[n];
        ChannelSource channels = trainingChannels(o.seed());
        List<Double> curve = new ArrayList<>();
        double sum = 0;
        int stillFor = 0;
        boolean anySlope = false;
        SolverStatus status = SolverStatus.ITERATION_LIMIT;
        int it = 0;
        BooleanSupplier stop = cancel::isCancelled;
        ShortTermOptions st = ShortTermOptions.DEFAULT.withRandomizationSamples(o.randomizationSamples()).withPolish(o.polish())
                .withPolishIterations(POLISH_ITERATIONS).withSdp(SdpOptions.DEFAULT.withGapTolerance(SDP_GAP));
        ShortTermOptions warm = st.withPolishIterations(WARM_POLISH_ITERATIONS).withPolishTolerance(WARM_POLISH_TOLERANCE);
        ZMatrixRMaj previousA = null;
        int anchors = 0;
        for (; it < o.iterations(); it++) {
            if (cancel.isCancelled()) {
                status = SolverStatus.CANCELLED;
                break;
            }
            if (o.timeLimitMillis() > 0 && (System.nanoTime() - start) / 1_000_000 > o.timeLimitMillis()) {
                status = SolverStatus.TIME_LIMIT;
                break;
            }
            ChannelRealization h = channels.next();
            AircompProblem p;
            try {
                p = builder.build(m, h);
            } catch (InputException e) {
                return new SscaResult(SolverStatus.NUMERICAL, m, it, curve, boxes, e.getMessage(), elapsed(start), anchors);
            }
            ShortTermOptions sti = st.withSeed(o.seed() * 1_000_003L + it);
            boolean anchor = previousA == null || it % o.anchorPeriod() == 0;
            ShortTermResult r = anchor ? ShortTermSolver.solve(p, sti, SdpProgressListener.NONE, stop)
                    : ShortTermSolver.polishFrom(p, previousA, warm.withSeed(sti.seed()), stop);
            if (anchor || !ShortTermSolver.WARM_START.equals(r.status())) {
                anchors++;
            }
            previousA = r.a();
            if ("CANCELLED".equals(r.status())) {
                status = SolverStatus.CANCELLED;
                break;
            }
            double f0 = r.mse();
            sum += f0;
            curve.add(sum / (it + 1));
            double[] g = gradient(p, r, m);
            for (int i = 0; i < n; i++) {
                anySlope |= builder.allowanceSlope(i, m[i]) != 0;
            }
            double rho = Math.pow(it + 1, -o.rhoExponent());
            double gamma = Math.pow(it + 1 + o.stepOffset(), -o.gammaExponent());
            double uMax = 0;
            for (int i = 0; i < n; i++) {
                u[i] = (1 - rho) * u[i] + rho * g[i];
                uMax = Math.max(uMax, Math.abs(u[i]));
            }
            double[] next = m.clone();
            if (uMax > 0) {
                double eta = o.proximalScale() * uMax;
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = m[i] - u[i] / (2 * eta);
                }
                double[] hat = SimplexBoxProjection.project(v, lo, boxes.hi());
                for (int i = 0; i < n; i++) {
                    next[i] = (1 - gamma) * m[i] + gamma * hat[i];
                }
            }
            double moved = 0;
            for (int i = 0; i < n; i++) {
                moved = Math.max(moved, Math.abs(next[i] - m[i]));
            }
            m = next;
            listener.onProgress(new SscaProgress(it, f0, sum / (it + 1), m.clone(), elapsed(start)));
            stillFor = moved < o.tolerance() ? stillFor + 1 : 0;
            if (it + 1 >= o.minIterations() && stillFor >= o.window()) {
                status = SolverStatus.OPTIMAL;
                it++;
                break;
            }
        }
        String note = anySlope ? "" : "the transmit-power cap binds on every device, so E[MSE] does not depend on the shares;"
                + " the shares balance compute (roofline speeds) within the boxes";
        return new SscaResult(status, m, it, curve, boxes, note, elapsed(start), anchors);
    }

    /** ∇f_0 at m for the design r of problem p (G fixed, smoothed max). */
    double[] gradient(AircompProblem p, ShortTermResult r, double[] m) {
        int n = m.length;
        ZMatrixRMaj g = r.a().copy();
        double norm = NormOps_ZDRM.normF(g);
        CommonOps_ZDRM.scale(1 / norm, 0, g);
        double c = builder.channelUsesPerAllReduce();
        double[] a = new double[n];
        double[] tau = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            tau[i] = ZeroForcing.tau(g, p.devices().get(i).channel());
            a[i] = c * tau[i] / p.devices().get(i).transmitBudget();
            max = Math.max(max, a[i]);
        }
        double[] w = new double[n];
        double z = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Math.exp(SOFTMAX_SHARPNESS * (a[i] - max) / max);
            z += w[i];
        }
        double[] grad = new double[n];
        for (int i = 0; i < n; i++) {
            double e = p.devices().get(i).transmitBudget();
            grad[i] = p.noisePower() * (w[i] / z) * c * tau[i] * (-builder.allowanceSlope(i, m[i])) / (e * e);
        }
        return grad;
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
