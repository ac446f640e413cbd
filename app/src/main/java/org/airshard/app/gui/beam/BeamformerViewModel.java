package org.airshard.app.gui.beam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.gui.plan.OptimizerViewModel;
import org.airshard.planner.aircomp.ShortTermOptions;
import org.airshard.planner.aircomp.ShortTermResult;
import org.airshard.planner.aircomp.ShortTermSolver;
import org.airshard.planner.channel.ChannelRealization;
import org.airshard.planner.energy.AircompBudget;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.optimize.AircompProblemBuilder;
import org.airshard.planner.optimize.Evaluation;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.ejml.data.ZMatrixRMaj;

/**
 * Beamformers and energy of one AirComp all-reduce for the plan's shares. For channel realisation k (the k-th
 * of the optimiser's evaluation samples, so the numbers match its E[MSE]) the short-term problem P_s is built
 * ({@link AircompProblemBuilder}) and solved ({@link ShortTermSolver}) in the background; the view shows the
 * magnitudes |A| (N_r × L receive combiner) and |B_n| (N_t × L per device) as heatmaps.
 * <p>
 * Energy per device, in joules per decoder layer per token (docs/model.md §AirComp budget): compute
 * c_n = e_n m_n s_tot, radio = 2 all-reduces × (L0/L) ‖B_n‖_F² T_s (known after a solve), and the budget
 * P_n^max. The compute part and the budget are shown at once; the radio part after the solve.
 */
public final class BeamformerViewModel {

    /** Magnitudes of a complex matrix, row-major: {@code mag[i][j] = |M_ij|}. */
    public record Magnitudes(String label, double[][] mag) {
        public double max() {
            double m = 0;
            for (double[] row : mag) {
                for (double v : row) {
                    m = Math.max(m, v);
                }
            }
            return m;
        }
    }

    /**
     * A solved realisation.
     *
     * @param a       |A|, N_r × L
     * @param b       |B_n| per device, N_t × L, device order
     * @param alpha   final α
     * @param mse     σ² α, the all-reduce MSE on this realisation
     * @param status  solver status
     * @param binding index of the device whose budget is tight, or -1
     */
    public record Beams(Magnitudes a, List<Magnitudes> b, double alpha, double mse, String status, int binding) {
    }

    /**
     * One device's energy per layer per token, J.
     *
     * @param computeJ   c_n
     * @param radioJ     2 (L0/L) ‖B_n‖² T_s on the solved realisation, NaN before a solve
     * @param allowanceJ what the radio may spend (2 × allowance per all-reduce; ≤ budget − compute)
     * @param budgetJ    P_n^max
     */
    public record EnergyRow(String deviceId, double computeJ, double radioJ, double allowanceJ, double budgetJ) {
        /** Whether compute plus radio stay within the budget (radio counted as 0 before a solve). */
        public boolean withinBudget() {
            return computeJ + (Double.isNaN(radioJ) ? 0 : radioJ) <= budgetJ * (1 + 1e-9);
        }
    }

    private final TaskRunner tasks;
    private final IntegerProperty realisation = new SimpleIntegerProperty(this, "realisation", 0);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyObjectWrapper<Beams> beams = new ReadOnlyObjectWrapper<>(this, "beams");
    private final ReadOnlyObjectWrapper<List<EnergyRow>> energy = new ReadOnlyObjectWrapper<>(this, "energy", List.of());
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", IDLE);
    private OptimizerViewModel.Run run;
    private double[] shares;
    private long generation;

    static final String IDLE = "Run the optimiser, then solve one channel realisation to see its beamformers.";

    public BeamformerViewModel(TaskRunner tasks) {
        this.tasks = Objects.requireNonNull(tasks);
    }

    /** Starts from a finished optimisation with its rounded shares (null clears). */
    public void load(OptimizerViewModel.Run r) {
        run = r;
        setShares(r == null ? null : r.report().rounded().roundedShares());
    }

