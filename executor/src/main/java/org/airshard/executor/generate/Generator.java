package org.airshard.executor.generate;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.runtime.ModelRunner;
import org.airshard.executor.tokenizer.StreamingDecoder;
import org.airshard.executor.tokenizer.Tokenizer;
import org.airshard.planner.io.InputException;

/**
 * Single-process generation: one batched prefill of the prompt, then one decode step per token, each
 * token handed to a {@link TokenListener} as soon as it is chosen (with the text it completes, UTF-8 safe).
 */
public final class Generator {

    /** Receives tokens as they are generated. */
    @FunctionalInterface
    public interface TokenListener {
        /**
         * @param index position in the generated sequence (0 = first generated token)
         * @param token the id
         * @param text  text completed by this token (may be empty while a UTF-8 character is split)
         */
        void onToken(int index, int token, String text);
    }

    private final ModelRunner runner;
    private final Tokenizer tokenizer;

    /** @param tokenizer may be null (then no text is produced) */
    public Generator(ModelRunner runner, Tokenizer tokenizer) {
        this.runner = runner;
        this.tokenizer = tokenizer;
    }

    public GenerationResult generate(int[] prompt, SamplingOptions options, TokenListener listener)
            throws InputException, OrtException {
        int vocab = runner.config().vocabSize();
        if (prompt.length == 0) {
            throw new InputException("prompt", "", "the prompt is empty");
        }
        for (int id : prompt) {
            if (id < 0 || id >= vocab) {
                throw new InputException("prompt", "", "token id " + id + " outside the vocabulary (0.." + (vocab - 1) + ")");
            }
        }
        if (prompt.length >= runner.capacity()) {
            throw new InputException("prompt", "", "prompt of " + prompt.length + " tokens does not fit the context of "
                    + runner.capacity() + " tokens (room for at least one generated token is needed)");
        }
        int sequence = 0;
        runner.reset(sequence);
        Sampler sampler = new Sampler(options);
        StreamingDecoder decoder = tokenizer == null ? null : new StreamingDecoder(tokenizer, true);
        StringBuilder text = new StringBuilder();
        List<Integer> out = new ArrayList<>();
        String reason = "max_tokens";
        double prefill = 0, decode = 0;
        try {
            if (options.maxTokens() == 0) {
                return new GenerationResult(toList(prompt), out, "", reason, 0, 0, runner.runCallsPerToken());
            }
            long t0 = System.nanoTime();
            float[] logits = runner.forward(sequence, prompt);
            int next = sampler.sample(logits);
            prefill = (System.nanoTime() - t0) / 1e9;
            long td = System.nanoTime();
            while (true) {
                out.add(next);
                String piece = decoder == null ? "" : decoder.accept(next);
                text.append(piece);
                if (listener != null) {
                    listener.onToken(out.size() - 1, next, piece);
                }
                if (options.stopTokens().contains(next)) {
                    reason = "stop_token";
                    break;
                }
                if (out.size() >= options.maxTokens()) {
                    break;
                }
                if (runner.position(sequence) >= runner.capacity()) {
                    reason = "context_full";
                    break;
                }
                logits = runner.forward(sequence, new int[] {next});
                next = sampler.sample(logits);
            }
            decode = (System.nanoTime() - td) / 1e9;
            if (decoder != null) {
                text.append(decoder.finish());
            }
        } finally {
            runner.reset(sequence);
        }
        return new GenerationResult(toList(prompt), out, text.toString(), reason, prefill, decode,
                runner.runCallsPerToken());
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int x : a) {
            l.add(x);
        }
        return l;
    }
}
