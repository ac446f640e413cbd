package org.airshard.app.cli;

import static org.airshard.app.cli.CliTest.assertNoStackTrace;
import static org.airshard.app.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.airshard.executor.board.BoardAgent;
import org.airshard.planner.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airshard run} against two loopback agents gives the tokens of {@code generate}; errors are one line. */
@Tag("network")
class RunCliTest {

    @Test
    void runEqualsGenerateAndWritesATrace(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        assertEquals(0, run("model", "synth", "--shape", "tiny", "--out", model.toString()).code());
        Path tok = dir.resolve("token");
        Files.writeString(tok, "cli-token\n");
        try (BoardAgent a = new BoardAgent(BoardAgent.Options.loopback("a", "cli-token", dir.resolve("a")));
             BoardAgent b = new BoardAgent(BoardAgent.Options.loopback("b", "cli-token", dir.resolve("b")))) {
            String boards = "127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port();
            CliTest.Run g = run("generate", "--model", model.toString(), "--prompt-ids", "1,2,3", "--max-tokens", "10", "--greedy", "--json");
            JsonNode ref = Json.parse("g", g.out().getBytes()).get("tokens");
            Path trace = dir.resolve("trace.json");
            for (String mode : new String[] {"pipeline", "tensor"}) {
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--model", model.toString(), "--boards",
                        boards, "--mode", mode, "--samples", "2", "--prompt-ids", "1,2,3", "--max-tokens", "10", "--greedy", "--json",
                        "--token-file", tok.toString(), "--known-boards", dir.resolve("kb").toString(), "--trace", trace.toString()));
                if (mode.equals("pipeline")) {
                    args.add("--replan");
                }
                CliTest.Run r = run(args.toArray(String[]::new));
                assertEquals(0, r.code(), r.err());
                JsonNode j = Json.parse("r", r.out().getBytes());
                assertEquals(ref, j.get("sequences").get(0).get("tokens"), mode);
                assertEquals(ref, j.get("sequences").get(1).get("tokens"), mode);
                assertEquals(2, j.get("boards").size());
                assertTrue(j.get("tokensPerSecond").asDouble() > 0);
                JsonNode events = Json.parse("t", Files.readAllBytes(trace));
                assertTrue(events.get("traceEvents").size() > 10);
                assertEquals(java.util.List.of(), org.airshard.app.report.TraceFormatCheck.trace(events), mode);
                java.util.Set<String> counters = new java.util.HashSet<>();
                events.get("traceEvents").forEach(e -> {
                    if (e.path("ph").asText().equals("C") && e.path("args").path("value").asDouble() > 0) {
                        counters.add(e.path("name").asText());
                    }
                });
                assertTrue(counters.contains("link in (bytes/s)") && counters.contains("link out (bytes/s)"), counters.toString());
                if (mode.equals("pipeline")) {
                    assertEquals(0, j.get("replans").size(), "no board lost, no re-plan");
                }
            }
            // tensor mode re-slices with exact all-reduces; AirComp's beamformers are for the starting boards
            CliTest.Run tensorReplan = run("run", "--model", model.toString(), "--boards", boards, "--mode", "tensor",
                    "--allreduce", "aircomp", "--replan",
                    "--prompt-ids", "1", "--max-tokens", "2", "--token-file", tok.toString(), "--known-boards",
                    dir.resolve("kb").toString());
            assertEquals(1, tensorReplan.code());
            assertTrue(tensorReplan.err().contains("--replan") && tensorReplan.err().contains("exact"), tensorReplan.err());
            assertNoStackTrace(tensorReplan);
            Files.writeString(tok, "wrong\n");
            CliTest.Run bad = run("run", "--model", model.toString(), "--boards", boards, "--prompt-ids", "1", "--max-tokens", "2",
                    "--token-file", tok.toString(), "--known-boards", dir.resolve("kb").toString());
            assertEquals(1, bad.code());
            assertTrue(bad.err().contains("UNAUTHENTICATED") && bad.err().contains("127.0.0.1:" + a.port()), bad.err());
            assertNoStackTrace(bad);
        }
    }

    @Test
    void aircompOnASampleTopologyMatchesThePrediction(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        assertEquals(0, run("model", "synth", "--shape", "tiny", "--out", model.toString()).code());
        Path topo = dir.resolve("topology.json");
        try (var in = getClass().getResourceAsStream("/org/airshard/samples/aircomp-energy-limited.json")) {
            Files.write(topo, in.readAllBytes());
        }
        Path tok = dir.resolve("token");
        Files.writeString(tok, "air\n");
        Path text = dir.resolve("eval.txt");
        Files.writeString(text, "the quick brown fox jumps over the lazy dog");
        BoardAgent[] agents = new BoardAgent[3];
        try {
            StringBuilder boards = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                agents[i] = new BoardAgent(BoardAgent.Options.loopback("d" + i, "air", dir.resolve("a" + i)));
                boards.append(i == 0 ? "" : ",").append("127.0.0.1:").append(agents[i].port());
            }
            CliTest.Run r = run("run", "--model", model.toString(), "--boards", boards.toString(), "--mode", "tensor",
                    "--allreduce", "aircomp", "--topology", topo.toString(), "--prompt-ids", "1,2,3", "--max-tokens", "100",
                    "--greedy", "--json", "--token-file", tok.toString(), "--known-boards", dir.resolve("kb").toString(),
                    "--eval-text", text.toString());
            assertEquals(0, r.code(), r.err());
            JsonNode j = Json.parse("r", r.out().getBytes());
            assertTrue(j.get("allReduces").asLong() >= 1000);
            assertTrue(j.get("perplexityExact").asDouble() > 1 && j.get("perplexityAircomp").asDouble() > 1, r.out());
            double measured = j.get("measuredMse").asDouble(), predicted = j.get("predictedMse").asDouble();
            assertTrue(Math.abs(measured / predicted - 1) < 0.05, "measured " + measured + " predicted " + predicted);
            assertTrue(j.has("top1AgreementVsExact") && j.has("klDivergenceVsExact"));
        } finally {
            for (BoardAgent a : agents) {
                if (a != null) {
                    a.close();
                }
            }
        }
    }
}
