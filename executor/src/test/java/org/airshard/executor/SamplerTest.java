package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.airshard.executor.generate.GenerationResult;
import org.airshard.executor.generate.Generator;
import org.airshard.executor.generate.Sampler;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.shard.ShardSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sampling rules and generator stop conditions. */
class SamplerTest {

    static final float[] LOGITS = {1f, 3f, 2.5f, -1f, 0f, 2.9f};

    @Test
    void greedyAndTopKOneAreArgmax() {
        assertEquals(1, new Sampler(SamplingOptions.greedy(1)).sample(LOGITS));
        Sampler k1 = new Sampler(new SamplingOptions(5.0, 1, 1.0, 9, 1, List.of()));
        for (int i = 0; i < 20; i++) {
            assertEquals(1, k1.sample(LOGITS));
        }
    }

    @Test
    void topKAndTopPRestrictTheCandidates() {
        Sampler k2 = new Sampler(new SamplingOptions(10.0, 2, 1.0, 1, 1, List.of()));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(k2.sample(LOGITS));
        }
        assertEquals(Set.of(1, 5), seen);
        // p(1) ≈ 0.39, p(5) ≈ 0.35 at T=1: top-p 0.5 keeps exactly these two
        Sampler p = new Sampler(new SamplingOptions(1.0, 0, 0.5, 1, 1, List.of()));
        seen.clear();
        for (int i = 0; i < 200; i++) {
            seen.add(p.sample(LOGITS));
        }
        assertEquals(Set.of(1, 5), seen);
    }

    @Test
    void seededSamplingIsReproducibleAndSeedDependent() {
        SamplingOptions a = new SamplingOptions(2.0, 0, 1.0, 1, 1, List.of());
        SamplingOptions b = new SamplingOptions(2.0, 0, 1.0, 2, 1, List.of());
        int[] x = draw(new Sampler(a)), y = draw(new Sampler(a)), z = draw(new Sampler(b));
        assertEquals(java.util.Arrays.toString(x), java.util.Arrays.toString(y));
        assertNotEquals(java.util.Arrays.toString(x), java.util.Arrays.toString(z));
    }

    private static int[] draw(Sampler s) {
        int[] out = new int[50];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.sample(LOGITS);
        }
        return out;
    }

    @TempDir
    Path tmp;

    @Test
    void generatorStopsAtStopTokenAndMaxTokens() throws Exception {
        try (Checkpoint ck = Checkpoint.open(TestModels.gguf(tmp, TestModels.tiny(), DType.F32));
             PipelineRunner r = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults())) {
            Generator g = new Generator(r, ck.tokenizer());
            int[] prompt = {1, 40, 41, 300};
            GenerationResult free = g.generate(prompt, SamplingOptions.greedy(10), null);
            assertEquals(10, free.tokens().size());
            assertEquals("max_tokens", free.stopReason());
            int stop = free.tokens().get(3);
            GenerationResult stopped = g.generate(prompt, SamplingOptions.greedy(10).withStopTokens(List.of(stop)), null);
            assertEquals("stop_token", stopped.stopReason());
            assertEquals(free.tokens().subList(0, free.tokens().indexOf(stop) + 1), stopped.tokens());
            assertTrue(g.generate(prompt, SamplingOptions.greedy(0), null).tokens().isEmpty());
            // context exhaustion: 256-token context, prompt of 250
            int[] longPrompt = new int[250];
            java.util.Arrays.fill(longPrompt, 5);
            GenerationResult full = g.generate(longPrompt, SamplingOptions.greedy(100), null);
            assertEquals("context_full", full.stopReason());
            assertEquals(256 - 250 + 1, full.tokens().size());
        }
    }
}
