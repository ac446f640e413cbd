package org.airshard.executor.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.tokenizer.GgufTokenizers;
import org.airshard.executor.tokenizer.HfTokenizer;
import org.airshard.executor.tokenizer.Tokenizer;
import org.airshard.planner.io.InputException;
import org.airshard.planner.io.InputProblem;

/**
 * An opened checkpoint: config, lazily-read tensors and tokenizer. Opening validates the config and every
 * tensor's shape against it, so a bad file fails here with one clear {@link InputException}.
 */
public final class Checkpoint implements AutoCloseable {

    public enum Format { HF, GGUF }

    private final Path source;
    private final Format format;
    private final ModelConfig config;
    private final TensorStore store;
    private final Tokenizer tokenizer;
    private final float[] ropeFreqFactors;
    private boolean synthetic;

    private Checkpoint(Path source, Format format, ModelConfig config, TensorStore store, Tokenizer tokenizer,
                       float[] ropeFreqFactors) {
        this.source = source;
        this.format = format;
        this.config = config;
        this.store = store;
        this.tokenizer = tokenizer;
        this.ropeFreqFactors = ropeFreqFactors;
    }

    /** Whether the project's synthetic writer made this checkpoint (random weights, meaningless text). */
    public boolean synthetic() {
        return synthetic;
    }

    public Path source() {
        return source;
    }

    public Format format() {
        return format;
    }

    public ModelConfig config() {
        return config;
    }

    public TensorStore store() {
        return store;
    }

    /** The tokenizer, or null when the checkpoint has none. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Inverse RoPE frequencies for this checkpoint (scaling applied). */
    public double[] inverseFrequencies() {
        return config.inverseFrequencies(ropeFreqFactors);
    }

    /**
     * A checkpoint over any tensor source (e.g. the subset of tensors a board received for its shard). The
     * store must use HF names and layout; {@code ropeFreqFactors} may be null.
     */
    public static Checkpoint of(Path source, Format format, ModelConfig config, TensorStore store, Tokenizer tokenizer,
                                float[] ropeFreqFactors) {
        return new Checkpoint(source, format, config, store, tokenizer, ropeFreqFactors);
    }

    /**
     * A checkpoint over a store that holds only part of the model (a board's shard, received over the
     * control plane). Shapes are not validated against the whole model: the shard graph builders read only
     * the tensors of their shard and fail with a clear message on a missing one.
     */
    public static Checkpoint partial(Path source, ModelConfig config, TensorStore store) {
        return of(source, Format.HF, config, store, null, null);
    }

    /** Opens a Hugging Face directory or a {@code .gguf} file. */
    public static Checkpoint open(Path path) throws InputException {
        if (path == null || !Files.exists(path)) {
            throw new InputException(String.valueOf(path), "", "model path not found");
        }
        if (Files.isDirectory(path)) {
            return openHf(path);
        }
        return openGguf(path);
    }