    /** Shares (parameter share per device, topology order) to show; e.g. the edited plan's. Clears the solve. */
    public void setShares(double[] m) {
        if (m != null && run != null && m.length != run.topology().devices().size()) {
            return; // shares of another topology (a newer run is being loaded)
        }
        generation++;
        shares = m == null ? null : m.clone();
        beams.set(null);
        running.set(false);
        if (run == null || shares == null) {
            energy.set(List.of());
            summary.set(IDLE);
            return;
        }
        energy.set(energyOf(run.topology(), run.model(), shares, null));
        summary.set("Solve a channel realisation to see |A|, |B_n| and the radio energy.");
    }

    /** Channel realisation index (0-based) among the optimiser's evaluation samples. */
    public IntegerProperty realisationProperty() {
        return realisation;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Beams> beamsProperty() {
        return beams.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<EnergyRow>> energyProperty() {
        return energy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Solves P_s for the current shares on realisation {@link #realisationProperty()} in the background. */
    public void solve() {
        if (run == null || shares == null || running.get()) {
            return;
        }
        Topology t = run.topology();
        ModelSpec m = run.model();
        double[] s = shares.clone();
        int k = Math.max(0, realisation.get());
        long seed = run.options().seed();
        long gen = ++generation;
        running.set(true);
        summary.set("Solving realisation " + (k + 1) + "\u2026");
        tasks.submit("solve beamformers", () -> {
            ChannelRealization h = new Evaluation(t, m, seed, k + 1).samples().get(k);
            return ShortTermSolver.solve(new AircompProblemBuilder(t, m).build(s, h),
                    ShortTermOptions.DEFAULT.withRandomizationSamples(100).withSeed(seed + k));
        }, r -> {
            if (gen != generation) {
                return;
            }
            running.set(false);
            beams.set(beamsOf(t, r));
            energy.set(energyOf(t, m, s, r));
            summary.set(String.format(Locale.ROOT, "Realisation %d: %s \u00b7 \u03b1 = %.4g \u00b7 MSE = %.4g%s \u00b7 %d ms", k + 1,
                    r.status().toLowerCase(Locale.ROOT), r.alpha(), r.mse(), r.bindingDevice() >= 0
                            ? " \u00b7 budget binds on " + t.devices().get(r.bindingDevice()).id() : "",
                    r.totalNanos() / 1_000_000));
        }, err -> {
            if (gen == generation) {
                running.set(false);
                summary.set("Cannot solve: " + err.getMessage());
            }
        });
    }

    static Beams beamsOf(Topology t, ShortTermResult r) {
        List<Magnitudes> b = new ArrayList<>();
        for (int n = 0; n < r.b().size(); n++) {
            b.add(magnitudes("|B| " + t.devices().get(n).id(), r.b().get(n)));
        }
        return new Beams(magnitudes("|A| server", r.a()), List.copyOf(b), r.alpha(), r.mse(), r.status(), r.bindingDevice());
    }

    static Magnitudes magnitudes(String label, ZMatrixRMaj z) {
        double[][] out = new double[z.numRows][z.numCols];
        for (int i = 0; i < z.numRows; i++) {
            for (int j = 0; j < z.numCols; j++) {
                out[i][j] = Math.hypot(z.getReal(i, j), z.getImag(i, j));
            }
        }
        return new Magnitudes(label, out);
    }

    /** Energy per device; radio from {@code r} (problem units W·channel-uses ÷ B = J), NaN without. */
    static List<EnergyRow> energyOf(Topology t, ModelSpec m, double[] shares, ShortTermResult r) {
        List<EnergyRow> out = new ArrayList<>();
        double bandwidth = t.channel().bandwidthHz();
        for (int n = 0; n < t.devices().size(); n++) {
            Device d = t.devices().get(n);
            double compute = AircompBudget.computeEnergyJ(d, m, shares[n]);
            double allowance = 2 * AircompBudget.radioAllowancePerAllReduceJ(t, d, m, shares[n]);
            double radio = r == null ? Double.NaN : 2 * r.transmitEnergy()[n] / bandwidth;
            out.add(new EnergyRow(d.id(), compute, radio, allowance, d.energyBudgetJPerLayer()));
        }
        return List.copyOf(out);
    }
}
