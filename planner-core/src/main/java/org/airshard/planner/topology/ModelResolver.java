package org.airshard.planner.topology;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;
import org.airshard.planner.json.JsonFields;
import org.airshard.planner.model.ModelPresets;
import org.airshard.planner.model.ModelSpec;

/**
 * Turns a {@link ModelRef} into exact dimensions: a preset by id, or a Hugging Face checkpoint directory
 * (or its {@code config.json}) read for its dimensions only (no weights are touched).
 */
public final class ModelResolver {

    private ModelResolver() {
    }

    /**
     * @param ref     the reference from the topology
     * @param baseDir folder relative checkpoint paths resolve against (the topology file's folder), or null
     * @throws InputException naming the preset or file and what is wrong
     */
    public static ModelSpec resolve(ModelRef ref, Path baseDir) throws InputException {
        ModelSpec spec;
        if (ref.preset() != null) {
            spec = ModelPresets.byId(ref.preset()).orElseThrow(() -> new InputException("", "$.model.preset",
                    "unknown model preset '" + ref.preset() + "' (known: " + String.join(", ", ModelPresets.ids()) + ")"));
        } else if (ref.checkpoint() != null) {
            Path p = Path.of(ref.checkpoint());
            if (!p.isAbsolute() && baseDir != null) {
                p = baseDir.resolve(p);
            }
            spec = fromCheckpoint(p);
        } else {
            throw new InputException("", "$.model", "no model given: set \"preset\" or \"checkpoint\"");
        }
        if (ref.bytesPerParameter() != null) {
            spec = spec.withBytesPerParameter(ref.bytesPerParameter());
        }
        if (ref.contextTokens() != null) {
            spec = spec.withContextTokens(ref.contextTokens());
        }
        return spec;
    }

    /** Reads dimensions from a Hugging Face {@code config.json} (or the directory holding it). */
    public static ModelSpec fromCheckpoint(Path path) throws InputException {
        Path config = Files.isDirectory(path) ? path.resolve("config.json") : path;
        String name = config.getFileName() == null ? config.toString() : config.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            return GgufHeader.readSpec(config);
        }
        if (!Files.exists(config)) {
            throw new InputException(config.toString(), "", "checkpoint not found: expected a Hugging Face directory"
                    + " with config.json, a config.json file, or a .gguf file");
        }
        JsonNode root = Json.readTree(config);
        JsonFields f = new JsonFields();
        String src = config.toString();
        if (!root.isObject()) {
            throw new InputException(src, "$", "config.json must be a JSON object");
        }
        int layers = (int) f.integer(root, "$", "num_hidden_layers", null, 1, 100_000, "");
        int hidden = (int) f.integer(root, "$", "hidden_size", null, 1, 1_000_000, "");
        int heads = (int) f.integer(root, "$", "num_attention_heads", null, 1, 100_000, "");
        int kv = (int) f.integer(root, "$", "num_key_value_heads", (long) Math.max(heads, 1), 1, 100_000, "");
        int ffn = (int) f.integer(root, "$", "intermediate_size", null, 1, 10_000_000, "");
        int vocab = (int) f.integer(root, "$", "vocab_size", null, 1, 10_000_000, "");
        boolean tied = f.bool(root, "$", "tie_word_embeddings", false, "");
        String modelType = f.string(root, "$", "model_type", "llama", "");
        boolean bias = f.bool(root, "$", "attention_bias", "qwen2".equals(modelType), "");
        int ctx = (int) f.integer(root, "$", "max_position_embeddings", 2048L, 1, 100_000_000, "");
        double theta = f.number(root, "$", "rope_theta", 10000.0, v -> v > 0, "positive", "");
        String dtype = f.string(root, "$", "torch_dtype", "float16", "");
        if (!f.issues().isEmpty()) {
            throw new ValidationReport(f.issues()).toException(src);
        }
        if (hidden % heads != 0 || heads % kv != 0) {
            throw new InputException(src, "$", "hidden_size " + hidden + " must be divisible by num_attention_heads "
                    + heads + ", and that by num_key_value_heads " + kv);
        }
        double bytes = switch (dtype) {
            case "float32" -> 4;
            case "int8" -> 1;
            default -> 2;
        };
        String id = path.getFileName() == null ? "checkpoint" : path.getFileName().toString();
        return new ModelSpec(id, id, layers, hidden, heads, kv, ffn, vocab, tied, bias, bytes, ctx, theta);
    }
}
