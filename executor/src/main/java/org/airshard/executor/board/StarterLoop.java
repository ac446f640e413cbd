package org.airshard.executor.board;

import ai.onnxruntime.OrtException;
import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongToIntFunction;
import org.airshard.executor.generate.LogitCandidates;
import org.airshard.executor.generate.Sampler;
import org.airshard.executor.runtime.StageShard;
import org.airshard.executor.runtime.StarterHead;

/**
 * The ring starter on a board (MDI-LLM's starter, pipeline.md): it embeds, runs its own layers, and when a
 * step comes back from the last member it runs the final norm + LM head, samples, reports the token to the
 * coordinator and starts the next step at once. The coordinator is off the per-token path: a token costs K
 * board-to-board hops and no hand-off to another process. Each sequence's generation state lives here; the
 * steps of S sequences interleave in arrival order, which is the recurrent pipelining.
 *
 * <p>Runs on the agent's single data thread only (no locking).
 */
final class StarterLoop implements AutoCloseable {

    /** Where frames go: the next ring member, or a sequence's sink (the coordinator connection). */
    interface Sender {
        void toNext(Frame f);

        void toSink(Channel sink, Frame f);
    }

    private static final System.Logger LOG = System.getLogger("airshard.agent");

    private final String board;
    private final StarterHead head;
    private final StageShard stage;
    private final int layers;
    private final int d;
    private final int ringSize;
    private final int vocab;
    private final LongToIntFunction charge;
    private final Sender sender;
    private final Map<Integer, Gen> gens = new HashMap<>();

    private static final class Gen {
        final long requestId;
        final Channel sink;
        final Sampler sampler;
        final GenerateRequest request;
        /** Logit candidates asked of the last member's head slice (0 = the whole slice). */
        final int candidates;
        int generated;
        int past;
        // the step being finished: the starter's logits (rows [0, v)) and the last member's slice, whichever came first
        float[] own;
        int ownUs;
        float[] times;
        int rows;
        float[] partial;
        int partialUs;
        int partialPosition = -1;

        Gen(long requestId, Channel sink, GenerateRequest request) {
            this.requestId = requestId;
            this.sink = sink;
            this.request = request;
            this.sampler = new Sampler(request.sampling());
            sampler.skip(request.generated());
            this.generated = request.generated();
            this.candidates = LogitCandidates.needed(request.sampling());
        }

        /** Whether the last member's {@link Frame#PARTIAL} for a slice of {@code n} logits is 2 × c candidates. */
        boolean compacted(int n) {
            return LogitCandidates.compacts(candidates, n);
        }
    }

    /**
     * @param board    this board's name (in error messages)
     * @param stage    the starter's layers (may hold none)
     * @param layers   how many layers {@code stage} holds
     * @param d        hidden size
     * @param ringSize members in the ring (the timing row has one slot per member)
     * @param vocab    V: logits the sampler sees; when the starter's head covers fewer rows, the last member sends
     *                 the rest ({@link Frame#PARTIAL})
     * @param charge   given the start of a computation (System.nanoTime), books it (and any emulated slow-down)
     *                 and returns its duration in µs
     */
    StarterLoop(String board, StarterHead head, StageShard stage, int layers, int d, int ringSize, int vocab,
                LongToIntFunction charge, Sender sender) {
        if (ringSize < 1 || ringSize > d) {
            throw new IllegalArgumentException("ring size " + ringSize + " outside 1.." + d);
        }
        this.board = board;
        this.head = head;
        this.stage = stage;
        this.layers = layers;
        this.d = d;
        this.ringSize = ringSize;
        this.vocab = vocab;
        this.charge = charge;
        this.sender = sender;
    }

    /** A {@link Frame#GENERATE}: prefills the tokens and sends the first step round the ring. */
    void start(Frame f, Channel sink) {
        GenerateRequest g;
        try {
            g = GenerateRequest.decode(f.payload());
        } catch (IllegalArgumentException e) {
            sender.toSink(sink, Frame.error(f, "board " + board + ": " + e.getMessage()));
            return;
        }
        Gen st = new Gen(f.requestId(), sink, g);
        gens.put(f.sequence(), st);
        try {
            step(f.sequence(), st, g.tokens());
        } catch (Exception | Error e) {
            fail(f.sequence(), st, f, e);
        }
    }

    /**
     * A RING frame back from the last member: head, sample, the token to the coordinator, then the next step
     * (or the end). Frames of a sequence that was cancelled or restarted meanwhile are dropped.
     */
    void back(Frame f) {
        Gen st = gens.get(f.sequence());
        if (st == null || st.requestId != f.requestId()) {
            return;
        }
        try {
            int rows = f.rows() - 1;
            if (rows < 1 || f.cols() != d) {
                throw new IllegalArgumentException("a ring step needs T + 1 rows of " + d + ", got " + f.rows() + " x " + f.cols());
            }
            float[] all = f.floats();
            long t0 = System.nanoTime();
            st.own = head.logits(all, rows, vocab);
            st.ownUs = charge.applyAsInt(t0);
            st.rows = rows;
            st.times = java.util.Arrays.copyOfRange(all, rows * d, rows * d + ringSize);
            if (split() && st.partialPosition != st.past) {
                return; // the last member's slice of the logits is still on its way
            }
            finish(f.sequence(), st, f);
        } catch (Exception | Error e) {
            fail(f.sequence(), st, f, e);
        }
    }

