package org.airshard.planner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelPresetsTest {

    /** Parameter counts published with the checkpoints (sum of tensor sizes in their safetensors). */
    @ParameterizedTest
    @CsvSource({
            "llama2-7b, 6738415616",
            "llama2-13b, 13015864320",
            "llama2-70b, 68976648192",
            "llama3-8b, 8030261248",
            "llama3-70b, 70553706496",
            "llama3.2-1b, 1235814400",
            "llama3.2-3b, 3212749824",
            "tinyllama-1.1b, 1100048384",
            "smollm2-135m, 134515008",
            "smollm2-360m, 361821120"
    })
    void parameterCountsMatchPublishedCheckpoints(String id, long expected) {
        ModelSpec m = ModelPresets.byId(id).orElseThrow();
        assertEquals(expected, m.totalParameters(), id);
    }

    @Test
    void derivedQuantitiesFollowTheirDefinitions() {
        ModelSpec m = ModelPresets.byId("llama3-8b").orElseThrow();
        assertEquals(128, m.headDim());
        assertEquals(4, m.headsPerKvGroup());
        // s_tot = attention (q, k, v, o) + MLP + two norms
        long attn = 4096L * 4096 + 2L * 4096 * 1024 + 4096L * 4096;
        long mlp = 3L * 4096 * 14336;
        assertEquals(attn + mlp + 2 * 4096, m.parametersPerLayer());
        assertEquals(2048, m.allReduceSymbolsPerToken());
        // KV: 2 (K and V) × 8 heads × 128 × 2 bytes × 32 layers
        assertEquals(2.0 * 8 * 128 * 2 * 32, m.kvBytesPerToken());
        assertEquals(2.0 * (attn + mlp) + 4.0 * 32 * 128 * 100, m.flopsPerTokenPerLayer(100));
        assertEquals(m.totalParameters() * 2.0, m.totalBytes());
    }

    @Test
    void syntheticShapesAreSmallAndFp32() {
        ModelSpec tiny = ModelPresets.byId("synthetic-tiny").orElseThrow();
        ModelSpec small = ModelPresets.byId("synthetic-small").orElseThrow();
        assertEquals(4.0, tiny.bytesPerParameter());
        assertTrue(tiny.totalBytes() < 2e6, "tiny is about 1 MB");
        assertTrue(small.totalBytes() > 50e6 && small.totalBytes() < 110e6, "small is tens of MB");
        assertEquals(8, tiny.headDim(), "ORT GroupQueryAttention needs a head size that is a multiple of 8");
    }

    @Test
    void everyPresetIsInternallyConsistent() {
        for (ModelSpec m : ModelPresets.all()) {
            assertEquals(0, m.hiddenSize() % m.heads(), m.id());
            assertEquals(0, m.heads() % m.kvHeads(), m.id());
            assertTrue(ModelPresets.byId(m.id().toUpperCase()).isPresent(), "lookup is case-insensitive");
        }
    }
}
