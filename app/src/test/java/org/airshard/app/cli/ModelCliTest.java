package org.airshard.app.cli;

import static org.airshard.app.cli.CliTest.assertNoStackTrace;
import static org.airshard.app.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.airshard.planner.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model synth + generate through the command line, on the tiny synthetic model. */
class ModelCliTest {

    @Test
    void synthThenGenerateGivesTheSameGreedyTokensForHfAndGguf(@TempDir Path dir) throws Exception {
        Path hf = dir.resolve("tiny-hf");
        Path gguf = dir.resolve("tiny.gguf");
        assertEquals(0, run("model", "synth", "--shape", "tiny", "--seed", "7", "--format", "hf", "--out", hf.toString()).code());
        assertEquals(0, run("model", "synth", "--shape", "tiny", "--seed", "7", "--format", "gguf", "--out", gguf.toString()).code());
        assertTrue(Files.exists(hf.resolve("config.json")) && Files.exists(hf.resolve("tokenizer.json")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "no partial files left behind");
        }
        CliTest.Run a = run("generate", "--model", hf.toString(), "--prompt-ids", "1,2,3", "--max-tokens", "12", "--greedy", "--json");
        CliTest.Run b = run("generate", "--model", gguf.toString(), "--prompt-ids", "1,2,3", "--max-tokens", "12", "--greedy", "--json");
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        JsonNode ja = Json.parse("a", a.out().getBytes());
        JsonNode jb = Json.parse("b", b.out().getBytes());
        assertEquals(12, ja.get("tokens").size());
        assertEquals(ja.get("tokens"), jb.get("tokens"), "same weights in both formats give the same greedy tokens");
        assertEquals("[1,2,3]", ja.get("promptTokens").toString(), "--prompt-ids is literal, no BOS");
        assertTrue(ja.get("tokensPerSecond").asDouble() > 0);
        assertTrue(ja.has("prefillTokensPerSecond") && ja.has("decodeTokensPerSecond"));
    }

    @Test
    void badModelInputGivesOneLine(@TempDir Path dir) throws Exception {
        CliTest.Run r = run("generate", "--model", dir.resolve("missing").toString(), "--prompt-ids", "1", "--max-tokens", "2");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("missing"), r.err());
        assertNoStackTrace(r);
        Path junk = dir.resolve("junk.gguf");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        r = run("generate", "--model", junk.toString(), "--prompt-ids", "1", "--max-tokens", "2");
        assertEquals(1, r.code());
        assertNoStackTrace(r);
        r = run("model", "synth", "--shape", "huge", "--out", dir.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown shape 'huge'"), r.err());
        assertTrue(Files.notExists(dir.resolve("x")));
    }
}
