package org.airshard.planner.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.airshard.planner.io.InputException;
import org.airshard.planner.latency.AllReduceScheme;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.latency.TensorParallelLatency;
import org.airshard.planner.model.ModelPresets;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.optimize.AircompOptimization;
import org.airshard.planner.optimize.Evaluation;
import org.airshard.planner.optimize.OptimizationReport;
import org.airshard.planner.optimize.SscaOptions;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.ModelRef;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;

/**
 * The AirComp paper's figures and table re-computed with AirShard's models on the paper setting
 * ({@code sample-topologies/aircomp-paper-{1,2,4,8}dev.json}: N_r = 20, N_t = 4, LLaMA3-8B).
 * <ul>
 *   <li>{@code devices}: E[MSE] vs number of devices for AirComp (SSCA shares), digital 8-bit OFDMA and
 *   uncoded FDMA on the same channel samples;</li>
 *   <li>{@code power}: E[MSE] vs the devices' transmit-power cap (4 devices);</li>
 *   <li>{@code latency}: ms per token vs number of devices for LLaMA2-7B/13B/70B and LLaMA3-70B with AirComp
 *   (and the digital all-reduce for the speed-up), equal shares; n/a where the weights do not fit.</li>
 * </ul>
 */
public final class PaperSweeps {

    public static final List<String> NAMES = List.of("devices", "power", "latency");
    static final int[] DEVICES = {1, 2, 4, 8};

    private final Path samples;
    private final long seed;
    private final int evaluationSamples;
    private final int iterations;

    /**
     * @param samples           folder holding the aircomp-paper-*dev.json topologies
     * @param seed              seed of channels and randomization
     * @param evaluationSamples channel samples per point
     * @param iterations        SSCA iterations per point
     */
    public PaperSweeps(Path samples, long seed, int evaluationSamples, int iterations) {
        this.samples = samples;
        this.seed = seed;
        this.evaluationSamples = evaluationSamples;
        this.iterations = iterations;
    }

    public SweepTable run(String name, Cancellation cancel) throws InputException {
        return switch (name) {
            case "devices" -> devices(cancel);
            case "power" -> power(cancel);
            case "latency" -> latency();
            default -> throw new InputException("sweep", "", "unknown sweep '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    private TopologyFiles.Loaded paper(int n) throws InputException {
        return TopologyFiles.load(samples.resolve("aircomp-paper-" + n + "dev.json"));
    }

    private SscaOptions options() {
        return SscaOptions.defaults(seed).withIterations(iterations).withEvaluationSamples(evaluationSamples);
    }

    SweepTable devices(Cancellation cancel) throws InputException {
        SweepTable.Builder b = new SweepTable.Builder(List.of("AirComp (SSCA shares)", "digital 8-bit OFDMA", "uncoded FDMA"));
        for (int n : DEVICES) {
            TopologyFiles.Loaded l = paper(n);
            OptimizationReport r = AircompOptimization.run(l.topology(), l.model(), options(), cancel, p -> { });
            if (r == null) {
                break;
            }
            b.add(n, r.schemes().get(0).mse().mean(), r.schemes().get(1).mse().mean(), r.schemes().get(2).mse().mean());
        }
        return b.build("devices", "All-reduce MSE vs number of devices (N_r = 20, N_t = 4, LLaMA3-8B)", "devices",
                "E[MSE] per L-symbol vector", true, notes());
    }

    SweepTable power(Cancellation cancel) throws InputException {
        SweepTable.Builder b = new SweepTable.Builder(List.of("AirComp (SSCA shares)", "digital 8-bit OFDMA", "uncoded FDMA"));
        TopologyFiles.Loaded l = paper(4);
        for (double dbm = 0; dbm <= 30; dbm += 5) {
            double p = dbm;
            Topology t = l.topology().withDevices(l.topology().devices().stream().map(d -> d.withMaxTxPowerDbm(p)).toList());
            OptimizationReport r = AircompOptimization.run(t, l.model(), options(), cancel, x -> { });
            if (r == null) {
                break;
            }
            b.add(dbm, r.schemes().get(0).mse().mean(), r.schemes().get(1).mse().mean(), r.schemes().get(2).mse().mean());
        }
        return b.build("power", "All-reduce MSE vs device transmit power (4 devices, N_r = 20, N_t = 4)", "maxTxPowerDbm",
                "E[MSE] per L-symbol vector", true, notes());
    }

    SweepTable latency() throws InputException {
        List<String> models = List.of("llama2-7b", "llama2-13b", "llama2-70b", "llama3-70b");
        List<String> names = new ArrayList<>();
        for (String m : models) {
            names.add(m + " AirComp ms/token");
        }
        for (String m : models) {
            names.add(m + " digital ms/token");
        }
        SweepTable.Builder b = new SweepTable.Builder(names);
        for (int n : DEVICES) {
            TopologyFiles.Loaded l = paper(n);
            double[] y = new double[2 * models.size()];
            for (int k = 0; k < models.size(); k++) {
                ModelSpec m = ModelPresets.byId(models.get(k)).orElseThrow();
                Topology t = l.topology().withModel(ModelRef.ofPreset(m.id()));
                double[] shares = TensorParallelLatency.equalShares(n);
                boolean fits = true;
                for (Device d : t.devices()) {
                    fits &= MemoryModel.tensorParallelBytes(m, 1.0 / n, t.settings().sequences())
                            <= d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
                }
                TensorParallelLatency lat = new TensorParallelLatency(t, m, new RadioRates(t));
                y[k] = fits ? lat.estimate(shares, AllReduceScheme.AIRCOMP).perTokenS() * 1e3 : Double.NaN;
                y[models.size() + k] = fits ? lat.estimate(shares, AllReduceScheme.DIGITAL_OFDMA).perTokenS() * 1e3 : Double.NaN;
            }
            b.add(n, y);
        }
        List<String> notes = new ArrayList<>(notes());
        notes.add("equal shares; empty cells: the weights do not fit the devices' memory (24 GiB each, 10 % headroom)");
        return b.build("latency", "Latency per token vs number of devices (AirComp and digital all-reduce)", "devices",
                "ms per token", false, notes);
    }

    private List<String> notes() {
        return List.of(String.format(Locale.ROOT, "AirShard sweep; seed %d, %d evaluation samples per point (stream seed^%d), "
                + "%d SSCA iterations; models in docs/model.md", seed, evaluationSamples, Evaluation.STREAM, iterations));
    }
}
