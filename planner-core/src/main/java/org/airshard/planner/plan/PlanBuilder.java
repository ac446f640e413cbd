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
}
