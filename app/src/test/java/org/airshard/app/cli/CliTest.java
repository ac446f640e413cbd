package org.airshard.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.airshard.planner.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    static final Path SAMPLES = Path.of("..", "sample-topologies");

    public record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AirshardCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("\tat "), "stack trace on stderr:\n" + r.err());
        assertFalse(r.err().contains("Exception"), "exception name on stderr:\n" + r.err());
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"validate", "analyze", "gui"}) {
            assertTrue(r.out().contains(c), c);
        }
        assertEquals(0, run("validate", "--help").code());
        assertEquals(0, run("analyze", "--help").code());
    }

    @Test
    void validateSummarisesAValidSample() {
        Run r = run("validate", "--topology", SAMPLES.resolve("aircomp-paper-4dev.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("OK: AirComp paper setting: 4 devices"), r.out());
        assertTrue(r.out().contains("uplink SNR per antenna"));
        assertTrue(r.out().contains("14.96 GiB of weights"));
    }

    @Test
    void validateListsEveryProblemAndExitsOne(@TempDir Path dir) throws Exception {
        String text = Files.readString(SAMPLES.resolve("local-demo.json"))
                .replace("\"memoryBytes\": 536870912", "\"memoryBytes\": -1")
                .replace("\"id\": \"board-2\"", "\"id\": \"board-1\"");
        Path f = dir.resolve("bad.json");
        Files.writeString(f, text);
        Run r = run("validate", "--topology", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("$.devices[0].memoryBytes: must be at least 1, got -1"), r.err());
        assertTrue(r.err().contains("duplicate id 'board-1'"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void analyzeWritesJsonAtomically(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sub").resolve("analysis.json");
        Run r = run("analyze", "--topology", SAMPLES.resolve("mdi-llm-3x-tx2.json").toString(), "--json", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.readTree(out);
        assertEquals("airshard.analysis/1", j.get("format").asText());
        assertEquals(3, j.get("tensorParallel").get("schemes").size());
        assertEquals(3, j.get("pipeline").get("ring").size());
        assertTrue(j.get("pipeline").get("ringMs").asDouble() > 0);
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }

    @Test
    void analyzePrintsReadableTables() {
        Run r = run("analyze", "--topology", SAMPLES.resolve("home-lab.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("AirComp (over the air)"));
        assertTrue(r.out().contains("Digital 8-bit OFDMA"));
        assertTrue(r.out().contains("Uncoded FDMA"));
        assertTrue(r.out().contains("knee at S ="));
    }

    @Test
    void badUsageGivesOneLineAndExitTwo() {
        Run r = run("analyze");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--topology=FILE'"), r.err());
        Run u = run("frobnicate");
        assertEquals(2, u.code());
        assertNoStackTrace(u);
    }

    @Test
    void brokenFilesNeverPrintStackTraces(@TempDir Path dir) throws Exception {
        Random rnd = new Random(3);
        byte[] garbage = new byte[1 << 20];
        rnd.nextBytes(garbage);
        byte[][] contents = {new byte[0], "{".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8),
                garbage, "{\"devices\": 5}".getBytes(StandardCharsets.UTF_8)};
        for (byte[] c : contents) {
            Path f = dir.resolve("broken.json");
            Files.write(f, c);
            for (String cmd : new String[] {"validate", "analyze"}) {
                Run r = run(cmd, "--topology", f.toString());
                assertEquals(1, r.code(), cmd + ": " + r.err());
                assertTrue(r.err().contains("broken.json"), "names the file: " + r.err());
                assertNoStackTrace(r);
            }
        }
        Run missing = run("analyze", "--topology", dir.resolve("missing.json").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("file not found"));
    }

    @Test
    void outputIsNotWrittenWhenTheInputIsBad(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{}");
        Path out = dir.resolve("out.json");
        assertEquals(1, run("analyze", "--topology", f.toString(), "--json", "--out", out.toString()).code());
        assertFalse(Files.exists(out));
    }

    @Test
    void partitionWritesAPlanThatValidates(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.json");
        String topo = SAMPLES.resolve("home-lab.json").toString();
        Run r = run("partition", "--topology", topo, "--out", plan.toString(), "--samples", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tokens/s at S = 4"), r.out());
        assertTrue(r.out().contains("mdi-llm-table"), r.out());
        Run v = run("validate", "--topology", topo, "--plan", plan.toString());
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("is legal"), v.out());
        // a hand edit that breaks contiguity
        String text = Files.readString(plan).replaceFirst("\"layerStart\" : 6", "\"layerStart\" : 7");
        Files.writeString(plan, text);
        Run bad = run("validate", "--topology", topo, "--plan", plan.toString());
        assertEquals(1, bad.code(), bad.out());
        assertTrue(bad.err().contains("contiguous"), bad.err());
        assertNoStackTrace(bad);
    }

    @Test
    void partitionRejectsBadOptions(@TempDir Path dir) {
        Run r = run("partition", "--topology", SAMPLES.resolve("home-lab.json").toString(), "--out",
                dir.resolve("p.json").toString(), "--samples", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--samples: must be between 1 and 4096"), r.err());
        assertFalse(Files.exists(dir.resolve("p.json")));
    }

    @Test
    void latencySweepWritesCsvAndPng(@TempDir Path dir) throws Exception {
        Run r = run("sweep", "latency", "--out", dir.toString(), "--samples-dir", SAMPLES.toString());
        assertEquals(0, r.code(), r.err());
        String csv = Files.readString(dir.resolve("latency.csv"));
        assertTrue(csv.contains("llama2-7b AirComp ms/token"), csv);
        assertEquals(5, csv.lines().filter(l -> !l.startsWith("#")).count(), "header and one row per device count: " + csv);
        byte[] png = Files.readAllBytes(dir.resolve("latency.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        Run bad = run("sweep", "nonsense", "--out", dir.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown sweep 'nonsense'"), bad.err());
    }
}
