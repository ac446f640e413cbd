package org.airshard.planner.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.airshard.planner.energy.AircompBudget;
import org.airshard.planner.latency.AllReduceScheme;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.PipelineLatency;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.latency.TensorParallelEstimate;
import org.airshard.planner.latency.TensorParallelLatency;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.Units;
import org.airshard.planner.topology.ValidationIssue;
import org.airshard.planner.topology.ValidationReport;

/**
 * Re-checks a (possibly hand-edited) plan against a topology and re-predicts it. Every broken rule is an
 * error that names the board and the rule: every layer covered exactly once by contiguous ranges in ring
 * order, each board once, memory (weights + KV caches + headroom), shares summing to one, whole KV groups
 * and MLP columns summing to the model's, energy budgets (tensor).
 */
public final class PlanValidator {

    private PlanValidator() {
    }

    /**
     * @param report    every finding
     * @param predicted re-computed predictions (null when the plan has errors)
     */
    public record Check(ValidationReport report, Plan.Predicted predicted) {
    }

    public static Check check(Plan p, Topology t, ModelSpec m) {
        List<ValidationIssue> out = new ArrayList<>();
        if (p.layers() != m.layers()) {
            out.add(ValidationIssue.error("$.model.layers", "plan is for a model with " + p.layers() + " layers but "
                    + m.displayName() + " has " + m.layers(), ""));
        }
        if (!p.topology().sha256().isEmpty() && !p.topology().sha256().equals(PlanFiles.topologyHash(t))) {
            out.add(ValidationIssue.warning("$.topology.sha256", "the plan was made for a different version of topology '"
                    + p.topology().name() + "'; predictions below are for the current one", ""));
        }
        Plan.Predicted predicted = null;
        if (p.mode() == Plan.Mode.PIPELINE && p.pipeline() != null) {
            checkPipeline(p.pipeline(), t, m, out);
            if (out.stream().noneMatch(ValidationIssue::isError)) {
                predicted = predictPipeline(p.pipeline(), t, m, new RadioRates(t));
            }
        } else if (p.mode() == Plan.Mode.TENSOR && p.tensor() != null) {
            checkTensor(p.tensor(), t, m, out);
            if (out.stream().noneMatch(ValidationIssue::isError)) {
                predicted = predictTensor(p.tensor(), t, m, new RadioRates(t));
            }
        }
        return new Check(new ValidationReport(out), predicted);
    }

    static void checkPipeline(Plan.PipelinePart pp, Topology t, ModelSpec m, List<ValidationIssue> out) {
        if (pp.stages().isEmpty()) {
            out.add(ValidationIssue.error("$.pipeline.stages", "a pipeline needs at least one stage", ""));
            return;
        }
        Set<String> seen = new HashSet<>();
        int expectedStart = 0;
        for (int k = 0; k < pp.stages().size(); k++) {
            Plan.Stage s = pp.stages().get(k);
            String p = "$.pipeline.stages[" + k + "]";
            Device d = t.device(s.device()).orElse(null);
            if (d == null) {
                out.add(ValidationIssue.error(p + ".device", "unknown board '" + s.device() + "' (not a device of the topology)", s.device()));
            } else if (!seen.add(d.id())) {
                out.add(ValidationIssue.error(p + ".device", "board '" + d.id() + "' appears twice in the ring", d.id()));
            }
            if (s.layerStart() != expectedStart) {
                out.add(ValidationIssue.error(p + ".layerStart", String.format(Locale.ROOT,
                        "board '%s': ranges must be contiguous in ring order; expected layerStart %d, got %d (%s)", s.device(),
                        expectedStart, s.layerStart(), s.layerStart() > expectedStart
                                ? "layers " + expectedStart + "–" + (s.layerStart() - 1) + " are not covered"
                                : "layers " + s.layerStart() + "–" + (expectedStart - 1) + " are covered twice"), s.device()));
            }
            int minLayers = k == 0 ? 0 : 1;
            if (s.layerCount() < minLayers) {
                out.add(ValidationIssue.error(p + ".layerEnd", "board '" + s.device() + "': a secondary must hold at least one layer"
                        + " (layerEnd " + s.layerEnd() + " ≤ layerStart " + s.layerStart() + ")", s.device()));
            }
            expectedStart = Math.max(expectedStart, s.layerEnd());
            if (d != null && s.layerCount() >= 0) {
                double need = MemoryModel.pipelineBytes(m, s.layerCount(), k == 0, pp.sequences());
                double usable = d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
                if (need > usable) {
                    out.add(ValidationIssue.error(p, String.format(Locale.ROOT,
                            "memory: board '%s' needs %s for layers %d–%d%s with KV caches of %d sequences but has %s usable",
                            d.id(), Units.formatBytes(need), s.layerStart(), s.layerEnd() - 1, k == 0 ? " + embedding and head" : "",
                            pp.sequences(), Units.formatBytes(usable)), d.id()));
                }
            }
        }
        if (expectedStart != m.layers()) {
            out.add(ValidationIssue.error("$.pipeline.stages", expectedStart < m.layers()
                    ? "layers " + expectedStart + "–" + (m.layers() - 1) + " are not held by any board"
                    : "ranges go up to layer " + (expectedStart - 1) + " but the model has only " + m.layers() + " layers", ""));
        }
    }

