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

    private static void assertClose(double[] ref, float[] got) {
        double m = 0;
        for (int i = 0; i < ref.length; i++) {
            m = Math.max(m, Math.abs(ref[i] - got[i]));
        }
        assertTrue(m < TOL, "max abs diff vs reference " + m);
    }
}
