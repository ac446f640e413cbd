package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.topology.TopologyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layouts {@code run --replan} chooses: the partitioner on the topology's remaining devices, else equal ranges. */
class ReplannerTest {

    @TempDir
    Path tmp;

    static void assertCovers(ModelConfig c, List<ShardSpec> shards) {
        int next = 0;
        for (ShardSpec s : shards) {
            assertEquals(next, s.layerStart());
            // only the starter (embedding, head, sampling) may hold no layers
            assertTrue(s.layerEnd() > s.layerStart() || next == 0 && s == shards.get(0));
            next = s.layerEnd();
        }
        assertEquals(c.layers(), next);
    }

    @Test
    void partitionerOverTheRemainingDevicesOfTheTopology() throws Exception {
        String json = Files.readString(Path.of("../sample-topologies/local-demo.json"));
        Path topo = tmp.resolve("t.json");
        Files.writeString(topo, json.replace("127.0.0.1:7401", "10.0.0.1:7400").replace("127.0.0.1:7402", "10.0.0.2:7400")
                .replace("127.0.0.1:7403", "10.0.0.3:7400"));
        ModelConfig c = ModelConfig.fromSpec(TopologyFiles.load(topo).model());
        RunLogic.Request r = new RunLogic.Request(null, List.of(), "pipeline", null, null, topo, 2, null, "1", 4, true, 0, null,
                List.of(), 1, 2048, null, null, true);
        DistributedRun.Relayout l = RunLogic.replanner(r, c, m -> { }).replan(List.of("10.0.0.1:7400", "10.0.0.3:7400"),
                "10.0.0.2:7400");
        // the partitioner's starter may hold no layers: it stays in the ring (it runs embedding, head and sampling)
        assertTrue(!l.addresses().isEmpty() && List.of("10.0.0.1:7400", "10.0.0.3:7400").containsAll(l.addresses()), l.toString());
        assertEquals(l.addresses().size(), l.shards().size());
        assertCovers(c, l.shards());
    }

    @Test
    void equalRangesWithoutATopology() throws Exception {
        String json = Files.readString(Path.of("../sample-topologies/local-demo.json"));
        Path topo = tmp.resolve("t.json");
        Files.writeString(topo, json);
        ModelConfig c = ModelConfig.fromSpec(TopologyFiles.load(topo).model());
        RunLogic.Request r = new RunLogic.Request(null, List.of(), "pipeline", null, null, null, 1, null, "1", 4, true, 0, null,
                List.of(), 1, 2048, null, null, true);
        DistributedRun.Relayout l = RunLogic.replanner(r, c, m -> { }).replan(List.of("a:1", "c:3"), "b:2");
        assertEquals(List.of("a:1", "c:3"), l.addresses());
        assertCovers(c, l.shards());
        assertEquals(c.layers() / 2, l.shards().get(0).layerEnd());
    }
}