    static void checkTensor(Plan.TensorPart tp, Topology t, ModelSpec m, List<ValidationIssue> out) {
        if (!tp.aggregator().equals(t.server().id())) {
            out.add(ValidationIssue.error("$.tensor.aggregator", "aggregator '" + tp.aggregator() + "' is not the topology's server '"
                    + t.server().id() + "'", tp.aggregator()));
        }
        if (tp.shares().isEmpty()) {
            out.add(ValidationIssue.error("$.tensor.shares", "a tensor-parallel plan needs at least one share", ""));
            return;
        }
        Set<String> seen = new HashSet<>();
        double sum = 0;
        int groups = 0;
        long columns = 0;
        for (int i = 0; i < tp.shares().size(); i++) {
            Plan.Share s = tp.shares().get(i);
            String p = "$.tensor.shares[" + i + "]";
            Device d = t.device(s.device()).orElse(null);
            if (d == null) {
                out.add(ValidationIssue.error(p + ".device", "unknown board '" + s.device() + "'", s.device()));
                continue;
            }
            if (!seen.add(d.id())) {
                out.add(ValidationIssue.error(p + ".device", "board '" + d.id() + "' has two shares", d.id()));
            }
            sum += s.share();
            groups += s.kvGroups();
            columns += s.ffnColumns();
            if (tp.streams() > d.antennas() && s.share() > 0) {
                out.add(ValidationIssue.error(p, "board '" + d.id() + "': L = " + tp.streams() + " streams need N_t ≥ L, it has "
                        + d.antennas(), d.id()));
            }
            double rounded = TensorShareRounding.roundedShare(m, s.kvGroups(), s.ffnColumns());
            double need = MemoryModel.tensorParallelBytes(m, rounded, t.settings().sequences());
            double usable = d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
            if (need > usable) {
                out.add(ValidationIssue.error(p, String.format(Locale.ROOT, "memory: board '%s' needs %s for %d KV groups and %d MLP columns of every layer but has %s usable",
                        d.id(), Units.formatBytes(need), s.kvGroups(), s.ffnColumns(), Units.formatBytes(usable)), d.id()));
            }
            if (AircompBudget.radioAllowancePerAllReduceJ(t, d, m, rounded) <= 0) {
                out.add(ValidationIssue.error(p, String.format(Locale.ROOT,
                        "energy: board '%s' would spend %.3g J per layer computing its share, leaving nothing of P_n^max = %.3g J for the radio",
                        d.id(), AircompBudget.computeEnergyJ(d, m, rounded), d.energyBudgetJPerLayer()), d.id()));
            }
        }
        if (Math.abs(sum - 1) > 1e-6) {
            out.add(ValidationIssue.error("$.tensor.shares", String.format(Locale.ROOT, "shares must sum to 1, they sum to %.6f", sum), ""));
        }
        if (groups != m.kvHeads()) {
            out.add(ValidationIssue.error("$.tensor.shares", "KV groups must add up to the model's " + m.kvHeads() + ", they add up to " + groups, ""));
        }
        if (columns != m.ffnSize()) {
            out.add(ValidationIssue.error("$.tensor.shares", "MLP columns must add up to the model's " + m.ffnSize() + ", they add up to " + columns, ""));
        }
    }

    /** Predictions for a legal pipeline part. */
    public static Plan.Predicted predictPipeline(Plan.PipelinePart pp, Topology t, ModelSpec m, RadioRates rates) {
        List<String> ring = pp.stages().stream().map(Plan.Stage::device).toList();
        List<Integer> counts = pp.stages().stream().map(Plan.Stage::layerCount).toList();
        PipelineEstimate e = new PipelineLatency(t, m, rates).estimate(ring, counts);
        List<Plan.DevicePrediction> per = new ArrayList<>();
        for (int k = 0; k < ring.size(); k++) {
            per.add(new Plan.DevicePrediction(ring.get(k), MemoryModel.pipelineBytes(m, counts.get(k), k == 0, pp.sequences()),
                    e.stageS().get(k) * 1e3, e.hopS().get(k) * 1e3));
        }
        return new Plan.Predicted(e.tokensPerSecond(pp.sequences()), e.ringS() * 1e3, null, per);
    }

    /** Predictions for a legal tensor part (AirComp all-reduce, rounded shares; MSE comes from the optimizer). */
    public static Plan.Predicted predictTensor(Plan.TensorPart tp, Topology t, ModelSpec m, RadioRates rates) {
        double[] shares = new double[t.devices().size()];
        for (Plan.Share s : tp.shares()) {
            for (int i = 0; i < shares.length; i++) {
                if (t.devices().get(i).id().equals(s.device())) {
                    shares[i] = TensorShareRounding.roundedShare(m, s.kvGroups(), s.ffnColumns());
                }
            }
        }
        TensorParallelEstimate e = new TensorParallelLatency(t, m, rates).estimate(shares, AllReduceScheme.AIRCOMP);
        List<Plan.DevicePrediction> per = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            per.add(new Plan.DevicePrediction(t.devices().get(i).id(), MemoryModel.tensorParallelBytes(m, shares[i],
                    t.settings().sequences()), e.deviceComputePerLayerS().get(i) * m.layers() * 1e3, 0));
        }
        Double mse = null;
        if (tp.details() != null && tp.details().has("expectedMse")) {
            mse = tp.details().get("expectedMse").asDouble();
        }
        return new Plan.Predicted(e.tokensPerSecond(), e.perTokenS() * 1e3, mse, per);
    }
}
