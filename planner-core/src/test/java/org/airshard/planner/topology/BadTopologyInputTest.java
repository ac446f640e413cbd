package org.airshard.planner.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.airshard.planner.io.InputException;
import org.airshard.planner.io.InputProblem;
import org.airshard.planner.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds broken topologies to the loader: every one must give at least one error naming a JSON path and a
 * readable message, and nothing else may be thrown.
 */
class BadTopologyInputTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    record Case(String name, String expectedPath, Consumer<ObjectNode> mutate) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ObjectNode dev(ObjectNode t, int i) {
        return (ObjectNode) t.get("devices").get(i);
    }

    static ObjectNode obj(ObjectNode t, String f) {
        return (ObjectNode) t.get(f);
    }

    static Stream<Arguments> treeCases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("server missing", "$.server", t -> t.remove("server")));
        c.add(new Case("server not an object", "$.server", t -> t.put("server", 3)));
        c.add(new Case("server antennas negative", "$.server.antennas", t -> obj(t, "server").put("antennas", -1)));
        c.add(new Case("server antennas zero", "$.server.antennas", t -> obj(t, "server").put("antennas", 0)));
        c.add(new Case("server antennas text", "$.server.antennas", t -> obj(t, "server").put("antennas", "four")));
        c.add(new Case("server antennas fractional", "$.server.antennas", t -> obj(t, "server").put("antennas", 2.5)));
        c.add(new Case("server noise text", "$.server.noisePowerDbm", t -> obj(t, "server").put("noisePowerDbm", "x")));
        c.add(new Case("server memory negative", "$.server.memoryBytes", t -> obj(t, "server").put("memoryBytes", -1)));
        c.add(new Case("server flops zero", "$.server.flopsPerSecond", t -> obj(t, "server").put("flopsPerSecond", 0)));
        c.add(new Case("server position missing", "$.server.position", t -> obj(t, "server").remove("position")));
        c.add(new Case("devices an object", "$.devices", t -> t.putObject("devices")));
        c.add(new Case("devices empty", "$.devices", t -> t.putArray("devices")));
        c.add(new Case("devices missing", "$.devices", t -> t.remove("devices")));
        c.add(new Case("device a number", "$.devices[0]", t -> ((ArrayNode) t.get("devices")).set(0, F.numberNode(5))));
        c.add(new Case("device id missing", "$.devices[0].id", t -> dev(t, 0).remove("id")));
        c.add(new Case("device id a number", "$.devices[0].id", t -> dev(t, 0).put("id", 7)));
        c.add(new Case("duplicate device id", "$.devices[1].id", t -> dev(t, 1).put("id", "board-1")));
        c.add(new Case("device id equals server id", "$.devices[0].id", t -> dev(t, 0).put("id", "coordinator")));
        c.add(new Case("device id with spaces", "$.devices[0].id", t -> dev(t, 0).put("id", "bad id!")));
        c.add(new Case("unknown kind", "$.devices[0].kind", t -> dev(t, 0).put("kind", "toaster")));
        c.add(new Case("antennas negative", "$.devices[0].antennas", t -> dev(t, 0).put("antennas", -3)));
        c.add(new Case("antennas huge", "$.devices[0].antennas", t -> dev(t, 0).put("antennas", 1_000_000)));
        c.add(new Case("flops zero", "$.devices[0].flopsPerSecond", t -> dev(t, 0).put("flopsPerSecond", 0)));
        c.add(new Case("flops negative", "$.devices[0].flopsPerSecond", t -> dev(t, 0).put("flopsPerSecond", -1e9)));
        c.add(new Case("memory negative", "$.devices[0].memoryBytes", t -> dev(t, 0).put("memoryBytes", -5)));
        c.add(new Case("memory fractional", "$.devices[0].memoryBytes", t -> dev(t, 0).put("memoryBytes", 1.5)));
        c.add(new Case("memory as text", "$.devices[0].memoryBytes", t -> dev(t, 0).put("memoryBytes", "8GB")));
        c.add(new Case("memory beyond long", "$.devices[0].memoryBytes", t -> dev(t, 0).put("memoryBytes", 1e30)));
        c.add(new Case("energy budget zero", "$.devices[0].energyBudgetJPerLayer", t -> dev(t, 0).put("energyBudgetJPerLayer", 0)));
        c.add(new Case("energy coefficient negative", "$.devices[0].energyPerParameterJ", t -> dev(t, 0).put("energyPerParameterJ", -1)));
        c.add(new Case("tx power absurd", "$.devices[0].maxTxPowerDbm", t -> dev(t, 0).put("maxTxPowerDbm", 500)));
        c.add(new Case("position missing", "$.devices[0].position", t -> dev(t, 0).remove("position")));
        c.add(new Case("position x text", "$.devices[0].position.xM", t -> ((ObjectNode) dev(t, 0).get("position")).put("xM", "a")));
        c.add(new Case("position an array", "$.devices[0].position", t -> dev(t, 0).putArray("position").add(1).add(2)));
        c.add(new Case("agent without port", "$.devices[0].agent", t -> dev(t, 0).put("agent", "nohost")));
        c.add(new Case("agent port out of range", "$.devices[0].agent", t -> dev(t, 0).put("agent", "h:99999")));
        c.add(new Case("agent a number", "$.devices[0].agent", t -> dev(t, 0).put("agent", 7401)));
        c.add(new Case("duplicate agent", "$.devices[1].agent", t -> dev(t, 1).put("agent", "127.0.0.1:7401")));
        c.add(new Case("links a string", "$.links", t -> t.put("links", "x")));
        c.add(new Case("link from unknown", "$.links[0].from", t -> ((ObjectNode) t.get("links").get(0)).put("from", "ghost")));
        c.add(new Case("link to unknown", "$.links[0].to", t -> ((ObjectNode) t.get("links").get(0)).put("to", "ghost")));
        c.add(new Case("link self loop", "$.links[0]", t -> ((ObjectNode) t.get("links").get(0)).put("to", "board-1")));
        c.add(new Case("link rate zero", "$.links[0].rateBitsPerSecond", t -> ((ObjectNode) t.get("links").get(0)).put("rateBitsPerSecond", 0)));
        c.add(new Case("link rate missing", "$.links[0].rateBitsPerSecond", t -> ((ObjectNode) t.get("links").get(0)).remove("rateBitsPerSecond")));
        c.add(new Case("link latency negative", "$.links[0].latencyS", t -> ((ObjectNode) t.get("links").get(0)).put("latencyS", -1)));
        c.add(new Case("model missing", "$.model", t -> t.remove("model")));
        c.add(new Case("model empty", "$.model", t -> t.putObject("model")));
        c.add(new Case("model preset and checkpoint", "$.model", t -> obj(t, "model").put("checkpoint", "x")));
        c.add(new Case("unknown preset", "$.model.preset", t -> obj(t, "model").put("preset", "gpt-5")));
        c.add(new Case("checkpoint missing on disk", "$.model", t -> {
            obj(t, "model").remove("preset");
            obj(t, "model").put("checkpoint", "/nonexistent/ckpt");
        }));
        c.add(new Case("bytes per parameter zero", "$.model.bytesPerParameter", t -> obj(t, "model").put("bytesPerParameter", 0)));
        c.add(new Case("context negative", "$.model.contextTokens", t -> obj(t, "model").put("contextTokens", -1)));
        c.add(new Case("streams beyond N_t", "$.devices[0].antennas", t -> obj(t, "settings").put("streams", 5)));
        c.add(new Case("streams beyond N_r", "$.settings.streams", t -> obj(t, "settings").put("streams", 100)));
        c.add(new Case("sequences zero", "$.settings.sequences", t -> obj(t, "settings").put("sequences", 0)));
        c.add(new Case("headroom above one", "$.settings.memoryHeadroomFraction", t -> obj(t, "settings").put("memoryHeadroomFraction", 1.5)));
        c.add(new Case("wrong format", "$.format", t -> t.put("format", "other/2")));
        c.add(new Case("bandwidth negative", "$.channel.bandwidthHz", t -> obj(t, "channel").put("bandwidthHz", -1)));
        c.add(new Case("path loss exponent zero", "$.channel.pathLossExponent", t -> obj(t, "channel").put("pathLossExponent", 0)));
        c.add(new Case("channel an array", "$.channel", t -> t.putArray("channel")));
        c.add(new Case("model too large", "$.model", t -> obj(t, "model").put("preset", "llama2-70b")));
        c.add(new Case("energy cannot cover a layer", "$.devices", t -> t.get("devices")
                .forEach(d -> ((ObjectNode) d).put("energyPerParameterJ", 1e-5))));
        c.add(new Case("measured channel not an object", "$.measuredChannels[0]", t -> t.putArray("measuredChannels").add(1)));
        c.add(new Case("measured channel unknown device", "$.measuredChannels[0].devices[0].device", t -> {
            ObjectNode d = t.putArray("measuredChannels").addObject().putArray("devices").addObject();
            d.put("device", "ghost");
            d.putArray("re").addArray().add(1);
            d.putArray("im").addArray().add(1);
        }));
        c.add(new Case("measured channel with text entry", "$.measuredChannels[0].devices[0].re[0][0]", t -> {
            ObjectNode d = t.putArray("measuredChannels").addObject().putArray("devices").addObject();
            d.put("device", "board-1");
            d.putArray("re").addArray().add("x");
            d.putArray("im").addArray().add(1);
        }));
        c.add(new Case("measured channel ragged", "$.measuredChannels[0].devices[0].re[1]", t -> {
            ObjectNode d = t.putArray("measuredChannels").addObject().putArray("devices").addObject();
            d.put("device", "board-1");
            ArrayNode re = d.putArray("re");
            re.addArray().add(1).add(2);
            re.addArray().add(1);
            d.putArray("im").addArray().add(1).add(2);
        }));
        return c.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("treeCases")
    void brokenTreesGiveAnErrorAtThePath(Case c) throws Exception {
        ObjectNode t = TopologyValidatorTest.base();
        c.mutate().accept(t);
        ValidationReport r;
        try {
            r = TopologyValidatorTest.check(t);
        } catch (RuntimeException e) {
            fail(c.name() + ": threw " + e);
            return;
        }
        assertTrue(r.hasErrors(), c.name() + ": no error reported");
        for (ValidationIssue i : r.errors()) {
            assertTrue(i.path().startsWith("$"), "path " + i.path());
            assertFalse(i.message().isBlank());
        }
        assertTrue(r.errors().stream().anyMatch(i -> i.path().equals(c.expectedPath())),
                c.name() + ": expected an error at " + c.expectedPath() + ", got " + r.errors());
    }

    static Stream<Arguments> byteCases() {
        Random rnd = new Random(42);
        byte[] garbage = new byte[10 << 20];
        rnd.nextBytes(garbage);
        byte[] textGarbage = new byte[10 << 20];
        for (int i = 0; i < textGarbage.length; i++) {
            textGarbage[i] = (byte) ("{}[],:\"ab1 \n".charAt(rnd.nextInt(12)));
        }
        String deep = "[".repeat(5000) + "]".repeat(5000);
        return Stream.of(
                Arguments.of("empty file", new byte[0]),
                Arguments.of("whitespace only", "   \n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("truncated JSON", "{\"format\": \"airshard.topology/1\", \"server\": {\"antennas\": 4".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("trailing garbage", "{} xyz".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("duplicate key", "{\"name\": \"a\", \"name\": \"b\"}".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("single quotes", "{'name': 'a'}".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("deep nesting", deep.getBytes(StandardCharsets.UTF_8)),
                Arguments.of("10 MB binary garbage", garbage),
                Arguments.of("10 MB JSON-ish garbage", textGarbage),
                Arguments.of("a number", "42".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("an array", "[1, 2]".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("null", "null".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("byteCases")
    void brokenFilesGiveOneClearMessage(String name, byte[] content, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.json");
        Files.write(f, content);
        InputException e = assertThrows(InputException.class, () -> TopologyFiles.load(f), name);
        for (InputProblem p : e.problems()) {
            assertTrue(p.source().endsWith("broken.json"), "names the file: " + p);
            assertFalse(p.message().isBlank());
            assertTrue(p.toString().length() < 600, "message stays readable: " + p.toString().length() + " chars");
        }
    }

    @Test
    void missingFileAndDirectoryAreNamed(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> TopologyFiles.load(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
        e = assertThrows(InputException.class, () -> TopologyFiles.load(dir));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void atLeastFiftyVariantsAreCovered() {
        long n = treeCases().count() + byteCases().count();
        assertTrue(n >= 50, "only " + n + " broken variants");
    }

}
