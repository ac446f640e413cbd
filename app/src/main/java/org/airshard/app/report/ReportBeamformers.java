package org.airshard.app.report;

import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.aircomp.ShortTermOptions;
import org.airshard.planner.aircomp.ShortTermResult;
import org.airshard.planner.aircomp.ShortTermSolver;
import org.airshard.planner.channel.ChannelRealization;
import org.airshard.planner.energy.AircompBudget;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.optimize.AircompProblemBuilder;
import org.airshard.planner.optimize.Evaluation;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.ejml.data.ZMatrixRMaj;

/**
 * Beamformer summary of a tensor-parallel plan for its report. Plans record the channel samples their
 * beamformers were designed for (seeds), not the matrices, so the summary re-solves the short-term problem
 * P_s (SDR + J = 100 randomisations + polish, the optimizer's evaluation settings) at the plan's rounded shares
 * m_n (the fractions of KV groups and MLP columns each device holds; the continuous shares when not recorded)
 * on the first {@link #REALISATIONS} evaluation samples H^(k) and reports, per realisation, α, the MSE σ²α,
 * the device whose energy budget binds and ‖A‖_F, and per device the mean transmit energy per all-reduce
 * (L0/L)‖B_n‖_F² against its allowance and ‖B_n‖_F.
 *
 * <p>Energies are in joules: the problem's W·channel-use ÷ bandwidth B, as in the GUI's energy view. A
 * layer has two all-reduces, so per-layer radio energy is twice the per-all-reduce figure.
 *
 * @param realisations one row per realisation
 * @param devices      one row per device (means over the realisations)
 */
public record ReportBeamformers(List<Realisation> realisations, List<DeviceRow> devices) {

    /** Realisations solved for the report. */
    public static final int REALISATIONS = 4;

    /**
     * @param index    realisation k (0-based)
     * @param status   short-term status (OPTIMAL, FALLBACK, …)
     * @param alpha    α
     * @param mse      σ² α
     * @param binding  id of the device whose budget is tight ("" if none)
     * @param aFrobenius ‖A‖_F
     */
    public record Realisation(int index, String status, double alpha, double mse, String binding, double aFrobenius) {
    }

    /**
     * @param device             device id
     * @param share              m_n (rounded)
     * @param radioJPerAllReduce mean (L0/L)‖B_n‖_F² ÷ B over the realisations, J
     * @param allowanceJPerAllReduce radio allowance per all-reduce: min((P_n^max − c_n)/2, power cap × airtime), J
     * @param bFrobenius         mean ‖B_n‖_F
     * @param bindingCount       realisations in which this device's budget binds
     */
    public record DeviceRow(String device, double share, double radioJPerAllReduce, double allowanceJPerAllReduce,
                            double bFrobenius, int bindingCount) {
    }

    /**
     * Re-solves the plan's beamformers; {@code null} when the plan has no tensor part, records no evaluation
     * seed, or its devices do not match the topology's.
     */
    public static ReportBeamformers of(Plan plan, Topology topology, ModelSpec model) throws InputException {
        if (plan.tensor() == null || topology == null || model == null) {
            return null;
        }
        var samples = plan.tensor().details() == null ? null : plan.tensor().details().get("channelSamples");
        if (samples == null || !samples.path("evaluationSeed").canConvertToLong()) {
            return null;
        }
        List<Device> devices = topology.devices();
        List<Plan.Share> shares = plan.tensor().shares();
        if (shares.size() != devices.size()) {
            return null;
        }
        var rounded = plan.tensor().details().get("roundedShares");
        boolean useRounded = rounded != null && rounded.isArray() && rounded.size() == devices.size();
        double[] m = new double[devices.size()];
        for (int n = 0; n < m.length; n++) {
            if (!shares.get(n).device().equals(devices.get(n).id())) {
                return null;
            }
            m[n] = useRounded ? rounded.get(n).asDouble() : shares.get(n).share();
        }
        long seed = samples.get("evaluationSeed").asLong() ^ Evaluation.STREAM;
        List<ChannelRealization> hs = new Evaluation(topology, model, seed, REALISATIONS).samples();
        AircompProblemBuilder builder = new AircompProblemBuilder(topology, model);
        double bandwidthHz = topology.channel().bandwidthHz();
        List<Realisation> rows = new ArrayList<>();
        double[] radio = new double[m.length];
        double[] bNorm = new double[m.length];
        int[] binding = new int[m.length];
        for (int k = 0; k < hs.size(); k++) {
            ShortTermResult r = ShortTermSolver.solve(builder.build(m, hs.get(k)),
                    ShortTermOptions.DEFAULT.withRandomizationSamples(100).withSeed(seed + k));
            int bd = r.bindingDevice();
            rows.add(new Realisation(k, r.status(), r.alpha(), r.mse(), bd >= 0 ? devices.get(bd).id() : "", frobenius(r.a())));
            for (int n = 0; n < m.length; n++) {
                radio[n] += r.transmitEnergy()[n] / bandwidthHz / hs.size();
                bNorm[n] += frobenius(r.b().get(n)) / hs.size();
            }
            if (bd >= 0) {
                binding[bd]++;
            }
        }
        List<DeviceRow> out = new ArrayList<>();
        for (int n = 0; n < m.length; n++) {
            Device d = devices.get(n);
            out.add(new DeviceRow(d.id(), m[n], radio[n], AircompBudget.radioAllowancePerAllReduceJ(topology, d, model, m[n]),
                    bNorm[n], binding[n]));
        }
        return new ReportBeamformers(List.copyOf(rows), List.copyOf(out));
    }

    static double frobenius(ZMatrixRMaj z) {
        double s = 0;
        for (int i = 0; i < z.numRows; i++) {
            for (int j = 0; j < z.numCols; j++) {
                double re = z.getReal(i, j);
                double im = z.getImag(i, j);
                s += re * re + im * im;
            }
        }
        return Math.sqrt(s);
    }
}
