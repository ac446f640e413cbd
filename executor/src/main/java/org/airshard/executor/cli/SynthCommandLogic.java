package org.airshard.executor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelPresets;

/**
 * {@code airshard model synth --shape tiny|small --seed N --format hf|gguf --out PATH [--dtype f32|f16|bf16|q8_0]}:
 * writes a seeded synthetic checkpoint (random weights; its text is meaningless) with a tokenizer.
 */
public final class SynthCommandLogic {

    /**
     * @param shape  {@code tiny} or {@code small} (the {@code synthetic-*} presets)
     * @param seed   weights seed
     * @param format {@code hf} (directory) or {@code gguf} (file)
     * @param out    output directory (hf) or file (gguf; a directory gets {@code model.gguf} inside)
     * @param dtype  {@code f32} (default), {@code f16}, {@code bf16}; {@code q8_0} for gguf
     * @param shards safetensors files for hf (1 = single file)
     */
    public record Options(String shape, long seed, String format, Path out, String dtype, int shards) {
        public Options(String shape, long seed, String format, Path out) {
            this(shape, seed, format, out, "f32", 1);
        }
    }

    /** What was written. */
    public record Result(Path path, String format, String shape, String dtype, long seed, ModelConfig config,
                         long bytes, double seconds) {
    }

    private SynthCommandLogic() {
    }

    public static Result run(Options o) throws InputException, IOException {
        String shape = o.shape() == null ? "" : o.shape().toLowerCase(Locale.ROOT);
        if (!shape.equals("tiny") && !shape.equals("small")) {
            throw new InputException("--shape", "", "unknown shape '" + o.shape() + "' (use tiny or small)");
        }
        String format = o.format() == null ? "" : o.format().toLowerCase(Locale.ROOT);
        SyntheticCheckpoint.Format f;
        if (format.equals("hf")) {
            f = SyntheticCheckpoint.Format.HF;
        } else if (format.equals("gguf")) {
            f = SyntheticCheckpoint.Format.GGUF;
        } else {
            throw new InputException("--format", "", "unknown format '" + o.format() + "' (use hf or gguf)");
        }
        DType dtype;
        try {
            dtype = DType.valueOf((o.dtype() == null ? "f32" : o.dtype()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException("--dtype", "", "unknown dtype '" + o.dtype() + "' (use f32, f16, bf16 or q8_0)");
        }
        if (dtype == DType.Q4_0 || dtype == DType.Q8_0 && f == SyntheticCheckpoint.Format.HF) {
            throw new InputException("--dtype", "", dtype + " is not supported for " + format);
        }
        if (o.out() == null) {
            throw new InputException("--out", "", "an output path is required");
        }
        if (o.shards() < 1 || o.shards() > 64) {
            throw new InputException("--shards", "", "must be between 1 and 64");
        }
        Path out = o.out();
        if (f == SyntheticCheckpoint.Format.GGUF && Files.isDirectory(out)) {
            out = out.resolve("model.gguf");
        }
        if (f == SyntheticCheckpoint.Format.HF && Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException(out.toString(), "", "exists and is not a directory");
        }
        ModelConfig cfg = ModelConfig.fromSpec(ModelPresets.byId("synthetic-" + shape).orElseThrow());
        long t0 = System.nanoTime();
        SyntheticCheckpoint.write(cfg, o.seed(), f, dtype, out, o.shards());
        double secs = (System.nanoTime() - t0) / 1e9;
        long bytes;
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                bytes = s.mapToLong(p -> p.toFile().length()).sum();
            }
        } else {
            bytes = Files.size(out);
        }
        return new Result(out, format, shape, dtype.name(), o.seed(), cfg, bytes, secs);
    }

    public static String toJson(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", r.path().toString());
        m.put("format", r.format());
        m.put("shape", r.shape());
        m.put("dtype", r.dtype());
        m.put("seed", r.seed());
        m.put("layers", r.config().layers());
        m.put("hiddenSize", r.config().hiddenSize());
        m.put("heads", r.config().heads());
        m.put("kvHeads", r.config().kvHeads());
        m.put("ffnSize", r.config().ffnSize());
        m.put("vocabSize", r.config().vocabSize());
        m.put("bytes", r.bytes());
        m.put("seconds", r.seconds());
        m.put("note", "synthetic random weights: generated text is meaningless");
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
