package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.shard.ShardSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same weights written as HF safetensors (half-rotation q/k rows) and as GGUF (adjacent-pair rows)
 * give the same logits: catches the RoPE layout trap. Synthetic weights are bf16-exact, so F16/BF16 files
 * hold the same values as F32 ones.
 */
class FormatEquivalenceTest {

    static final int[] PROMPT = {1, 33, 250, 9, 480};

    @TempDir
    Path tmp;

    static ShardEquivalenceTest.Trace run(Path p) throws Exception {
        try (Checkpoint ck = Checkpoint.open(p)) {
            return ShardEquivalenceTest.trace(new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())),
                    RuntimeOptions.defaults()));
        }
    }

    @Test
    void hfAndGgufF32GiveTheSameLogits() throws Exception {
        ModelConfig c = TestModels.tiny();
        ShardEquivalenceTest.assertSame(run(TestModels.hf(tmp, c, DType.F32)), run(TestModels.gguf(tmp, c, DType.F32)),
                "GGUF F32");
    }

    @Test
    @Tag("slow")
    void everyDtypeAndAShardedIndexGiveTheSameLogits() throws Exception {
        ModelConfig c = TestModels.tiny();
        ShardEquivalenceTest.Trace ref = run(TestModels.hf(tmp, c, DType.F32));
        ShardEquivalenceTest.assertSame(ref, run(TestModels.gguf(tmp, c, DType.F16)), "GGUF F16");
        ShardEquivalenceTest.assertSame(ref, run(TestModels.gguf(tmp, c, DType.BF16)), "GGUF BF16");
        ShardEquivalenceTest.assertSame(ref, run(TestModels.hf(tmp, c, DType.F16)), "HF F16");
        ShardEquivalenceTest.assertSame(ref, run(TestModels.hf(tmp, c, DType.BF16)), "HF BF16");
        Path sharded = tmp.resolve("sharded");
        SyntheticCheckpoint.write(c, TestModels.SEED, SyntheticCheckpoint.Format.HF, DType.F32, sharded, 3);
        ShardEquivalenceTest.assertSame(ref, run(sharded), "HF sharded index");
    }

    @Test
    @Tag("slow")
    void variantWithBiasTiedAndLlama3ScalingMatchesAcrossFormats() throws Exception {
        ModelConfig v = TestModels.tiny().withVariant(true, true, new ModelConfig.RopeScaling(8, 1, 4, 64));
        Path hf = tmp.resolve("v-hf");
        Path gg = tmp.resolve("v.gguf");
        SyntheticCheckpoint.write(v, 3, SyntheticCheckpoint.Format.HF, DType.F32, hf, 1);
        SyntheticCheckpoint.write(v, 3, SyntheticCheckpoint.Format.GGUF, DType.F32, gg, 1);
        ShardEquivalenceTest.assertSame(run(hf), run(gg), "variant GGUF (rope_freqs) vs HF (rope_scaling)");
    }

    @Test
    void q8GgufStaysCloseToF32() throws Exception {
        ModelConfig c = TestModels.tiny();
        ShardEquivalenceTest.Trace ref = run(TestModels.hf(tmp, c, DType.F32));
        ShardEquivalenceTest.Trace q8 = run(TestModels.gguf(tmp, c, DType.Q8_0));
        double d = TestModels.maxAbsDiff(ref.logits().get(0), q8.logits().get(0));
        assertTrue(d > 0 && d < 1.0, "Q8_0 dequantised logits differ by " + d);
        assertEquals(ref.tokens().get(0), q8.tokens().get(0));
    }
}
