package org.airshard.executor.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Text ↔ token ids. Decoding goes through {@link #tokenBytes(int)} so it can be streamed safely with a
 * {@link StreamingDecoder} (a UTF-8 character may be split across tokens).
 */
public interface Tokenizer extends AutoCloseable {

    /**
     * Token ids of {@code text}. With {@code addBos}, the BOS token is prepended when the tokenizer's own
     * configuration asks for one (GGUF {@code tokenizer.ggml.add_bos_token}, the {@code tokenizer.json}
     * post-processor): Llama-style vocabularies get BOS, Qwen2-style do not.
     */
    int[] encode(String text, boolean addBos);

    /** Bytes a token stands for (empty for control tokens such as BOS/EOS). */
    byte[] tokenBytes(int id);

    /** Whether decoding should drop one leading space of the text (SentencePiece dummy prefix). */
    default boolean stripsLeadingSpace() {
        return false;
    }

    int vocabSize();

    /** BOS id or -1. */
    int bosId();

    /** End-of-sequence ids (may be empty). */
    List<Integer> eosIds();

    /** Text of a whole sequence (invalid UTF-8 becomes U+FFFD). */
    default String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(tokenBytes(id));
        }
        String s = out.toString(StandardCharsets.UTF_8);
        if (stripsLeadingSpace() && s.startsWith(" ")) {
            s = s.substring(1);
        }
        return s;
    }

    @Override
    default void close() {
    }
}