    private static Checkpoint openHf(Path dir) throws InputException {
        Path cfgFile = dir.resolve("config.json");
        if (!Files.isRegularFile(cfgFile)) {
            throw new InputException(dir.toString(), "", "no config.json: not a Hugging Face model directory");
        }
        JsonNode c = SafetensorsStore.readJson(cfgFile);
        String src = cfgFile.toString();
        String type = c.path("model_type").asText("");
        if (!List.of("llama", "mistral", "qwen2").contains(type)) {
            throw new InputException(src, "$.model_type", "unsupported architecture '" + type
                    + "' (supported: llama, mistral, qwen2)");
        }
        int d = req(c, "hidden_size", src);
        int heads = req(c, "num_attention_heads", src);
        int kv = c.path("num_key_value_heads").asInt(heads);
        int layers = req(c, "num_hidden_layers", src);
        int ffn = req(c, "intermediate_size", src);
        int vocab = req(c, "vocab_size", src);
        int headDim = c.path("head_dim").isInt() ? c.path("head_dim").asInt() : d / heads;
        ModelConfig.RopeScaling scaling = null;
        JsonNode rs = c.path("rope_scaling");
        if (rs.isObject()) {
            String rt = rs.path("rope_type").asText(rs.path("type").asText(""));
            if (!rt.equals("llama3") && !rt.equals("default")) {
                throw new InputException(src, "$.rope_scaling", "unsupported rope_scaling type '" + rt + "' (supported: llama3)");
            }
            if (rt.equals("llama3")) {
                scaling = new ModelConfig.RopeScaling(rs.path("factor").asDouble(8), rs.path("low_freq_factor").asDouble(1),
                        rs.path("high_freq_factor").asDouble(4), rs.path("original_max_position_embeddings").asInt(8192));
            }
        }
        List<Integer> eos = new ArrayList<>();
        JsonNode e = c.path("eos_token_id");
        if (e.isArray()) {
            e.forEach(x -> eos.add(x.asInt()));
        } else if (e.isInt()) {
            eos.add(e.asInt());
        }
        boolean bias = type.equals("qwen2") || c.path("attention_bias").asBoolean(false);
        ModelConfig cfg = new ModelConfig(type, d, layers, heads, kv, headDim, ffn, vocab,
                c.path("rms_norm_eps").asDouble(1e-6), c.path("rope_theta").asDouble(10000), scaling,
                c.path("max_position_embeddings").asInt(2048), c.path("tie_word_embeddings").asBoolean(false), bias,
                c.path("bos_token_id").asInt(-1), eos, slidingWindow(c, type));
        checkDims(cfg, src);
        SafetensorsStore store = SafetensorsStore.open(dir);
        try {
            if (!cfg.tiedEmbeddings() && !store.has(TensorNames.LM_HEAD)) {
                cfg = cfg.withVariant(true, cfg.qkvBias(), cfg.ropeScaling());
            }
            validateShapes(cfg, store, dir.toString());
            Tokenizer tok = null;
            Path tj = dir.resolve("tokenizer.json");
            if (Files.exists(tj)) {
                tok = HfTokenizer.load(tj, cfg.bosTokenId(), cfg.eosTokenIds());
            }
            Checkpoint ck = new Checkpoint(dir, Format.HF, cfg, store, tok, null);
            ck.synthetic = c.has("airshard_note");
            return ck;
        } catch (InputException ex) {
            store.close();
            throw ex;
        }
    }

    /** Mistral's {@code sliding_window}; Qwen2 only when {@code use_sliding_window} is true. */
    private static int slidingWindow(JsonNode c, String type) {
        JsonNode w = c.path("sliding_window");
        if (!w.canConvertToInt() || w.asInt() <= 0) {
            return 0;
        }
        if (type.equals("qwen2") && !c.path("use_sliding_window").asBoolean(false)) {
            return 0;
        }
        return w.asInt();
    }

