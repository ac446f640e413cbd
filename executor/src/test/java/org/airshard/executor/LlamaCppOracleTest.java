package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.CacheType;
import de.kherud.llama.args.LogFormat;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.airshard.executor.generate.GenerationResult;
import org.airshard.executor.generate.Generator;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.shard.ShardSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Independent oracle: llama.cpp (through de.kherud:llama) runs the synthetic GGUF the project wrote, from
 * the same prompt token ids, greedy, for 32 steps; its text must equal the decoding of AirShard's greedy
 * tokens, and llama.cpp's own detokenization of AirShard's tokens must give that text too.
 */
@Tag("slow")
class LlamaCppOracleTest {

    static final int STEPS = 32;
    static final List<int[]> PROMPTS = List.of(new int[] {1, 40, 41, 300}, new int[] {1, 7}, new int[] {1, 120, 5, 99, 250, 3, 17});

    @TempDir
    Path tmp;

    @Test
    void tinyGgufGreedyTokensMatchLlamaCpp() throws Exception {
        check(TestModels.tiny(), "tiny");
    }

    @Test
    void smallGgufGreedyTokensMatchLlamaCpp() throws Exception {
        check(TestModels.small(), "small");
    }

    private void check(ModelConfig cfg, String name) throws Exception {
        Path gguf = TestModels.gguf(tmp, cfg, DType.F32);
        LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> { });
        ModelParameters mp = new ModelParameters().setModel(gguf.toString()).setCtxSize(256).setThreads(1)
                .setThreadsBatch(1).setGpuLayers(0).setCacheTypeK(CacheType.F32).setCacheTypeV(CacheType.F32)
                .setSeed(1).disableLog();
        try (Checkpoint ck = Checkpoint.open(gguf);
             PipelineRunner runner = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults());
             LlamaModel llama = new LlamaModel(mp)) {
            Generator gen = new Generator(runner, ck.tokenizer());
            for (int[] prompt : PROMPTS) {
                GenerationResult ours = gen.generate(prompt, SamplingOptions.greedy(STEPS), null);
                assertEquals(STEPS, ours.tokens().size());
                assertTrue(new HashSet<>(ours.tokens()).size() >= 4, "greedy output should not be degenerate");
                InferenceParameters ip = new InferenceParameters("").setNPredict(STEPS).setTemperature(0f).setTopK(1)
                        .setRepeatPenalty(1f).setIgnoreEos(true).setCachePrompt(false).setSeed(1);
                rawPrompt(ip, prompt);
                String theirs = llama.complete(ip);
                int[] ourIds = ours.tokens().stream().mapToInt(Integer::intValue).toArray();
                assertEquals(ours.text(), theirs, name + ": llama.cpp text vs ours for prompt "
                        + java.util.Arrays.toString(prompt) + " (our tokens " + ours.tokens() + ")");
                assertEquals(llama.decode(ourIds), ours.text(), name + ": llama.cpp detokenization of our tokens");
                System.out.println(name + " prompt " + java.util.Arrays.toString(prompt) + " -> " + ours.tokens()
                        + " distinct=" + new HashSet<>(ours.tokens()).size());
            }
        }
    }

    @SuppressWarnings("unchecked")
    static void rawPrompt(InferenceParameters ip, int[] ids) throws Exception {
        Field f = ip.getClass().getSuperclass().getDeclaredField("parameters");
        f.setAccessible(true);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append(ids[i]);
        }
        ((Map<String, String>) f.get(ip)).put("prompt", sb.append(']').toString());
    }
}
