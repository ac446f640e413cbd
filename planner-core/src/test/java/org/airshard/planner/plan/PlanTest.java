package org.airshard.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.io.InputException;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.pipeline.PartitionResult;
import org.airshard.planner.pipeline.PipelinePartitioner;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.topology.TopologyFiles;
import org.airshard.planner.topology.ValidationIssue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanTest {

    static TopologyFiles.Loaded load(String name) throws Exception {
        return TopologyFiles.load(Path.of("..", "sample-topologies", name));
    }

    static Plan partitionPlan(TopologyFiles.Loaded l, int s) {
        PartitionResult r = new PipelinePartitioner(l.topology(), l.model(), new RadioRates(l.topology()))
                .partition(PipelinePartitioner.Options.of(s), Cancellation.none());
        return PlanBuilder.fromPartition(r, l.topology(), l.model(), "test");
    }

    static Plan withStages(Plan p, List<Plan.Stage> stages) {
        return new Plan(p.mode(), p.topology(), p.modelId(), p.layers(), new Plan.PipelinePart(p.pipeline().sequences(), stages),
                null, p.predicted(), p.baselines(), p.provenance());
    }

    @Test
    void aPartitionPlanRoundTripsAndRevalidatesToTheSamePrediction(@TempDir Path dir) throws Exception {
        var l = load("home-lab.json");
        Plan p = partitionPlan(l, 4);
        Path f = dir.resolve("plan.json");
        PlanFiles.write(p, f);
        Plan back = PlanFiles.read(f);
        assertEquals(PlanFiles.toTree(p).toString(), PlanFiles.toTree(back).toString(), "a plan survives a round trip");
        var schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(org.airshard.planner.json.Json.readTree(Path.of("..", "sample-topologies", "plan.schema.json")));
        assertTrue(schema.validate(org.airshard.planner.json.Json.readTree(f)).isEmpty(), "conforms to plan.schema.json");
        PlanValidator.Check c = PlanValidator.check(back, l.topology(), l.model());
        assertFalse(c.report().hasErrors(), c.report().toString());
        assertEquals(p.predicted().tokensPerSecond(), c.predicted().tokensPerSecond(), 1e-9);
        assertTrue(c.report().warnings().isEmpty(), c.report().toString());
    }

    @Test
    void illegalEditsNameTheBoardAndTheRule() throws Exception {
        var l = load("mdi-llm-3x-tx2.json");
        Plan p = partitionPlan(l, 3);
        List<Plan.Stage> st = new ArrayList<>(p.pipeline().stages());
        // a gap: the second stage starts one layer late
        Plan.Stage s1 = st.get(1);
        st.set(1, new Plan.Stage(s1.device(), s1.layerStart() + 1, s1.layerEnd()));
        List<ValidationIssue> e = PlanValidator.check(withStages(p, st), l.topology(), l.model()).report().errors();
        assertTrue(e.stream().anyMatch(i -> i.message().contains("board '" + s1.device() + "'") && i.message().contains("contiguous")
                && i.message().contains("not covered")), e.toString());
        // a board twice
        st = new ArrayList<>(p.pipeline().stages());
        Plan.Stage s2 = st.get(2);
        st.set(2, new Plan.Stage(st.get(0).device(), s2.layerStart(), s2.layerEnd()));
        e = PlanValidator.check(withStages(p, st), l.topology(), l.model()).report().errors();
        assertTrue(e.stream().anyMatch(i -> i.message().contains("appears twice")), e.toString());
        // layers missing at the end
        st = new ArrayList<>(p.pipeline().stages());
        Plan.Stage last = st.get(2);
        st.set(2, new Plan.Stage(last.device(), last.layerStart(), last.layerEnd() - 1));
        e = PlanValidator.check(withStages(p, st), l.topology(), l.model()).report().errors();
        assertTrue(e.stream().anyMatch(i -> i.message().contains("are not held by any board")), e.toString());
        // unknown board
        st = new ArrayList<>(p.pipeline().stages());
        st.set(1, new Plan.Stage("ghost", s1.layerStart(), s1.layerEnd()));
        e = PlanValidator.check(withStages(p, st), l.topology(), l.model()).report().errors();
        assertTrue(e.stream().anyMatch(i -> i.subjectId().equals("ghost")), e.toString());
    }

    @Test
    void memoryOverflowIsReportedOnTheBoard() throws Exception {
        var l = load("home-lab.json");
        ModelSpec m = l.model();
        // everything on the 4 GB Pi 4 with a huge context: too much KV cache
        Plan p = partitionPlan(l, 4);
        Plan.Stage all = new Plan.Stage("pi4", 0, m.layers());
        Plan big = new Plan(p.mode(), p.topology(), p.modelId(), p.layers(), new Plan.PipelinePart(64, List.of(all)), null,
                null, List.of(), null);
        List<ValidationIssue> e = PlanValidator.check(big, l.topology(), m).report().errors();
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).message().startsWith("memory: board 'pi4' needs"), e.get(0).message());
        assertEquals("pi4", e.get(0).subjectId());
    }

    @Test
    void tensorSharesAreRoundedToWholeGroupsAndColumns() throws Exception {
        ModelSpec m = load("aircomp-paper-4dev.json").model();
        double[] shares = {0.4, 0.3, 0.2, 0.1};
        TensorShareRounding.Rounded r = TensorShareRounding.round(shares, m);
        assertEquals(m.kvHeads(), java.util.Arrays.stream(r.kvGroups()).sum());
        assertEquals(m.ffnSize(), java.util.Arrays.stream(r.ffnColumns()).sum());
        assertTrue(r.maxLoss() < 0.05, "loss " + r.maxLoss());
        double total = java.util.Arrays.stream(r.roundedShares()).sum();
        assertEquals(1.0, total, 1e-12);
    }

    @Test
    void tensorPlansAreCheckedForSumsMemoryAndEnergy() throws Exception {
        var l = load("aircomp-paper-4dev.json");
        ModelSpec m = l.model();
        List<Plan.Share> good = List.of(new Plan.Share("d1", 0.25, 2, 3584), new Plan.Share("d2", 0.25, 2, 3584),
                new Plan.Share("d3", 0.25, 2, 3584), new Plan.Share("d4", 0.25, 2, 3584));
        Plan p = new Plan(Plan.Mode.TENSOR, new Plan.TopologyRef("x", ""), m.id(), m.layers(), null,
                new Plan.TensorPart("server", 4, good, null), null, List.of(), null);
        PlanValidator.Check ok = PlanValidator.check(p, l.topology(), m);
        assertFalse(ok.report().hasErrors(), ok.report().toString());
        assertNotNull(ok.predicted());
        List<Plan.Share> bad = List.of(new Plan.Share("d1", 0.5, 3, 4000), new Plan.Share("d2", 0.25, 2, 3584),
                new Plan.Share("d3", 0.25, 2, 3584), new Plan.Share("d4", 0.25, 2, 3584));
        Plan q = new Plan(Plan.Mode.TENSOR, p.topology(), m.id(), m.layers(), null, new Plan.TensorPart("server", 4, bad, null),
                null, List.of(), null);
        List<ValidationIssue> e = PlanValidator.check(q, l.topology(), m).report().errors();
        assertTrue(e.stream().anyMatch(i -> i.message().contains("shares must sum to 1")), e.toString());
        assertTrue(e.stream().anyMatch(i -> i.message().contains("KV groups must add up to the model's 8")), e.toString());
        assertTrue(e.stream().anyMatch(i -> i.message().contains("MLP columns must add up")), e.toString());
    }

    @Test
    void brokenPlanFilesGiveClearErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{\"format\": \"airshard.plan/1\", \"mode\": \"hybrid\", \"model\": {\"layers\": -1}}");
        InputException e = assertThrows(InputException.class, () -> PlanFiles.read(f));
        String all = e.problems().toString();
        assertTrue(all.contains("$.mode") && all.contains("hybrid plans are not supported"), all);
        assertTrue(all.contains("$.model.layers"), all);
        Files.writeString(f, "{\"format\": \"airshard.plan/1\", \"mode\": \"pipeline\", \"model\": {\"id\": \"x\", \"layers\": 4},"
                + " \"pipeline\": {\"stages\": [{\"device\": 3, \"layerStart\": \"0\"}]}}");
        e = assertThrows(InputException.class, () -> PlanFiles.read(f));
        all = e.problems().toString();
        assertTrue(all.contains("$.pipeline.stages[0].device") && all.contains("$.pipeline.stages[0].layerStart")
                && all.contains("$.pipeline.stages[0].layerEnd"), all);
    }

    @Test
    void aChangedTopologyIsWarnedAbout() throws Exception {
        var l = load("mdi-llm-3x-tx2.json");
        Plan p = partitionPlan(l, 3);
        var changed = l.topology().withName("renamed");
        var c = PlanValidator.check(p, changed, l.model());
        assertFalse(c.report().hasErrors());
        assertTrue(c.report().warnings().stream().anyMatch(w -> w.message().contains("different version")));
    }
}
