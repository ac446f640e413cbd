package org.airshard.planner.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Named model presets with the exact dimensions of the public checkpoints (their {@code config.json}),
 * plus the project's synthetic shapes used by tests and the local demo.
 *
 * <p>Presets default to 2 bytes per parameter (fp16/bf16, how the checkpoints ship); the synthetic
 * shapes are fp32 (4 bytes), as the project generates them.
 */
public final class ModelPresets {

    private static final Map<String, ModelSpec> BY_ID = new LinkedHashMap<>();

    static {
        //        id                 name                 N_L    d     h   h_kv    F       V     tied   bias  B   ctx    theta
        add(spec("llama2-7b", "LLaMA2-7B", 32, 4096, 32, 32, 11008, 32000, false, false, 2, 4096, 10000));
        add(spec("llama2-13b", "LLaMA2-13B", 40, 5120, 40, 40, 13824, 32000, false, false, 2, 4096, 10000));
        add(spec("llama2-70b", "LLaMA2-70B", 80, 8192, 64, 8, 28672, 32000, false, false, 2, 4096, 10000));
        add(spec("llama3-8b", "LLaMA3-8B", 32, 4096, 32, 8, 14336, 128256, false, false, 2, 8192, 500000));
        add(spec("llama3-70b", "LLaMA3-70B", 80, 8192, 64, 8, 28672, 128256, false, false, 2, 8192, 500000));
        add(spec("llama3.2-1b", "Llama-3.2-1B", 16, 2048, 32, 8, 8192, 128256, true, false, 2, 8192, 500000));
        add(spec("llama3.2-3b", "Llama-3.2-3B", 28, 3072, 24, 8, 8192, 128256, true, false, 2, 8192, 500000));
        add(spec("tinyllama-1.1b", "TinyLlama-1.1B", 22, 2048, 32, 4, 5632, 32000, false, false, 2, 2048, 10000));
        add(spec("smollm2-135m", "SmolLM2-135M", 30, 576, 9, 3, 1536, 49152, true, false, 2, 8192, 100000));
        add(spec("smollm2-360m", "SmolLM2-360M", 32, 960, 15, 5, 2560, 49152, true, false, 2, 8192, 100000));
        add(spec("nanollama-304m", "NanoLlama-304M", 12, 1024, 16, 4, 5632, 32000, false, false, 2, 1024, 10000));
        add(spec("synthetic-tiny", "Synthetic tiny (random weights)", 5, 64, 8, 4, 192, 512, false, false, 4, 256, 10000));
        add(spec("synthetic-small", "Synthetic small (random weights)", 6, 288, 6, 6, 768, 32000, false, false, 4, 256, 10000));
    }

    private ModelPresets() {
    }

    private static ModelSpec spec(String id, String name, int layers, int d, int h, int hkv, int ffn, int vocab,
                                  boolean tied, boolean bias, double bytes, int ctx, double theta) {
        return new ModelSpec(id, name, layers, d, h, hkv, ffn, vocab, tied, bias, bytes, ctx, theta);
    }

    private static void add(ModelSpec s) {
        BY_ID.put(s.id(), s);
    }

    /** All presets in a stable order. */
    public static List<ModelSpec> all() {
        return List.copyOf(BY_ID.values());
    }

    /** Preset ids in a stable order. */
    public static List<String> ids() {
        return List.copyOf(BY_ID.keySet());
    }

    /** Looks a preset up by id, case-insensitively. */
    public static Optional<ModelSpec> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_ID.get(id.toLowerCase(Locale.ROOT)));
    }
}
