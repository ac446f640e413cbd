package org.airshard.executor.board;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.generate.SamplingOptions;

/**
 * The payload of a {@link Frame#GENERATE}: what the ring's starter needs to run one sequence on its own.
 * A fixed little-endian layout, checked field by field on decode (no code-bearing format on the wire):
 *
 * <pre>
 *   int32 nTokens | int32 tokens[nTokens] | int32 generated | int32 capacity
 *   float64 temperature | int32 topK | float64 topP | int64 seed | int32 maxTokens | int32 nStop | int32 stop[nStop]
 * </pre>
 *
 * @param tokens    tokens to prefill: the prompt, plus on a resume the tokens already generated
 * @param generated tokens of this sequence generated before (a resume after a re-plan): the sampler's random
 *                  stream is advanced by that many draws and token indices continue from it
 * @param capacity  KV-cache capacity in tokens (generation ends with "context full" when reached)
 * @param sampling  sampling options; {@code maxTokens} counts all generated tokens, including {@code generated}
 */
public record GenerateRequest(int[] tokens, int generated, int capacity, SamplingOptions sampling) {

    /** Most prompt tokens and stop tokens one request may carry. */
    public static final int MAX_TOKENS = 1 << 20;
    public static final int MAX_STOP_TOKENS = 4096;

    public GenerateRequest {
        tokens = tokens.clone();
        if (tokens.length == 0 || tokens.length > MAX_TOKENS) {
            throw new IllegalArgumentException("a generation needs 1.." + MAX_TOKENS + " tokens to prefill, got " + tokens.length);
        }
        if (generated < 0 || generated > sampling.maxTokens()) {
            throw new IllegalArgumentException("generated " + generated + " outside 0.." + sampling.maxTokens());
        }
        if (capacity < 2 || tokens.length >= capacity + 1) {
            throw new IllegalArgumentException(tokens.length + " tokens do not fit a context of " + capacity);
        }
        if (sampling.stopTokens().size() > MAX_STOP_TOKENS) {
            throw new IllegalArgumentException("more than " + MAX_STOP_TOKENS + " stop tokens");
        }
    }

    public byte[] encode() {
        List<Integer> stops = sampling.stopTokens();
        ByteBuffer b = ByteBuffer.allocate(4 * (tokens.length + stops.size()) + 4 * 6 + 8 * 3).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tokens.length);
        for (int t : tokens) {
            b.putInt(t);
        }
        b.putInt(generated).putInt(capacity);
        b.putDouble(sampling.temperature()).putInt(sampling.topK()).putDouble(sampling.topP()).putLong(sampling.seed())
                .putInt(sampling.maxTokens());
        b.putInt(stops.size());
        for (int s : stops) {
            b.putInt(s);
        }
        return b.array();
    }

    /** Decodes and checks a payload; one {@link IllegalArgumentException} naming the bad field. */
    public static GenerateRequest decode(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int n = b.getInt();
            if (n < 1 || n > MAX_TOKENS || n > b.remaining() / 4) {
                throw new IllegalArgumentException("generate request: token count " + n + " does not fit the payload");
            }
            int[] tokens = new int[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = b.getInt();
            }
            int generated = b.getInt(), capacity = b.getInt();
            double temperature = b.getDouble();
            int topK = b.getInt();
            double topP = b.getDouble();
            long seed = b.getLong();
            int maxTokens = b.getInt();
            int ns = b.getInt();
            if (ns < 0 || ns > MAX_STOP_TOKENS || ns != b.remaining() / 4 || b.remaining() % 4 != 0) {
                throw new IllegalArgumentException("generate request: stop-token count " + ns + " does not fit the payload");
            }
            List<Integer> stops = new ArrayList<>(ns);
            for (int i = 0; i < ns; i++) {
                stops.add(b.getInt());
            }
            if (!(temperature >= 0) || !(topP > 0 && topP <= 1) || topK < 0 || maxTokens < 0) {
                throw new IllegalArgumentException("generate request: invalid sampling options");
            }
            return new GenerateRequest(tokens, generated, capacity,
                    new SamplingOptions(temperature, topK, topP, seed, maxTokens, stops));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("generate request: truncated payload of " + payload.length + " bytes");
        }
    }
}