    private static int req(JsonNode c, String key, String src) throws InputException {
        JsonNode n = c.get(key);
        if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
            throw new InputException(src, "$." + key, "missing or not a positive integer");
        }
        return n.asInt();
    }

    private static void checkDims(ModelConfig cfg, String src) throws InputException {
        if (cfg.heads() % cfg.kvHeads() != 0) {
            throw new InputException(src, "", "attention heads (" + cfg.heads() + ") not a multiple of KV heads ("
                    + cfg.kvHeads() + ")");
        }
        if (cfg.headDim() % 2 != 0) {
            throw new InputException(src, "", "head dimension " + cfg.headDim() + " is odd; RoPE needs pairs");
        }
    }

    private static Checkpoint openGguf(Path file) throws InputException {
        GgufFile g = GgufFile.read(file);
        String src = file.toString();
        String arch = g.string("general.architecture");
        if (arch == null || !List.of("llama", "qwen2", "mistral").contains(arch)) {
            throw new InputException(src, "general.architecture", "unsupported architecture '" + arch
                    + "' (supported: llama, mistral, qwen2)");
        }
        int d = (int) g.integer(arch + ".embedding_length", -1);
        int layers = (int) g.integer(arch + ".block_count", -1);
        int heads = (int) g.integer(arch + ".attention.head_count", -1);
        int kv = (int) g.integer(arch + ".attention.head_count_kv", heads);
        int ffn = (int) g.integer(arch + ".feed_forward_length", -1);
        if (d <= 0 || layers <= 0 || heads <= 0 || ffn <= 0) {
            throw new InputException(src, arch + ".*", "missing model dimensions in the GGUF metadata");
        }
        int headDim = (int) g.integer(arch + ".attention.key_length", d / heads);
        GgufFile.TensorDesc emb = g.tensors.get("token_embd.weight");
        if (emb == null) {
            throw new InputException(src, "token_embd.weight", "tensor missing from the GGUF file");
        }
        int vocab = (int) g.integer(arch + ".vocab_size", emb.ne()[1]);
        boolean tied = !g.tensors.containsKey("output.weight");
        boolean bias = g.tensors.containsKey("blk.0.attn_q.bias");
        int bos = (int) g.integer("tokenizer.ggml.bos_token_id", -1);
        List<Integer> eos = new ArrayList<>();
        long eosId = g.integer("tokenizer.ggml.eos_token_id", -1);
        if (eosId >= 0) {
            eos.add((int) eosId);
        }
        ModelConfig cfg = new ModelConfig(arch, d, layers, heads, kv, headDim, ffn, vocab,
                g.real(arch + ".attention.layer_norm_rms_epsilon", 1e-5), g.real(arch + ".rope.freq_base", 10000),
                null, (int) g.integer(arch + ".context_length", 2048), tied, bias, bos, eos, 0);
        checkDims(cfg, src);
        GgufStore store = new GgufStore(g, !arch.equals("qwen2"), heads, kv);
        try {
            validateShapes(cfg, store, src);
            float[] freqs = store.readGgufTensor("rope_freqs.weight");
            if (freqs != null && freqs.length != headDim / 2) {
                throw new InputException(src, "rope_freqs.weight", "expected " + headDim / 2 + " values, found " + freqs.length);
            }
            Tokenizer tok = g.metadata.containsKey("tokenizer.ggml.tokens") ? GgufTokenizers.fromMetadata(g) : null;
            Checkpoint ck = new Checkpoint(file, Format.GGUF, cfg, store, tok, freqs);
            ck.synthetic = "airshard-synthetic".equals(g.string("general.name"));
            return ck;
        } catch (InputException ex) {
            store.close();
            throw ex;
        }
    }

    /** Expected HF shapes of every tensor the model needs. */
    static void validateShapes(ModelConfig c, TensorStore s, String src) throws InputException {
        List<InputProblem> problems = new ArrayList<>();
        long d = c.hiddenSize(), q = (long) c.heads() * c.headDim(), kv = (long) c.kvHeads() * c.headDim();
        expect(s, problems, src, TensorNames.EMBED, c.vocabSize(), d);
        expect(s, problems, src, TensorNames.FINAL_NORM, d);
        if (!c.tiedEmbeddings()) {
            expect(s, problems, src, TensorNames.LM_HEAD, c.vocabSize(), d);
        }
        for (int l = 0; l < c.layers() && problems.size() < 5; l++) {
            expect(s, problems, src, TensorNames.attnNorm(l), d);
            expect(s, problems, src, TensorNames.mlpNorm(l), d);
            expect(s, problems, src, TensorNames.q(l), q, d);
            expect(s, problems, src, TensorNames.k(l), kv, d);
            expect(s, problems, src, TensorNames.v(l), kv, d);
            expect(s, problems, src, TensorNames.o(l), d, q);
            expect(s, problems, src, TensorNames.gate(l), c.ffnSize(), d);
            expect(s, problems, src, TensorNames.up(l), c.ffnSize(), d);
            expect(s, problems, src, TensorNames.down(l), d, c.ffnSize());
            if (c.qkvBias()) {
                expect(s, problems, src, TensorNames.qBias(l), q);
                expect(s, problems, src, TensorNames.kBias(l), kv);
                expect(s, problems, src, TensorNames.vBias(l), kv);
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
    }

    private static void expect(TensorStore s, List<InputProblem> problems, String src, String name, long... shape) {
        if (!s.has(name)) {
            problems.add(new InputProblem(src, name, "tensor missing"));
            return;
        }
        try {
            TensorInfo info = s.info(name);
            if (!java.util.Arrays.equals(info.shape(), shape)) {
                problems.add(new InputProblem(src, name, "shape " + info.shapeString() + " does not match the config "
                        + new TensorInfo(name, info.dtype(), shape).shapeString()));
            }
        } catch (InputException e) {
            problems.addAll(e.problems());
        }
    }

    @Override
    public void close() {
        store.close();
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
