package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.GgufFile;
import org.airshard.executor.model.GgufStore;
import org.airshard.executor.model.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGUF tensor decoding: values exactly representable in each type come back bit-exact, also by row range. */
class GgufQuantTest {

    @TempDir
    Path tmp;

    @Test
    void everySupportedTypeDecodesExactly() throws Exception {
        int rows = 4, cols = 64;
        float[] q4 = new float[rows * cols];   // block scale d = 0.25 (max magnitude -2 → d = -2/-8), levels k·d
        float[] q8 = new float[rows * cols];   // d = 127/127 = 1 → integers
        float[] f = new float[rows * cols];
        for (int i = 0; i < q4.length; i++) {
            q4[i] = (i % 32 == 0) ? -2f : ((i * 7) % 16 - 8) * 0.25f;
            q8[i] = (i % 32 == 0) ? 127f : (i * 13) % 255 - 127;
            f[i] = DType.bf16ToFloat(DType.floatToBf16((float) Math.sin(i) * 3));
        }
        Path p = tmp.resolve("q.gguf");
        long[] ne = {cols, rows};
        new GgufWriter().put("general.architecture", "llama")
                .tensor("blk.0.ffn_gate.weight", ne, GgufFile.GGML_Q4_0, q4)
                .tensor("blk.0.ffn_up.weight", ne, GgufFile.GGML_Q8_0, q8)
                .tensor("blk.0.ffn_down.weight", ne, GgufFile.GGML_F16, f)
                .tensor("blk.1.ffn_down.weight", ne, GgufFile.GGML_BF16, f)
                .tensor("blk.1.ffn_up.weight", ne, GgufFile.GGML_F32, f)
                .write(p);
        try (GgufStore s = new GgufStore(GgufFile.read(p), true, 1, 1)) {
            assertArrayEquals(q4, s.read("model.layers.0.mlp.gate_proj.weight"));
            assertArrayEquals(q8, s.read("model.layers.0.mlp.up_proj.weight"));
            assertArrayEquals(f, s.read("model.layers.0.mlp.down_proj.weight"));
            assertArrayEquals(f, s.read("model.layers.1.mlp.down_proj.weight"));
            assertArrayEquals(f, s.read("model.layers.1.mlp.up_proj.weight"));
            float[] rows12 = s.readRows("model.layers.0.mlp.gate_proj.weight", 1, 3);
            assertArrayEquals(java.util.Arrays.copyOfRange(q4, cols, 3 * cols), rows12);
            assertEquals(DType.Q4_0, s.info("model.layers.0.mlp.gate_proj.weight").dtype());
        }
    }

    @Test
    void halfConversionIsExactOnRepresentableValuesAndRoundsToNearestEven() {
        for (int h = 0; h < 0x7c00; h++) {
            float v = DType.halfToFloat(h);
            assertEquals(h, DType.floatToHalf(v) & 0xffff, "half " + h);
            assertEquals(h | 0x8000, DType.floatToHalf(-v) & 0xffff);
        }
        assertEquals(0x3c00, DType.floatToHalf(1f + 0x1p-11f)); // tie → even
        assertEquals(0x3c01, DType.floatToHalf(1f + 0x1p-11f + 0x1p-20f));
        assertEquals(0x7c00, DType.floatToHalf(1e6f));
    }
}
