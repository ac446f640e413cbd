package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.cli.GenerateRunner;
import org.airshard.executor.cli.SynthCommandLogic;
import org.airshard.planner.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API behind {@code model synth} and {@code generate}. */
class CliLogicTest {

    @TempDir
    Path tmp;

    @Test
    void synthThenGenerateJson() throws Exception {
        SynthCommandLogic.Result hf = SynthCommandLogic.run(new SynthCommandLogic.Options("tiny", 5, "hf", tmp.resolve("m")));
        assertTrue(Files.exists(hf.path().resolve("model.safetensors")));
        assertTrue(Files.exists(hf.path().resolve("tokenizer.json")));
        JsonNode sj = new ObjectMapper().readTree(SynthCommandLogic.toJson(hf));
        assertEquals(512, sj.get("vocabSize").asInt());

        List<Integer> streamed = new ArrayList<>();
        StringBuilder streamedText = new StringBuilder();
        GenerateRunner.Report rep = GenerateRunner.run(GenerateRunner.Options.of(hf.path(), null, "1,20,30", 12, true),
                (i, t, s) -> {
                    streamed.add(t);
                    streamedText.append(s);
                });
        JsonNode j = new ObjectMapper().readTree(GenerateRunner.toJson(rep));
        assertEquals(12, j.get("tokens").size());
        assertEquals(List.of(1, 20, 30), rep.result().promptTokens());
        assertEquals(streamed, rep.result().tokens());
        assertEquals(rep.result().text(), streamedText.toString());
        assertTrue(j.get("tokensPerSecond").asDouble() > 0);
        assertTrue(j.has("prefillTokensPerSecond") && j.has("decodeTokensPerSecond"));
        assertTrue(j.get("notes").toString().contains("meaningless"));

        // same ids through the text path: the text's tokens (with BOS) give the same continuation
        String promptText = "Once upon a time";
        GenerateRunner.Report byText = GenerateRunner.run(GenerateRunner.Options.of(hf.path(), promptText, null, 8, true), null);
        assertEquals(1, byText.result().promptTokens().get(0));
        StringBuilder ids = new StringBuilder();
        for (int id : byText.result().promptTokens()) {
            ids.append(ids.length() == 0 ? "" : ",").append(id);
        }
        GenerateRunner.Report byIds = GenerateRunner.run(GenerateRunner.Options.of(hf.path(), null, ids.toString(), 8, true), null);
        assertEquals(byText.result().tokens(), byIds.result().tokens());
        assertFalse(byText.result().text().contains(promptText), "text is the continuation only");
    }

    @Test
    void hfAndGgufOfTheSameSeedTokenizeAndGenerateAlike() throws Exception {
        Path hf = SynthCommandLogic.run(new SynthCommandLogic.Options("tiny", 8, "hf", tmp.resolve("h"))).path();
        Path gg = SynthCommandLogic.run(new SynthCommandLogic.Options("tiny", 8, "gguf", tmp.resolve("g.gguf"))).path();
        String prompt = "Il était une fois 🙂";
        GenerateRunner.Report a = GenerateRunner.run(GenerateRunner.Options.of(hf, prompt, null, 12, true), null);
        GenerateRunner.Report b = GenerateRunner.run(GenerateRunner.Options.of(gg, prompt, null, 12, true), null);
        assertEquals(a.result().promptTokens(), b.result().promptTokens());
        assertEquals(a.result().tokens(), b.result().tokens());
        assertEquals(a.result().text(), b.result().text());
    }

    @Test
    void seededSamplingIsReproducible() throws Exception {
        Path gguf = SynthCommandLogic.run(new SynthCommandLogic.Options("tiny", 5, "gguf", tmp.resolve("m.gguf"))).path();
        GenerateRunner.Options o = new GenerateRunner.Options(gguf, null, "1,2,3", 10, false, 1.0, 50, 0.9, 123, false, 1, 256);
        GenerateRunner.Report a = GenerateRunner.run(o, null);
        GenerateRunner.Report b = GenerateRunner.run(o, null);
        assertEquals(a.result().tokens(), b.result().tokens());
        assertEquals(10, a.result().tokens().size());
    }

    @Test
    void badOptionsAreInputErrors() throws Exception {
        assertThrows(InputException.class, () -> SynthCommandLogic.run(new SynthCommandLogic.Options("huge", 1, "hf", tmp)));
        assertThrows(InputException.class, () -> SynthCommandLogic.run(new SynthCommandLogic.Options("tiny", 1, "onnx", tmp)));
        Path m = SynthCommandLogic.run(new SynthCommandLogic.Options("tiny", 1, "gguf", tmp.resolve("t.gguf"))).path();
        InputException e = assertThrows(InputException.class,
                () -> GenerateRunner.run(GenerateRunner.Options.of(m, null, "1,x,3", 4, true), null));
        assertTrue(e.getMessage().contains("'x' is not a token id"), e.getMessage());
        e = assertThrows(InputException.class, () -> GenerateRunner.run(GenerateRunner.Options.of(m, null, "1,99999", 4, true), null));
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
        e = assertThrows(InputException.class, () -> GenerateRunner.run(GenerateRunner.Options.of(m, "a", "1", 4, true), null));
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
        StringBuilder longIds = new StringBuilder("1");
        for (int i = 0; i < 300; i++) {
            longIds.append(",5");
        }
        e = assertThrows(InputException.class,
                () -> GenerateRunner.run(GenerateRunner.Options.of(m, null, longIds.toString(), 4, true), null));
        assertTrue(e.getMessage().contains("does not fit the context"), e.getMessage());
    }
}
