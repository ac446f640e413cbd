package org.airshard.app.report;

import java.nio.file.Path;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.plan.PlanFiles;
import org.airshard.planner.plan.PlanValidator;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;

/**
 * What a report shows: the plan, re-checked against its topology when one is given, and a trace of a run
 * when one is given.
 *
 * @param plan     the plan
 * @param topology the topology (null when not given)
 * @param model    its model (null without topology)
 * @param check    re-check and re-prediction of the plan (null without topology)
 * @param trace    run trace (null when not given)
 */
public record ReportData(Plan plan, Topology topology, ModelSpec model, PlanValidator.Check check, TraceEvents trace) {

    public static ReportData load(Path plan, Path topology, Path trace) throws InputException {
        Plan p = PlanFiles.read(plan);
        Topology t = null;
        ModelSpec m = null;
        PlanValidator.Check c = null;
        if (topology != null) {
            TopologyFiles.Loaded l = TopologyFiles.load(topology);
            t = l.topology();
            m = l.model();
            c = PlanValidator.check(p, t, m);
        }
        return new ReportData(p, t, m, c, trace == null ? null : TraceEvents.read(trace));
    }

    /** Predictions: re-computed when the topology is known, else those recorded in the plan. */
    public Plan.Predicted predicted() {
        return check != null && check.predicted() != null ? check.predicted() : plan.predicted();
    }
}
