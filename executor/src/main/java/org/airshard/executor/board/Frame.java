package org.airshard.executor.board;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One data-plane message: a fixed little-endian header and a raw payload (little-endian fp32 for tensors,
 * UTF-8 for errors). On the wire it is preceded by a 4-byte big-endian length of header + payload.
 *
 * <pre>
 *   int32 magic 'ASD1' | int32 kind | int64 sessionHi | int64 sessionLo | int64 requestId
 *   int32 sequence | int32 position | int32 layer | int32 rows | int32 cols | int32 aux   (56 bytes)
 *   payload: rows·cols fp32 (tensor kinds) or UTF-8 text (ERROR)
 * </pre>
 * {@code aux} carries the board's compute time in µs in a {@link #RESULT}.
 */
public record Frame(int kind, long sessionHi, long sessionLo, long requestId, int sequence, int position, int layer,
                    int rows, int cols, int aux, byte[] payload) {

    public static final int MAGIC = 0x41534431;
    public static final int HEADER_BYTES = 56;

    /** Echo (latency measurement). */
    public static final int PING = 1;
    /** Pipeline stage: hidden {@code [rows, d]} at {@code position} of {@code sequence}. */
    public static final int STAGE = 2;
    /** Tensor slice attention block of {@code layer}. */
    public static final int ATTN = 3;
    /** Tensor slice MLP block of {@code layer}. */
    public static final int MLP = 4;
    /** Reply with a tensor. */
    public static final int RESULT = 5;
    /** Reply with an error message. */
    public static final int ERROR = 6;
    /** Drop the KV cache of {@code sequence}. */
    public static final int RESET = 7;
    /**
     * Pipeline stage along the direct board-to-board ring: {@code rows} = T + 1, the first T rows are the hidden
     * state, the last row carries each member's compute time in µs at its ring index. A member forwards its
     * output as a RING frame to the next member (with that member's session); the last member's next member
     * is the starter, which runs the head ({@link #GENERATE}). Failures travel along the ring as
     * {@link #ERROR}s to the starter, which hands them to the coordinator. {@code layer} = how many logit
     * candidates the starter needs from a last member that computes part of the head (0 = its whole slice;
     * see {@link #PARTIAL}); every member passes it on unchanged.
     */
    public static final int RING = 8;
    // 9 was SINK (ring results to the coordinator, before the starter board held the head); refused as a request
    /**
     * Starts (or resumes) a generation at the ring's starter: the payload is a {@link GenerateRequest} (not a
     * tensor, rows = cols = 0). The starter embeds, runs its layers and sends the step round the ring; each RING
     * frame that comes back from the last member goes through the head and the sampler, and the chosen token
     * goes to the requesting connection as a {@link #TOKEN}, until a stop condition.
     */
    public static final int GENERATE = 10;
    /**
     * A token chosen by the starter: {@code layer} = token id, {@code position} = its index among the generated
     * tokens, {@code aux} = {@link #END_NONE} or the reason generation ended; payload 1 × (1 + K [+ 1]) fp32: the
     * starter's head + sampling time, each ring member's compute time for this step, and (when the last member
     * computes part of the head, {@link #PARTIAL}) its head time, in µs.
     */
    public static final int TOKEN = 11;
    /**
     * The ring's last member's slice of the next-token logits (vocabulary rows {@code [v, V)} of the LM head) for a
     * ring step, sent to the starter right after the step's RING frame: 1 × (V − v) fp32, {@code aux} = its head
     * time in µs. The starter computes rows {@code [0, v)} meanwhile and samples from both. When the RING frame
     * asked for c candidates (its {@code layer}, greedy: 1, top-k: k), the slice is compacted to 2 × c fp32: row 0
     * the c largest logits (ties to the lower token id), row 1 their token ids (exact in fp32 below 2²⁴).
     */
    public static final int PARTIAL = 12;
    /** Largest kind. */
    static final int MAX_KIND = PARTIAL;

    /** {@link #TOKEN} aux: generation goes on. */
    public static final int END_NONE = 0;
    /** {@link #TOKEN} aux: the token is a stop token. */
    public static final int END_STOP_TOKEN = 1;
    /** {@link #TOKEN} aux: the requested number of tokens is reached. */
    public static final int END_MAX_TOKENS = 2;
    /** {@link #TOKEN} aux: the KV cache (context) is full. */
    public static final int END_CONTEXT_FULL = 3;

    /** Whether the payload of this kind is rows·cols fp32 (every kind but ERROR and GENERATE). */
    public static boolean isTensorKind(int kind) {
        return kind != ERROR && kind != GENERATE;
    }

    public static Frame tensor(int kind, Session s, long requestId, int sequence, int position, int layer, int rows,
                               int cols, float[] values) {
        return new Frame(kind, s.hi(), s.lo(), requestId, sequence, position, layer, rows, cols, 0,
                floatsToBytes(values, rows * cols));
    }

    public static Frame error(Frame req, String message) {
        return new Frame(ERROR, 0, 0, req.requestId(), req.sequence(), req.position(), req.layer(), 0, 0, 0,
                message.getBytes(StandardCharsets.UTF_8));
    }

    public float[] floats() {
        float[] f = new float[payload.length / 4];
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public static byte[] floatsToBytes(float[] v, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v, 0, n);
        return b.array();
    }

    /** Session credentials of one loaded shard: 128 random bits handed out over the TLS control plane. */
    public record Session(long hi, long lo) {
        public boolean matches(Frame f) {
            // constant-time enough for 2 longs: no early exit
            return ((hi ^ f.sessionHi()) | (lo ^ f.sessionLo())) == 0;
        }

        public String hex() {
            return String.format("%016x%016x", hi, lo);
        }

        /**
         * A short public tag of this session (first 16 hex digits of SHA-256 of {@link #hex}): the heartbeat reports it
         * so a coordinator can tell that another client has loaded the board, without the secret going back.
         */
        public String tag() {
            try {
                byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(hex().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return java.util.HexFormat.of().formatHex(h, 0, 8);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public static Session parse(String hex) {
            return new Session(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
        }
    }
}
