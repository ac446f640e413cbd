package org.airshard.planner.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.json.Json;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.pipeline.Baseline;
import org.airshard.planner.pipeline.PartitionResult;
import org.airshard.planner.optimize.MseEstimate;
import org.airshard.planner.optimize.OptimizationReport;
import org.airshard.planner.optimize.SscaOptions;
import org.airshard.planner.topology.Topology;

/** Turns planner results into {@link Plan}s. */
public final class PlanBuilder {

    private PlanBuilder() {
    }

    /** A pipeline plan from the partitioner's result (which must have a ring). */
    public static Plan fromPartition(PartitionResult r, Topology t, ModelSpec m, String tool) {
        List<Plan.Stage> stages = new ArrayList<>();
        int start = 0;
        for (int k = 0; k < r.best().ring().size(); k++) {
            int n = r.best().layerCounts().get(k);
            stages.add(new Plan.Stage(r.best().ring().get(k), start, start + n));
            start += n;
        }
        Plan.PipelinePart pp = new Plan.PipelinePart(r.sequences(), stages);
        List<Plan.BaselineSummary> baselines = new ArrayList<>();
        for (Baseline b : r.baselines()) {
            baselines.add(new Plan.BaselineSummary(b.name(), b.estimate().tokensPerSecond(r.sequences()), b.fits(),
                    b.fits() ? b.estimate().layerCounts().toString() + " layers in file order" : b.problem()));
        }
        ObjectNode solver = Json.mapper().createObjectNode();
        solver.put("name", "pipeline-partitioner");
        solver.put("status", r.status().name());
        solver.put("exhaustiveRingSearch", r.exhaustiveRingSearch());
        solver.put("ringsEvaluated", r.ringsEvaluated());
        solver.put("solveMillis", r.solveMillis());
        solver.put("sequences", r.sequences());
        var notes = solver.putArray("notes");
        r.notes().forEach(notes::add);
        var left = solver.putArray("leftOut");
        r.leftOut().forEach(left::add);
        return new Plan(Plan.Mode.PIPELINE, new Plan.TopologyRef(t.name(), PlanFiles.topologyHash(t)), m.id(), m.layers(), pp,
                null, PlanValidator.predictPipeline(pp, t, m, new RadioRates(t)), baselines,
                new Plan.Provenance(tool, Instant.now().toString(), null, solver));
    }

