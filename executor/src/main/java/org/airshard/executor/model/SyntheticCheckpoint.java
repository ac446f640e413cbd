package org.airshard.executor.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.airshard.executor.tokenizer.SyntheticVocab;

/**
 * Seeded random LLaMA-architecture checkpoints written with the project's own writers, in the formats the
 * loaders read. The text such a model produces is meaningless.
 *
 * <p>Weights: embedding ~ N(0, 1); projections ~ N(0, 1/in); norms 1 + N(0, 0.1²); LM head
 * ~ N(0, (8/√d)²), which makes logits spread by about 8 so that summation order (shards, llama.cpp)
 * cannot flip a greedy argmax. Every value is rounded to bfloat16 precision and flushed to zero below
 * 2⁻¹⁴, so it is exactly representable in fp32, fp16 and bf16: files written in any of those dtypes hold
 * identical weights.
 */
public final class SyntheticCheckpoint {

    public enum Format { HF, GGUF }

    private SyntheticCheckpoint() {
    }

    /** HF-layout tensors of a synthetic model. */
    public static Map<String, SafetensorsWriter.Tensor> weights(ModelConfig c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, SafetensorsWriter.Tensor> w = new LinkedHashMap<>();
        int d = c.hiddenSize(), q = c.heads() * c.headDim(), kv = c.kvHeads() * c.headDim(), f = c.ffnSize();
        w.put(TensorNames.EMBED, gauss(rnd, 1.0, 0, c.vocabSize(), d));
        for (int l = 0; l < c.layers(); l++) {
            w.put(TensorNames.attnNorm(l), gauss(rnd, 0.1, 1.0, d));
            w.put(TensorNames.q(l), gauss(rnd, 1 / Math.sqrt(d), 0, q, d));
            w.put(TensorNames.k(l), gauss(rnd, 1 / Math.sqrt(d), 0, kv, d));
            w.put(TensorNames.v(l), gauss(rnd, 1 / Math.sqrt(d), 0, kv, d));
            if (c.qkvBias()) {
                w.put(TensorNames.qBias(l), gauss(rnd, 0.5, 0, q));
                w.put(TensorNames.kBias(l), gauss(rnd, 0.5, 0, kv));
                w.put(TensorNames.vBias(l), gauss(rnd, 0.5, 0, kv));
            }
            w.put(TensorNames.o(l), gauss(rnd, 1 / Math.sqrt(q), 0, d, q));
            w.put(TensorNames.mlpNorm(l), gauss(rnd, 0.1, 1.0, d));
            w.put(TensorNames.gate(l), gauss(rnd, 1 / Math.sqrt(d), 0, f, d));
            w.put(TensorNames.up(l), gauss(rnd, 1 / Math.sqrt(d), 0, f, d));
            w.put(TensorNames.down(l), gauss(rnd, 1 / Math.sqrt(f), 0, d, f));
        }
        w.put(TensorNames.FINAL_NORM, gauss(rnd, 0.1, 1.0, d));
        if (!c.tiedEmbeddings()) {
            w.put(TensorNames.LM_HEAD, gauss(rnd, 8 / Math.sqrt(d), 0, c.vocabSize(), d));
        }
        return w;
    }

