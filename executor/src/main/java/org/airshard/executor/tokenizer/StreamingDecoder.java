package org.airshard.executor.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns tokens into text as they arrive, holding back the bytes of an incomplete UTF-8 character until
 * the token that completes it comes in. {@link #finish()} flushes what is left (invalid bytes → U+FFFD).
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean first;

    /**
     * @param tokenizer   the vocabulary
     * @param atTextStart whether the first token starts the text (then a SentencePiece dummy-prefix space is
     *                    dropped, like a whole-sequence decode)
     */
    public StreamingDecoder(Tokenizer tokenizer, boolean atTextStart) {
        this.tokenizer = tokenizer;
        this.first = atTextStart && tokenizer.stripsLeadingSpace();
    }

    /** Adds one token; returns the text that became complete (possibly empty). */
    public String accept(int token) {
        pending.writeBytes(tokenizer.tokenBytes(token));
        byte[] b = pending.toByteArray();
        int complete = completePrefix(b);
        if (complete == 0) {
            return "";
        }
        String s = new String(b, 0, complete, StandardCharsets.UTF_8);
        pending.reset();
        pending.write(b, complete, b.length - complete);
        if (first && !s.isEmpty()) {
            if (s.startsWith(" ")) {
                s = s.substring(1);
            }
            first = false;
        }
        return s;
    }

    /** Flushes held-back bytes. */
    public String finish() {
        String s = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return s;
    }

    /** Length of the longest prefix that does not end inside an unfinished UTF-8 sequence. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        // look back at most 3 bytes for a lead byte whose sequence is not finished
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xff;
            if ((c & 0xc0) == 0x80) {
                continue; // continuation byte: keep looking for the lead
            }
            int need = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
