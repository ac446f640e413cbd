package org.airshard.executor;

import java.nio.file.Path;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.planner.model.ModelPresets;

/** Synthetic checkpoints for tests, written into temp dirs. */
final class TestModels {

    static final long SEED = 42;

    private TestModels() {
    }

    static ModelConfig tiny() {
        return ModelConfig.fromSpec(ModelPresets.byId("synthetic-tiny").orElseThrow());
    }

    static ModelConfig small() {
        return ModelConfig.fromSpec(ModelPresets.byId("synthetic-small").orElseThrow());
    }

    static Path hf(Path dir, ModelConfig c, DType dtype) throws Exception {
        Path out = dir.resolve("hf-" + dtype);
        SyntheticCheckpoint.write(c, SEED, SyntheticCheckpoint.Format.HF, dtype, out, 1);
        return out;
    }

    static Path gguf(Path dir, ModelConfig c, DType dtype) throws Exception {
        Path out = dir.resolve("model-" + dtype + ".gguf");
        SyntheticCheckpoint.write(c, SEED, SyntheticCheckpoint.Format.GGUF, dtype, out, 1);
        return out;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