    private static SafetensorsWriter.Tensor gauss(SplittableRandom rnd, double std, double mean, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            double u1 = rnd.nextDouble(), u2 = rnd.nextDouble();
            double g = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
            float x = DType.bf16ToFloat(DType.floatToBf16((float) (mean + std * g)));
            v[i] = Math.abs(x) < 0x1p-14f ? 0f : x;
        }
        return new SafetensorsWriter.Tensor(shape, v);
    }

    /**
     * Writes a synthetic model.
     *
     * @param out    a directory (HF) or a {@code .gguf} file path (GGUF)
     * @param dtype  F32, F16 or BF16 (GGUF also Q8_0 for the projection matrices)
     * @param shards number of safetensors files for HF (1 = {@code model.safetensors}, more = sharded index)
     */
    public static void write(ModelConfig c, long seed, Format format, DType dtype, Path out, int shards) throws IOException {
        Map<String, SafetensorsWriter.Tensor> w = weights(c, seed);
        SyntheticVocab vocab = SyntheticVocab.build(c.vocabSize(), seed);
        if (format == Format.HF) {
            writeHf(c, w, vocab, dtype, out, shards);
        } else {
            writeGguf(c, w, vocab, dtype, out);
        }
    }

    private static void writeHf(ModelConfig c, Map<String, SafetensorsWriter.Tensor> w, SyntheticVocab vocab, DType dtype,
                                Path dir, int shards) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper om = new ObjectMapper();
        ObjectNode cfg = om.createObjectNode();
        boolean mistral = c.slidingWindow() > 0;
        cfg.putArray("architectures").add(mistral ? "MistralForCausalLM" : "LlamaForCausalLM");
        cfg.put("model_type", mistral ? "mistral" : "llama");
        if (mistral) {
            cfg.put("sliding_window", c.slidingWindow());
        }
        cfg.put("hidden_size", c.hiddenSize()).put("intermediate_size", c.ffnSize())
                .put("num_hidden_layers", c.layers()).put("num_attention_heads", c.heads())
                .put("num_key_value_heads", c.kvHeads()).put("head_dim", c.headDim())
                .put("vocab_size", c.vocabSize()).put("rms_norm_eps", c.rmsEps()).put("rope_theta", c.ropeTheta())
                .put("max_position_embeddings", c.maxPositions()).put("tie_word_embeddings", c.tiedEmbeddings())
                .put("attention_bias", c.qkvBias()).put("bos_token_id", SyntheticVocab.BOS)
                .put("eos_token_id", SyntheticVocab.EOS).put("hidden_act", "silu")
                .put("torch_dtype", dtype == DType.F32 ? "float32" : dtype == DType.F16 ? "float16" : "bfloat16");
        if (c.ropeScaling() != null) {
            cfg.putObject("rope_scaling").put("rope_type", "llama3").put("factor", c.ropeScaling().factor())
                    .put("low_freq_factor", c.ropeScaling().lowFreqFactor())
                    .put("high_freq_factor", c.ropeScaling().highFreqFactor())
                    .put("original_max_position_embeddings", c.ropeScaling().originalMaxPositions());
        }
        cfg.put("airshard_note", "synthetic random weights: generated text is meaningless");
        om.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), cfg);
        vocab.writeTokenizerJson(dir.resolve("tokenizer.json"));
        if (shards <= 1) {
            SafetensorsWriter.write(dir.resolve("model.safetensors"), w, dtype);
            return;
        }
        List<String> names = new ArrayList<>(w.keySet());
        ObjectNode index = om.createObjectNode();
        index.putObject("metadata");
        ObjectNode map = index.putObject("weight_map");
        int per = (names.size() + shards - 1) / shards;
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            Map<String, SafetensorsWriter.Tensor> part = new LinkedHashMap<>();
            for (int i = s * per; i < Math.min(names.size(), (s + 1) * per); i++) {
                part.put(names.get(i), w.get(names.get(i)));
                map.put(names.get(i), file);
            }
            SafetensorsWriter.write(dir.resolve(file), part, dtype);
        }
        om.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
    }

    /** Row permutation HF half-rotation → GGUF adjacent pairs (llama.cpp's convert_hf_to_gguf permute). */
    static float[] permuteToGguf(float[] v, int groups, int rowLen) {
        int rows = v.length / rowLen;
        int dh = rows / groups, half = dh / 2;
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            int h = r / dh, within = r % dh, j = within / half, i = within % half;
            int dst = h * dh + 2 * i + j;
            System.arraycopy(v, r * rowLen, out, dst * rowLen, rowLen);
        }
        return out;
    }

    private static void writeGguf(ModelConfig c, Map<String, SafetensorsWriter.Tensor> w, SyntheticVocab vocab, DType dtype,
                                  Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (c.slidingWindow() > 0) {
            throw new IllegalArgumentException("GGUF synthetic models do not carry a sliding window");
        }
        int type = switch (dtype) {
            case F32 -> GgufFile.GGML_F32;
            case F16 -> GgufFile.GGML_F16;
            case BF16 -> GgufFile.GGML_BF16;
            case Q8_0 -> GgufFile.GGML_Q8_0;
            default -> throw new IllegalArgumentException("GGUF writer supports F32, F16, BF16, Q8_0");
        };
        GgufWriter g = new GgufWriter();
        g.put("general.architecture", "llama");
        g.put("general.name", "airshard-synthetic");
        g.put("general.description", "synthetic random weights: generated text is meaningless");
        g.put("general.file_type", dtype == DType.F32 ? 0 : dtype == DType.F16 ? 1 : dtype == DType.BF16 ? 32 : 7);
        g.put("llama.context_length", c.maxPositions());
        g.put("llama.embedding_length", c.hiddenSize());
        g.put("llama.block_count", c.layers());
        g.put("llama.feed_forward_length", c.ffnSize());
        g.put("llama.rope.dimension_count", c.headDim());
        g.put("llama.attention.head_count", c.heads());
        g.put("llama.attention.head_count_kv", c.kvHeads());
        g.put("llama.attention.key_length", c.headDim());
        g.put("llama.attention.value_length", c.headDim());
        g.put("llama.attention.layer_norm_rms_epsilon", (float) c.rmsEps());
        g.put("llama.rope.freq_base", (float) c.ropeTheta());
        g.put("llama.vocab_size", c.vocabSize());
        g.put("tokenizer.ggml.model", "gpt2");
        g.put("tokenizer.ggml.pre", "gpt-2");
        g.put("tokenizer.ggml.tokens", vocab.tokens);
        int[] types = new int[vocab.tokens.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = vocab.control[i] ? 3 : 1;
        }
        g.put("tokenizer.ggml.token_type", types);
        g.put("tokenizer.ggml.merges", vocab.merges);
        g.put("tokenizer.ggml.bos_token_id", SyntheticVocab.BOS);
        g.put("tokenizer.ggml.eos_token_id", SyntheticVocab.EOS);
        g.put("tokenizer.ggml.add_bos_token", true);
        if (c.ropeScaling() != null) {
            // llama.cpp carries Llama-3 scaling as explicit per-frequency divisors
            double[] plain = c.withVariant(c.tiedEmbeddings(), c.qkvBias(), null).inverseFrequencies(null);
            double[] scaled = c.inverseFrequencies(null);
            float[] factors = new float[plain.length];
            for (int i = 0; i < factors.length; i++) {
                factors[i] = (float) (plain[i] / scaled[i]);
            }
            g.tensor("rope_freqs.weight", new long[] {factors.length}, GgufFile.GGML_F32, factors);
        }
        for (Map.Entry<String, SafetensorsWriter.Tensor> e : w.entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue().shape();
            float[] v = e.getValue().values();
            boolean isQ = name.endsWith("q_proj.weight") || name.endsWith("q_proj.bias");
            boolean isK = name.endsWith("k_proj.weight") || name.endsWith("k_proj.bias");
            int rowLen = shape.length == 2 ? (int) shape[1] : 1;
            if (isQ) {
                v = permuteToGguf(v, c.heads(), rowLen);
            } else if (isK) {
                v = permuteToGguf(v, c.kvHeads(), rowLen);
            }
            long[] ne = new long[shape.length];
            for (int i = 0; i < ne.length; i++) {
                ne[i] = shape[shape.length - 1 - i];
            }
            int t = shape.length == 1 ? GgufFile.GGML_F32 : type;
            if (t == GgufFile.GGML_Q8_0 && name.equals(TensorNames.EMBED)) {
                t = GgufFile.GGML_F32;
            }
            g.tensor(TensorNames.toGguf(name), ne, t, v);
        }
        g.write(file);
    }
}
