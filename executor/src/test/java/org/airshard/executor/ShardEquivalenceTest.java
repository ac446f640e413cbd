package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.runtime.ModelRunner;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.runtime.TensorParallelRunner;
import org.airshard.executor.shard.ShardSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole model, the same model cut into 2–4 layer ranges run in sequence, and cut into 2–4
 * tensor-parallel slices summed exactly give the same logits (max abs diff ≤ 1e-4, fp32) and the same
 * greedy tokens, over a batched prefill and 16 decode steps.
 */
class ShardEquivalenceTest {

    static final double LOGIT_TOLERANCE = 1e-4;
    static final int STEPS = 16;
    static final int[] PROMPT = {1, 200, 13, 77, 401, 5, 260};

    @TempDir
    static Path tmp;
    static Path model;
    static Path variant;
    static Trace reference;
    static Trace variantReference;

    record Trace(List<float[]> logits, List<Integer> tokens) {
    }

    @BeforeAll
    static void setUp() throws Exception {
        model = TestModels.hf(tmp, TestModels.tiny(), DType.F32);
        ModelConfig v = TestModels.tiny().withVariant(true, true, new ModelConfig.RopeScaling(8, 1, 4, 64));
        variant = tmp.resolve("variant");
        org.airshard.executor.model.SyntheticCheckpoint.write(v, 7, org.airshard.executor.model.SyntheticCheckpoint.Format.HF,
                DType.F32, variant, 1);
        try (Checkpoint ck = Checkpoint.open(model)) {
            reference = trace(new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults()));
        }
        try (Checkpoint ck = Checkpoint.open(variant)) {
            variantReference = trace(new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults()));
        }
    }

    /** Greedy prefill + decode; closes the runner. */
    static Trace trace(ModelRunner runner) throws Exception {
        try (runner) {
            List<float[]> logits = new ArrayList<>();
            List<Integer> tokens = new ArrayList<>();
            float[] l = runner.forward(0, PROMPT);
            for (int i = 0; i < STEPS; i++) {
                logits.add(l);
                int next = TestModels.argmax(l);
                tokens.add(next);
                l = runner.forward(0, new int[] {next});
            }
            return new Trace(logits, tokens);
        }
    }

    static void assertSame(Trace ref, Trace got, String what) {
        assertEquals(ref.tokens(), got.tokens(), what + ": greedy tokens");
        for (int i = 0; i < ref.logits().size(); i++) {
            double d = TestModels.maxAbsDiff(ref.logits().get(i), got.logits().get(i));
            assertTrue(d <= LOGIT_TOLERANCE, what + ": step " + i + " max abs logit diff " + d);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void layerRangesInSequenceMatchWholeModel(int stages) throws Exception {
        try (Checkpoint ck = Checkpoint.open(model)) {
            PipelineRunner r = new PipelineRunner(ck, ShardSpec.pipeline(ck.config(), stages), RuntimeOptions.defaults());
            assertEquals(stages, r.runCallsPerToken());
            assertSame(reference, trace(r), stages + " stages");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void tensorParallelSlicesMatchWholeModel(int slices) throws Exception {
        try (Checkpoint ck = Checkpoint.open(model)) {
            List<ShardSpec> specs = new ArrayList<>();
            for (int i = 0; i < slices; i++) {
                specs.add(ShardSpec.tensorSlice(ck.config(), i, slices));
            }
            TensorParallelRunner r = new TensorParallelRunner(ck, specs, RuntimeOptions.defaults());
            assertEquals(2 + 2 * ck.config().layers() * slices, r.runCallsPerToken());
            assertSame(reference, trace(r), slices + " slices");
        }
    }

    @Test
    void tiedBiasedRopeScaledVariantAlsoMatchesAcrossShardings() throws Exception {
        try (Checkpoint ck = Checkpoint.open(variant)) {
            assertTrue(ck.config().tiedEmbeddings() && ck.config().qkvBias() && ck.config().ropeScaling() != null);
            assertSame(variantReference, trace(new PipelineRunner(ck, ShardSpec.pipeline(ck.config(), 3),
                    RuntimeOptions.defaults())), "variant 3 stages");
            assertSame(variantReference, trace(new TensorParallelRunner(ck, List.of(ShardSpec.tensorSlice(ck.config(), 0, 2),
                    ShardSpec.tensorSlice(ck.config(), 1, 2)), RuntimeOptions.defaults())), "variant 2 slices");
            ReferenceModel ref = new ReferenceModel(ck, 64);
            double[] refLogits = null;
            for (int t : PROMPT) {
                refLogits = ref.step(t);
            }
            float[] first = variantReference.logits().get(0);
            double m = 0;
            for (int i = 0; i < first.length; i++) {
                m = Math.max(m, Math.abs(first[i] - refLogits[i]));
            }
            assertTrue(m < 1e-3, "variant vs Java reference " + m);
        }
    }

    @Test
    void stageExecutorsChainedThroughFloatArraysMatchWholeModel() throws Exception {
        try (Checkpoint ck = Checkpoint.open(model)) {
            List<org.airshard.executor.runtime.ShardExecutor> boards = new ArrayList<>();
            for (ShardSpec s : ShardSpec.pipeline(ck.config(), 3)) {
                boards.add(new org.airshard.executor.runtime.ShardExecutor(ck, s, RuntimeOptions.defaults()));
            }
            try {
                int[] step = PROMPT;
                for (int i = 0; i < STEPS; i++) {
                    float[] x = boards.get(0).runStage(4, step, null);
                    x = boards.get(1).runStage(4, null, x);
                    float[] logits = boards.get(2).runStage(4, null, x);
                    double d = TestModels.maxAbsDiff(reference.logits().get(i), logits);
                    assertTrue(d <= LOGIT_TOLERANCE, "step " + i + " diff " + d);
                    step = new int[] {reference.tokens().get(i)};
                }
                assertEquals(PROMPT.length + STEPS - 1, boards.get(1).position(4));
            } finally {
                boards.forEach(org.airshard.executor.runtime.ShardExecutor::close);
            }
        }
    }

    @Test
    void sequencesKeepSeparateCaches() throws Exception {
        try (Checkpoint ck = Checkpoint.open(model);
             PipelineRunner r = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults())) {
            float[] a = r.forward(1, PROMPT);
            r.forward(2, new int[] {1, 2, 3});
            float[] b = r.forward(3, PROMPT);
            assertArrayEquals(a, b, 1e-6f);
            assertEquals(3, r.position(2));
            r.reset(2);
            assertEquals(0, r.position(2));
        }
    }
}
