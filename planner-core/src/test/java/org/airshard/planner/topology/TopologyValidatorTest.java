package org.airshard.planner.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.airshard.planner.json.Json;
import org.junit.jupiter.api.Test;

class TopologyValidatorTest {

    static ObjectNode base() throws Exception {
        return (ObjectNode) Json.readTree(Path.of("..", "sample-topologies", "local-demo.json"));
    }

    static ValidationReport check(ObjectNode tree) {
        TopologyReader.Result r = TopologyReader.read(tree);
        ValidationReport rep = r.report();
        if (r.topology() != null) {
            rep = rep.plus(TopologyValidator.validate(r.topology(), null).report());
        }
        return rep;
    }

    static List<ValidationIssue> errorsAt(ValidationReport r, String path) {
        return r.errors().stream().filter(i -> i.path().equals(path)).toList();
    }

    @Test
    void collectsEveryProblemAtOnceWithPathsAndSubjects() throws Exception {
        ObjectNode t = base();
        ((ObjectNode) t.get("devices").get(0)).put("memoryBytes", -5);
        ((ObjectNode) t.get("devices").get(1)).put("id", "board-1");
        ((ObjectNode) t.get("links").get(0)).put("to", "nowhere");
        ValidationReport r = check(t);
        assertEquals(1, errorsAt(r, "$.devices[0].memoryBytes").size());
        assertEquals(1, errorsAt(r, "$.devices[1].id").size());
        assertTrue(errorsAt(r, "$.devices[1].id").get(0).message().contains("duplicate id 'board-1'"));
        assertEquals("board-1", errorsAt(r, "$.devices[1].id").get(0).subjectId());
        assertTrue(errorsAt(r, "$.links[0].to").get(0).message().contains("unknown node 'nowhere'"));
        assertTrue(r.errors().size() >= 3);
    }

    @Test
    void streamsBeyondAnyDevicesAntennasMakeZeroForcingImpossible() throws Exception {
        ObjectNode t = base();
        ((ObjectNode) t.get("settings")).put("streams", 3);
        ValidationReport r = check(t);
        List<ValidationIssue> e = errorsAt(r, "$.devices[0].antennas");
        assertEquals(1, e.size());
        assertTrue(e.get(0).message().contains("zero-forcing is impossible"), e.get(0).message());
        ((ObjectNode) t.get("settings")).put("streams", 9);
        assertEquals(1, errorsAt(check(t), "$.settings.streams").size(), "L > N_r = 8");
    }

    @Test
    void aModelLargerThanAllDevicesTogetherIsRejected() throws Exception {
        ObjectNode t = base();
        ((ObjectNode) t.get("model")).put("preset", "llama2-70b");
        List<ValidationIssue> e = errorsAt(check(t), "$.model");
        assertEquals(1, e.size());
        assertTrue(e.get(0).message().contains("all devices together"), e.get(0).message());
    }

    @Test
    void energyBudgetsThatCannotCoverALayerAreRejected() throws Exception {
        ObjectNode t = base();
        for (var d : t.get("devices")) {
            ((ObjectNode) d).put("energyPerParameterJ", 1e-6);
        }
        ValidationReport r = check(t);
        assertTrue(errorsAt(r, "$.devices").stream().anyMatch(i -> i.message().contains("energy budgets")), r.toString());
        assertEquals(3, r.warnings().stream().filter(i -> i.path().endsWith("energyBudgetJPerLayer")).count());
    }

    @Test
    void measuredChannelsMustMatchTheAntennaCounts() throws Exception {
        ObjectNode t = base();
        var mc = t.putArray("measuredChannels").addObject().putArray("devices");
        for (String id : List.of("board-1", "board-2")) {
            var d = mc.addObject();
            d.put("device", id);
            var re = d.putArray("re");
            var im = d.putArray("im");
            for (int r = 0; r < 8; r++) {
                re.addArray().add(1.0).add(0.5);
                im.addArray().add(0.0).add(0.1);
            }
        }
        ValidationReport ok = check(t);
        assertTrue(ok.errors().stream().anyMatch(i -> i.message().contains("no channel matrix for device 'board-3'")), ok.toString());
        ((ObjectNode) mc.get(0)).withArray("re").add(t.arrayNode().add(1.0).add(2.0));
        ((ObjectNode) mc.get(0)).withArray("im").add(t.arrayNode().add(1.0).add(2.0));
        assertTrue(check(t).errors().stream().anyMatch(i -> i.message().contains("must be N_r×N_t = 8×2")));
    }

    @Test
    void aValidTopologyHasNoErrors() throws Exception {
        ValidationReport r = check(base());
        assertFalse(r.hasErrors(), r.toString());
    }

    @Test
    void typosInFieldNamesAreWarnedAbout() throws Exception {
        ObjectNode t = base();
        ((ObjectNode) t.get("devices").get(0)).put("memroyBytes", 5);
        ValidationReport r = check(t);
        assertFalse(r.hasErrors());
        assertTrue(r.warnings().stream().anyMatch(i -> i.path().equals("$.devices[0].memroyBytes")));
    }
}