    private boolean split() {
        return head.headRows() < vocab;
    }

    /** The last member's slice of a step's logits ({@link Frame#PARTIAL}). */
    void partial(Frame f) {
        Gen st = gens.get(f.sequence());
        if (st == null || st.requestId != f.requestId()) {
            return;
        }
        try {
            int n = vocab - head.headRows(), rows = st.compacted(n) ? 2 : 1, cols = st.compacted(n) ? st.candidates : n;
            if (!split() || f.rows() != rows || f.cols() != cols || f.position() != st.past) {
                throw new IllegalArgumentException("logit slice of " + f.rows() + " x " + f.cols() + " at position " + f.position()
                        + " where " + rows + " x " + cols + " at " + st.past + " was due");
            }
            st.partial = f.floats();
            st.partialUs = f.aux();
            st.partialPosition = f.position();
            if (st.own != null) {
                finish(f.sequence(), st, f);
            }
        } catch (Exception | Error e) {
            fail(f.sequence(), st, f, e);
        }
    }

    /** Both halves of the step's logits are here: sample, report the token, start the next step. */
    private void finish(int seq, Gen st, Frame f) throws OrtException {
        long t0 = System.nanoTime();
        float[] logits = st.own;
        if (split()) {
            if (!st.compacted(vocab - head.headRows())) {
                System.arraycopy(st.partial, 0, logits, head.headRows(), st.partial.length);
            } else {
                LogitCandidates.scatter(st.partial, st.candidates, logits, head.headRows(), vocab);
            }
        }
        int next = st.sampler.sample(logits);
        int headUs = st.ownUs + charge.applyAsInt(t0);
        st.past += st.rows;
        st.generated++;
        int end = endReason(st, next);
        float[] times = new float[1 + ringSize + (split() ? 1 : 0)];
        times[0] = headUs;
        System.arraycopy(st.times, 0, times, 1, ringSize);
        if (split()) {
            times[1 + ringSize] = st.partialUs;
        }
        st.own = null;
        st.partial = null;
        sender.toSink(st.sink, new Frame(Frame.TOKEN, 0, 0, st.requestId, seq, st.generated - 1, next, 1, times.length,
                end, Frame.floatsToBytes(times, times.length)));
        if (end != Frame.END_NONE) {
            gens.remove(seq);
            return;
        }
        step(seq, st, new int[] {next});
    }

    private static int endReason(Gen st, int token) {
        if (st.request.sampling().stopTokens().contains(token)) {
            return Frame.END_STOP_TOKEN;
        }
        if (st.generated >= st.request.sampling().maxTokens()) {
            return Frame.END_MAX_TOKENS;
        }
        if (st.past >= st.request.capacity()) {
            return Frame.END_CONTEXT_FULL;
        }
        return Frame.END_NONE;
    }

    /** Embeds {@code tokens}, runs the starter's layers at the sequence's position and sends the step on. */
    private void step(int seq, Gen st, int[] tokens) throws OrtException {
        long t0 = System.nanoTime();
        int t = tokens.length;
        float[] h = head.embed(tokens);
        if (layers > 0) {
            h = stage.forward(seq, st.past, h, t);
        }
        float[] all = java.util.Arrays.copyOf(h, (t + 1) * d);
        int us = charge.applyAsInt(t0);
        all[t * d] = us;
        int want = split() ? st.candidates : 0;
        sender.toNext(new Frame(Frame.RING, 0, 0, st.requestId, seq, st.past, want, t + 1, d, us,
                Frame.floatsToBytes(all, all.length)));
    }

    /** An ERROR that came round the ring: it ends the sequence and goes to its coordinator. */
    void error(Frame f) {
        Gen st = gens.get(f.sequence());
        if (st == null || st.requestId != f.requestId()) {
            return;
        }
        gens.remove(f.sequence());
        sender.toSink(st.sink, f);
    }

    private void fail(int seq, Gen st, Frame f, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, board + ": ring starter: sequence " + seq + " failed: " + e);
        gens.remove(seq);
        sender.toSink(st.sink, new Frame(Frame.ERROR, 0, 0, st.requestId, seq, f.position(), 0, 0, 0, 0,
                ("board " + board + ": " + e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Drops a sequence (RESET). */
    void cancel(int seq) {
        gens.remove(seq);
    }

    /** Drops every sequence reporting to a closed coordinator connection. */
    void dropSink(Channel sink) {
        gens.values().removeIf(g -> g.sink == sink);
    }

    @Override
    public void close() {
        gens.clear();
        head.close();
    }
}
