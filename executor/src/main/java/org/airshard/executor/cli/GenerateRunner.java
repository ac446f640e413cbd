package org.airshard.executor.cli;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.airshard.executor.generate.GenerationResult;
import org.airshard.executor.generate.Generator;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.runtime.ModelRunner;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.io.InputException;

/**
 * {@code airshard generate --model PATH [--prompt TEXT | --prompt-ids 1,2,3] --max-tokens N [--greedy] [--json]}:
 * single-process reference generation. {@code --prompt-ids} is taken literally (no BOS); {@code --prompt}
 * is tokenized with the model's tokenizer and gets BOS when the tokenizer's configuration asks for one.
 */
public final class GenerateRunner {

    /**
     * @param model       HF directory or GGUF file
     * @param prompt      prompt text (exclusive with promptIds)
     * @param promptIds   comma-separated token ids, literal
     * @param maxTokens   tokens to generate
     * @param greedy      argmax decoding (else temperature/top-k/top-p sampling)
     * @param temperature sampling temperature (ignored when greedy)
     * @param topK        top-k (0 = off)
     * @param topP        top-p (1 = off)
     * @param seed        sampling seed
     * @param stopAtEos   stop at the model's EOS token(s)
     * @param threads     ORT intra-op threads
     * @param maxContext  KV-cache capacity in tokens
     */
    public record Options(Path model, String prompt, String promptIds, int maxTokens, boolean greedy, double temperature,
                          int topK, double topP, long seed, boolean stopAtEos, int threads, int maxContext) {

        /** Greedy or default sampling (temperature 0.8, top-k 40, top-p 0.95, seed 0), 1 thread, 2048 context. */
        public static Options of(Path model, String prompt, String promptIds, int maxTokens, boolean greedy) {
            return new Options(model, prompt, promptIds, maxTokens, greedy, 0.8, 40, 0.95, 0, true, 1, 2048);
        }
    }

    /** Result of a run, with load time apart from generation. */
    public record Report(Path model, String format, GenerationResult result, double loadSeconds, boolean synthetic) {
    }

    private static final int WARM_UP_SEQUENCE = 1 << 30;

    private GenerateRunner() {
    }

    /** Parses {@code "1,2,3"}. */
    public static int[] parseIds(String s) throws InputException {
        if (s == null || s.isBlank()) {
            throw new InputException("--prompt-ids", "", "no token ids given");
        }
        String[] parts = s.split(",");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InputException("--prompt-ids", "", "'" + parts[i].trim() + "' is not a token id");
            }
        }
        return ids;
    }

    /** Loads the model, generates, and reports; tokens stream to {@code listener} (may be null). */
    public static Report run(Options o, Generator.TokenListener listener) throws InputException {
        if ((o.prompt() == null) == (o.promptIds() == null)) {
            throw new InputException("--prompt", "", "give exactly one of --prompt or --prompt-ids");
        }
        if (o.maxTokens() < 0) {
            throw new InputException("--max-tokens", "", "must be 0 or more");
        }
        if (!o.greedy() && (o.temperature() <= 0 || o.topP() <= 0 || o.topP() > 1 || o.topK() < 0)) {
            throw new InputException("--temperature", "", "sampling needs temperature > 0, 0 < top-p <= 1, top-k >= 0");
        }
        if (o.threads() < 1 || o.maxContext() < 2) {
            throw new InputException("--threads", "", "threads must be >= 1 and the context >= 2");
        }
        long t0 = System.nanoTime();
        try (Checkpoint ck = Checkpoint.open(o.model())) {
            int[] prompt;
            if (o.promptIds() != null) {
                prompt = parseIds(o.promptIds());
            } else {
                if (ck.tokenizer() == null) {
                    throw new InputException(o.model().toString(), "", "the model has no tokenizer; use --prompt-ids");
                }
                prompt = ck.tokenizer().encode(o.prompt(), true);
            }
            List<Integer> stops = o.stopAtEos() ? ck.config().eosTokenIds() : List.of();
            SamplingOptions so = o.greedy() ? SamplingOptions.greedy(o.maxTokens()).withStopTokens(stops)
                    : new SamplingOptions(o.temperature(), o.topK(), o.topP(), o.seed(), o.maxTokens(), stops);
            try (ModelRunner runner = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())),
                    new RuntimeOptions(o.threads(), false, o.maxContext()))) {
                // one throw-away step so ORT's first-run allocations count as load, not as prefill
                runner.forward(WARM_UP_SEQUENCE, new int[] {0});
                runner.reset(WARM_UP_SEQUENCE);
                double load = (System.nanoTime() - t0) / 1e9;
                GenerationResult r = new Generator(runner, ck.tokenizer()).generate(prompt, so, listener);
                return new Report(o.model(), ck.format().name().toLowerCase(), r, load, ck.synthetic());
            } catch (OrtException e) {
                throw new InputException(o.model().toString(), "", "ONNX Runtime failed: " + e.getMessage());
            }
        }
    }

    public static String toJson(Report rep) {
        GenerationResult r = rep.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", r.tokens());
        m.put("text", r.text());
        m.put("promptTokens", r.promptTokens());
        m.put("promptTokenCount", r.promptTokens().size());
        m.put("generatedTokenCount", r.tokens().size());
        m.put("tokensPerSecond", r.tokensPerSecond());
        m.put("prefillTokensPerSecond", r.prefillTokensPerSecond());
        m.put("decodeTokensPerSecond", r.decodeTokensPerSecond());
        m.put("prefillSeconds", r.prefillSeconds());
        m.put("decodeSeconds", r.decodeSeconds());
        m.put("loadSeconds", rep.loadSeconds());
        m.put("stopReason", r.stopReason());
        m.put("runCallsPerToken", r.runCallsPerToken());
        m.put("model", rep.model().toString());
        m.put("format", rep.format());
        List<String> notes = new ArrayList<>();
        if (rep.synthetic()) {
            notes.add("synthetic random weights: generated text is meaningless");
        }
        m.put("notes", notes);
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