    /** A tensor-parallel plan from {@code optimize} (the report must have rounded shares). */
    public static Plan fromOptimization(OptimizationReport r, SscaOptions o, Topology t, ModelSpec m, String tool) {
        List<Plan.Share> shares = new ArrayList<>();
        for (int i = 0; i < t.devices().size(); i++) {
            shares.add(new Plan.Share(t.devices().get(i).id(), r.ssca().shares()[i], r.rounded().kvGroups()[i],
                    r.rounded().ffnColumns()[i]));
        }
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("expectedMse", r.mseRounded().mean());
        d.put("expectedMseCi95", r.mseRounded().ci95());
        d.put("normalisedMse", r.mseRounded().mean() / (t.effectiveStreams() * (double) t.devices().size()));
        d.put("expectedMseContinuous", r.mseContinuous().mean());
        d.put("roundingMaxShareLoss", r.rounded().maxLoss());
        var rs = d.putArray("roundedShares");
        for (double v : r.rounded().roundedShares()) {
            rs.add(v);
        }
        ObjectNode ch = d.putObject("channelSamples");
        ch.put("measured", !t.measuredChannels().isEmpty());
        ch.put("trainingSeed", o.seed());
        ch.put("trainingSamples", r.ssca().iterations());
        ch.put("evaluationSeed", r.evaluationSeed());
        ch.put("evaluationSamples", r.mseRounded().samples());
        var conv = d.putArray("convergence");
        List<Double> curve = r.ssca().runningMse();
        int step = Math.max(1, curve.size() / 500);
        for (int i = 0; i < curve.size(); i += step) {
            conv.addObject().put("iteration", i).put("runningMse", curve.get(i));
        }
        var bl = d.putArray("baselines");
        for (OptimizationReport.BaselineMse b : r.baselines()) {
            ObjectNode o2 = bl.addObject();
            o2.put("name", b.name());
            var sh = o2.putArray("shares");
            for (double v : b.shares()) {
                sh.add(v);
            }
            putMse(o2, b.mse());
            o2.put("msPerToken", b.latency().perTokenS() * 1e3);
        }
        var sc = d.putArray("schemes");
        for (OptimizationReport.SchemeResult s : r.schemes()) {
            ObjectNode o2 = sc.addObject();
            o2.put("scheme", s.latency().scheme().id());
            o2.put("msPerToken", s.latency().perTokenS() * 1e3);
            o2.put("allReduceMs", s.latency().allReduceS() * 1e3);
            putMse(o2, s.mse());
        }
        if (r.selection() != null) {
            ObjectNode sel = d.putObject("safeguard");
            sel.put("selected", r.selection().selected());
            var ss = sel.putArray("sscaShares");
            for (double v : r.selection().sscaShares()) {
                ss.add(v);
            }
            var cs = sel.putArray("candidates");
            for (OptimizationReport.Candidate c : r.selection().candidates()) {
                ObjectNode o2 = cs.addObject();
                o2.put("name", c.name());
                putMse(o2, c.mseRounded());
            }
        }
        var boxes = d.putArray("shareBounds");
        for (int i = 0; i < t.devices().size(); i++) {
            boxes.addObject().put("device", t.devices().get(i).id()).put("max", r.ssca().boxes().hi()[i])
                    .put("limitedBy", r.ssca().boxes().reason().get(i));
        }
        if (!r.ssca().note().isEmpty()) {
            d.put("note", r.ssca().note());
        }
        Plan.TensorPart tp = new Plan.TensorPart(t.server().id(), t.effectiveStreams(), shares, d);
        ObjectNode solver = Json.mapper().createObjectNode();
        solver.put("name", "aircomp-ssca");
        solver.put("status", r.ssca().status().name());
        solver.put("iterations", r.ssca().iterations());
        solver.put("maxIterations", o.iterations());
        solver.put("rhoExponent", o.rhoExponent());
        solver.put("gammaExponent", o.gammaExponent());
        solver.put("proximalScale", o.proximalScale());
        solver.put("randomizationSamples", o.randomizationSamples());
        solver.put("polish", o.polish());
        solver.put("stepOffset", o.stepOffset());
        solver.put("anchorPeriod", o.anchorPeriod());
        solver.put("warmPolishIterations", org.airshard.planner.optimize.SscaOptimizer.WARM_POLISH_ITERATIONS);
        solver.put("warmPolishTolerance", org.airshard.planner.optimize.SscaOptimizer.WARM_POLISH_TOLERANCE);
        solver.put("fullShortTermDesigns", r.ssca().fullDesigns());
        solver.put("latencyBudgetS", o.latencyBudgetS());
        solver.put("solveMillis", r.ssca().millis());
        List<Plan.BaselineSummary> baselines = new ArrayList<>();
        for (OptimizationReport.BaselineMse b : r.baselines()) {
            baselines.add(new Plan.BaselineSummary(b.name(), b.latency().tokensPerSecond(), b.mse() != null,
                    b.mse() == null ? "infeasible: a device cannot afford its share's compute energy"
                            : String.format(java.util.Locale.ROOT, "E[MSE] %.4g", b.mse().mean())));
        }
        Plan.Predicted pred = PlanValidator.predictTensor(tp, t, m, new RadioRates(t));
        return new Plan(Plan.Mode.TENSOR, new Plan.TopologyRef(t.name(), PlanFiles.topologyHash(t)), m.id(), m.layers(), null,
                tp, pred, baselines, new Plan.Provenance(tool, Instant.now().toString(), o.seed(), solver));
    }

    private static void putMse(ObjectNode o, MseEstimate e) {
        if (e == null) {
            o.putNull("expectedMse");
            return;
        }
        o.put("expectedMse", e.mean());
        o.put("expectedMseCi95", e.ci95());
    }
}
