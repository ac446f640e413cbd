package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.shard.ShardSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX whole-model graph against a plain-Java forward pass written from the definitions. */
class WholeModelTest {

    static final double TOL = 1e-3;

    @TempDir
    Path tmp;

    @Test
    void onnxMatchesJavaReferenceOnPrefillAndDecode() throws Exception {
        Path dir = TestModels.hf(tmp, TestModels.tiny(), DType.F32);
        try (Checkpoint ck = Checkpoint.open(dir);
             PipelineRunner run = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults())) {
            ReferenceModel ref = new ReferenceModel(ck, 64);
            int[] prompt = {1, 17, 300, 42, 7};
            double[] refLogits = null;
            for (int t : prompt) {
                refLogits = ref.step(t);
            }
            float[] logits = run.forward(0, prompt);
            assertClose(refLogits, logits);
            int next = TestModels.argmax(logits);
            for (int i = 0; i < 8; i++) {
                refLogits = ref.step(next);
                logits = run.forward(0, new int[] {next});
                assertClose(refLogits, logits);
                next = TestModels.argmax(logits);
            }
            assertEquals(prompt.length + 8, run.position(0));
            assertEquals(1, run.runCallsPerToken());
        }
    }

    @Test
    void mistralSlidingWindowMatchesReferenceAndTensorSlices() throws Exception {
        Path dir = tmp.resolve("mistral");
        org.airshard.executor.model.SyntheticCheckpoint.write(TestModels.tiny().withSlidingWindow(4), 11,
                org.airshard.executor.model.SyntheticCheckpoint.Format.HF, DType.F32, dir, 1);
        try (Checkpoint ck = Checkpoint.open(dir)) {
            assertEquals(4, ck.config().slidingWindow());
            assertEquals("mistral", ck.config().architecture());
            ReferenceModel ref = new ReferenceModel(ck, 64);
            int[] prompt = {1, 17, 300, 42, 7, 99, 3};
            double[] refLogits = null;
            for (int t : prompt) {
                refLogits = ref.step(t);
            }
            ShardEquivalenceTest.Trace whole;
            try (PipelineRunner run = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults())) {
                float[] logits = run.forward(0, prompt);
                assertClose(refLogits, logits);
                int next = TestModels.argmax(logits);
                for (int i = 0; i < 8; i++) {
                    refLogits = ref.step(next);
                    logits = run.forward(0, new int[] {next});
                    assertClose(refLogits, logits);
                    next = TestModels.argmax(logits);
                }
            }
            whole = ShardEquivalenceTest.trace(new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())),
                    RuntimeOptions.defaults()));
            ShardEquivalenceTest.assertSame(whole, ShardEquivalenceTest.trace(new org.airshard.executor.runtime.TensorParallelRunner(
                    ck, List.of(ShardSpec.tensorSlice(ck.config(), 0, 2), ShardSpec.tensorSlice(ck.config(), 1, 2)),
                    RuntimeOptions.defaults())), "sliding window, 2 slices");
        }
        // the window matters: the same weights with full attention give other logits after 4 tokens
        Path full = tmp.resolve("full");
        org.airshard.executor.model.SyntheticCheckpoint.write(TestModels.tiny(), 11,
                org.airshard.executor.model.SyntheticCheckpoint.Format.HF, DType.F32, full, 1);
        try (Checkpoint a = Checkpoint.open(dir); Checkpoint b = Checkpoint.open(full);
             PipelineRunner ra = new PipelineRunner(a, List.of(ShardSpec.whole(a.config())), RuntimeOptions.defaults());
             PipelineRunner rb = new PipelineRunner(b, List.of(ShardSpec.whole(b.config())), RuntimeOptions.defaults())) {
            int[] p = {1, 17, 300, 42, 7, 99, 3};
            assertTrue(TestModels.maxAbsDiff(ra.forward(0, p), rb.forward(0, p)) > 1e-2);
        }
    }

    private static void assertClose(double[] ref, float[] got) {
        double m = 0;
        for (int i = 0; i < ref.length; i++) {
            m = Math.max(m, Math.abs(ref[i] - got[i]));
        }
        assertTrue(m < TOL, "max abs diff vs reference " + m);
    }
}
