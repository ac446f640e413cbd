package org.airshard.executor.board;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.airshard.executor.generate.LogitCandidates;
import org.airshard.executor.generate.Sampler;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.TensorNames;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.runtime.StarterHead;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.executor.tokenizer.StreamingDecoder;
import org.airshard.planner.io.InputException;

/**
 * The coordinator of a distributed run: it deploys and loads the boards, starts the sequences, collects tokens,
 * statistics and the trace, and watches the boards (heartbeat).
 *
 * <ul>
 *   <li>Pipeline, direct ring (default, MDI-LLM's design, pipeline.md): board 1 is the starter. It holds the
 *       embedding, its layers, the final norm and the LM head, and samples; hops go board to board
 *       ({@link Frame#RING}), the last member's next hop is the starter. The coordinator sends one
 *       {@link Frame#GENERATE} per sequence and receives its tokens ({@link Frame#TOKEN}); it is off the per-token
 *       path. Boards serialise work on one compute thread, so with S ≥ K every board works on a different
 *       sequence at once (recurrent pipelining); one KV cache per sequence per board; after the prompt each hop
 *       carries one hidden vector.</li>
 *   <li>Pipeline, star ({@link Options#withRing(boolean) withRing(false)}, or one board): each of S sequences
 *       runs on its own coordinator thread: embed → board 1 → … → board K → head → sample, every hop through the
 *       coordinator, which holds embedding and head.</li>
 *   <li>Tensor: the coordinator is the aggregator and holds embedding and head; per layer the block input is
 *       broadcast to all boards, partial outputs come back and are summed exactly or through
 *       {@link AirCompEmulator}; two all-reduces per layer.</li>
 * </ul>
 * Set-up (connect, deploy only missing tensors, load) is timed apart from generation. A heartbeat every
 * 500 ms (1 s deadline, 2 misses) and the data connection's state detect a dead board; all its pending
 * requests fail with a {@link BoardFailure} naming it and the run ends — or, with {@link #enableReplan}
 * (pipeline, or tensor with exact all-reduces), the model is re-partitioned (re-sliced) over the remaining boards
 * and every sequence resumes.
 */
public final class DistributedRun implements AutoCloseable {

    public enum Mode { PIPELINE, TENSOR }

    /** Counter names of deploy progress (per board pid, cumulative bytes): sent, and already on the board. */
    public static final String DEPLOY_SENT = "deployBytesSent";
    public static final String DEPLOY_SKIPPED = "deployBytesSkipped";
    /**
     * Counter names of link throughput (per board pid, bytes/s over the window since the board's previous
     * sample): data-plane bytes into the board and out of it. Sampled at most every
     * {@link #COUNTER_INTERVAL_MICROS} of run time, and once more at the end of generation.
     */
    public static final String LINK_IN = "link in (bytes/s)";
    public static final String LINK_OUT = "link out (bytes/s)";
    static final long COUNTER_INTERVAL_MICROS = 50_000;

    /**
     * @param mode             pipeline or tensor
     * @param aircomp          tensor mode: emulate the over-the-air all-reduce instead of the exact sum
     * @param samples          S sequences in flight
     * @param threads          ONNX Runtime threads per board and for the coordinator
     * @param maxContext       KV capacity per sequence
     * @param computeScale     per-board emulated speed factor in (0, 1] (1 = real speed); empty = all 1
     * @param requestTimeoutMs backstop deadline of one data-plane request
     * @param ring             pipeline: direct board-to-board ring (else star through the coordinator)
     */
    public record Options(Mode mode, boolean aircomp, int samples, int threads, int maxContext, List<Double> computeScale,
                          long requestTimeoutMs, boolean ring) {
        /** Options with the direct ring on (pipeline mode). */
        public Options(Mode mode, boolean aircomp, int samples, int threads, int maxContext, List<Double> computeScale,
                       long requestTimeoutMs) {
            this(mode, aircomp, samples, threads, maxContext, computeScale, requestTimeoutMs, true);
        }

        public static Options of(Mode mode, int samples) {
            return new Options(mode, false, samples, 1, 2048, List.of(), 60_000, true);
        }

        public Options withAircomp(boolean on) {
            return new Options(mode, on, samples, threads, maxContext, computeScale, requestTimeoutMs, ring);
        }

        public Options withComputeScale(List<Double> s) {
            return new Options(mode, aircomp, samples, threads, maxContext, s, requestTimeoutMs, ring);
        }

        /**
         * Pipeline: {@code true} (default) = direct ring, each board forwards its hidden state straight to the
         * next board's data port and the last one answers the coordinator; {@code false} = star, every hop goes
         * through the coordinator.
         */
        public Options withRing(boolean on) {
            return new Options(mode, aircomp, samples, threads, maxContext, computeScale, requestTimeoutMs, on);
        }
    }

    /** Per-board statistics of a run. */
    public record BoardStats(String board, String shard, double computeMs, double commMs, long bytesSent,
                             long bytesReceived, long usedHeapBytes, long deployBytesSent, long deployBytesSkipped,
                             double computeScale) {
    }

    public record SequenceResult(int sequence, List<Integer> tokens, String text, String stopReason) {
    }

    /**
     * @param tokensPerSecond generated tokens of all sequences per second of generation (set-up excluded)
     * @param measuredMse     AirComp: measured per-vector MSE in the normalised symbol domain, else null
     * @param predictedMse    AirComp: the optimizer's σ²α over the same channel uses, else null
     * @param activationMse   AirComp: mean squared error per activation of the all-reduced sums, else null
     * @param top1Agreement   AirComp: fraction of steps of sequence 0 whose argmax equals the exact run's
     *                        (teacher-forced on the AirComp tokens), else null
     * @param klDivergence    AirComp: mean KL(exact ‖ AirComp) of those steps' next-token distributions, nats
     * @param balance         how the layer ranges were re-split after measuring the boards ({@link #enableBalance}), or null
     */
    public record Result(List<SequenceResult> sequences, double tokensPerSecond, double generationSeconds,
                         double setupSeconds, List<BoardStats> boards, long allReduces, Double measuredMse,
                         Double predictedMse, Double activationMse, Double top1Agreement, Double klDivergence,
                         List<Replan> replans, Balance balance) {
    }

    private final Checkpoint ckpt;
    private final ModelConfig config;
    private List<ShardSpec> shards;
    private final Options options;
    private RunListener listener;
    private final List<BoardClient> boards = new ArrayList<>();
    private final long epoch = System.nanoTime();
    private final AtomicLong flowIds = new AtomicLong();
    private long[] computeMicros;
    private long[] commMicros;
    private long[] deploySent;
    private long[] deploySkipped;
    private String[] shardText;
    /** Trace pid of each board in {@link #boards} order; stable across re-plans. */
    private int[] pids;
    private Replanner replanner;
    /** Per board: time and cumulative data-plane bytes (in, out) of the last link-throughput sample. */
    private long[][] meter;
    /** Embedding and head at the coordinator: star and tensor runs only (a ring's starter board holds its own). */
    private StarterHead coordinatorHead;
    private AirCompEmulator aircomp;
    private ScheduledExecutorService heartbeat;
    private double setupSeconds;
    private final AtomicLong allReduces = new AtomicLong();

    /**
     * @param addresses board addresses, one per shard, in plan order
     * @param shards    pipeline stages (full layers, no embedding/head) or tensor slices
     */
    public DistributedRun(Checkpoint ckpt, List<String> addresses, List<ShardSpec> shards, Options options, String token,
                          KnownBoards known, RunListener listener) throws InputException {
        this.ckpt = ckpt;
        this.config = ckpt.config();
        this.shards = List.copyOf(shards);
        this.options = options;
        this.listener = listener == null ? new RunListener() {
        } : listener;
        if (addresses.size() != shards.size()) {
            throw new InputException("--boards", "", addresses.size() + " boards for " + shards.size() + " shards");
        }
        if (options.samples() < 1) {
            throw new InputException("--samples", "", "must be at least 1");
        }
        int n = shards.size();
        pids = new int[n];
        for (int i = 0; i < n; i++) {
            pids[i] = RunListener.COORDINATOR + 1 + i;
        }
        layoutState();
        for (int i = 0; i < n; i++) {
            try {
                BoardClient b = new BoardClient(addresses.get(i), token, known);
                b.setReadTimeoutMs(options.requestTimeoutMs());
                boards.add(b);
            } catch (IllegalArgumentException e) {
                close();
                throw new InputException("--boards", "", e.getMessage());
            }
        }
    }

    /** Per-board arrays and shard descriptions of the current {@link #shards}. */
    private void layoutState() throws InputException {
        int n = shards.size();
        computeMicros = new long[n];
        commMicros = new long[n];
        deploySent = new long[n];
        deploySkipped = new long[n];
        shardText = new String[n];
        meter = new long[n][3];
        for (int i = 0; i < n; i++) {
            ShardSpec s = shards.get(i);
            s.validate(config);
            shardText[i] = options.mode() == Mode.PIPELINE ? "layers [" + s.layerStart() + ", " + s.layerEnd() + ")"
                    : "KV groups [" + s.kvGroupStart() + ", " + s.kvGroupEnd() + "), FFN [" + s.ffnStart() + ", " + s.ffnEnd() + ")";
        }
    }

    long now() {
        return (System.nanoTime() - epoch) / 1000;
    }

    private double scale(int i) {
        List<Double> s = options.computeScale();
        if (s.isEmpty()) {
            return 1;
        }
        return s.size() == 1 ? s.get(0) : s.get(pids[i] - RunListener.COORDINATOR - 1);
    }

    /**
     * Uses this AirComp set-up (channel realisations and beamformers, one device per board in board order)
     * instead of the default one; call before {@link #setUp}.
     */
    public void useAircomp(AirCompEmulator emulator) {
        this.aircomp = emulator;
    }

    /** Connects, deploys (only tensors a board lacks), loads; starts the heartbeat. */
    public void setUp() throws InputException {
        long t0 = System.nanoTime();
        listener.process(RunListener.COORDINATOR, options.mode() == Mode.TENSOR ? "coordinator (aggregator)"
                : ring() ? "coordinator" : "coordinator (starter)");
        if (!ring()) {
            coordinatorHead();
        }
        deployAndLoadAll();
        if (options.mode() == Mode.TENSOR && options.aircomp() && aircomp == null) {
            aircomp = AirCompEmulator.designed(boards.size(), (config.hiddenSize() + 1) / 2, 4, 1);
        }
        startHeartbeat();
        boolean measure = balance && ring() && shards.stream().allMatch(x -> x.layerCount() > 0);
        warmUp(measure);
        if (measure) {
            rebalance();
        }
        setupSeconds = (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Deploys every board (only the tensors it lacks), then loads them from the last to the first so each
     * ring member can be told the next member's data port and session.
     */
    private void deployAndLoadAll() throws InputException {
        loading = true;
        try {
            deployAndLoadEach();
        } finally {
            loading = false;
        }
    }

    /** True while this coordinator (re)loads its boards: sessions change and boards are briefly unloaded. */
    private volatile boolean loading;

    private void deployAndLoadEach() throws InputException {
        Map<String, Tensor> tensors = new HashMap<>();
        List<ArrayNode> manifests = new ArrayList<>();
        for (int i = 0; i < boards.size(); i++) {
            manifests.add(deploy(i, tensors));
        }
        // sessions chosen here (sent over the TLS control plane) so the last member can be linked to the starter
        Frame.Session[] sessions = new Frame.Session[boards.size()];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new Frame.Session(RANDOM.nextLong(), RANDOM.nextLong());
        }
        for (int i = boards.size() - 1; i >= 0; i--) {
            load(i, manifests.get(i), sessions);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** The coordinator's own embedding and head (star and tensor runs), made on first use. */
    private synchronized StarterHead coordinatorHead() throws InputException {
        if (coordinatorHead == null) {
            try {
                RuntimeOptions ro = RuntimeOptions.defaults().withThreads(options.threads()).withMaxContext(options.maxContext());
                coordinatorHead = new StarterHead(ckpt, ro);
            } catch (OrtException e) {
                throw new InputException(String.valueOf(ckpt.source()), "", "ONNX Runtime failed: " + e.getMessage());
            }
        }
        return coordinatorHead;
    }

    private boolean ring() {
        return options.mode() == Mode.PIPELINE && options.ring() && boards.size() > 1;
    }

    /** Deploys board {@code i}'s shard: only the tensors it lacks; returns the manifest. */
    private ArrayNode deploy(int i, Map<String, Tensor> tensors) throws InputException {
        BoardClient b = boards.get(i);
        b.hello(false);
        listener.process(pids[i], "board " + b.label() + ": " + shardText[i] + (ring() && i == 0 ? " + head (starter)" : "")
                + (scale(i) < 1 ? " (emulated speed ×" + scale(i) + ")" : ""));
        ShardSpec s = shards.get(i);
        List<String> names = tensorNames(config, s);
        if (ring() && i == 0) {
            names.addAll(starterTensorNames(config));
        } else if (splitHead() && i == boards.size() - 1) {
            names.add(TensorNames.FINAL_NORM);
            names.add(config.tiedEmbeddings() ? TensorNames.EMBED : TensorNames.LM_HEAD);
        }
        ArrayNode manifest = Rpc.JSON.createArrayNode();
        Map<String, Tensor> byName = new HashMap<>();
        for (String name : names) {
            int[] cut = options.mode() == Mode.TENSOR ? sliceOf(config, s, name) : ring() ? headCut(i, name) : null;
            String key = name + (cut == null ? "" : java.util.Arrays.toString(cut));
            Tensor t = tensors.get(key);
            if (t == null) {
                t = Tensor.read(ckpt, name, cut);
                tensors.put(key, t);
            }
            byName.put(name, t);
            ObjectNode e = manifest.addObject().put("name", name).put("hash", t.hash).put("bytes", t.bytes.length);
            e.set("shape", Rpc.JSON.valueToTree(t.shape));
            e.set("fullShape", Rpc.JSON.valueToTree(t.fullShape));
            e.put("rowOffset", t.rowOffset).put("colOffset", t.colOffset);
        }
        ObjectNode dep = Rpc.Msg.object();
        dep.set("tensors", manifest);
        ObjectNode reply = b.call(Rpc.DEPLOY, Rpc.Msg.of(dep), BoardClient.CONTROL_DEADLINE_MS).json();
        java.util.Set<String> missing = new java.util.HashSet<>();
        reply.path("missing").forEach(x -> missing.add(x.asText()));
        for (String name : names) {
            Tensor t = byName.get(name);
            if (!missing.remove(t.hash)) {
                deploySkipped[i] += t.bytes.length;
                listener.counter(pids[i], DEPLOY_SKIPPED, now(), deploySkipped[i]);
                continue;
            }
            for (int off = 0; off < t.bytes.length || off == 0; off += Rpc.CHUNK_BYTES) {
                int len = Math.min(Rpc.CHUNK_BYTES, t.bytes.length - off);
                byte[] chunk = java.util.Arrays.copyOfRange(t.bytes, off, off + len);
                ObjectNode up = Rpc.Msg.object().put("hash", t.hash).put("total", t.bytes.length).put("offset", off);
                up.set("shape", Rpc.JSON.valueToTree(t.shape));
                b.call(Rpc.UPLOAD, new Rpc.Msg(up, chunk), 60_000);
                deploySent[i] += len;
                listener.counter(pids[i], DEPLOY_SENT, now(), deploySent[i]);
                if (len == 0) {
                    break;
                }
            }
        }
        return manifest;
    }

    /**
     * Loads board {@code i}'s shard with its session (ring: with the next member's data port and session; the
     * last member's next is the starter, board 0, which also holds the embedding and the head).
     */
    private void load(int i, ArrayNode manifest, Frame.Session[] sessions) {
        ShardSpec s = shards.get(i);
        BoardClient b = boards.get(i);
        ObjectNode load = Rpc.Msg.object();
        load.set("config", Rpc.JSON.valueToTree(config));
        load.set("invFreq", Rpc.JSON.valueToTree(ckpt.inverseFrequencies()));
        load.set("tensors", manifest);
        load.put("threads", options.threads()).put("maxContext", options.maxContext()).put("computeScale", scale(i));
        if (options.mode() == Mode.PIPELINE) {
            load.put("role", "stage").put("layerStart", s.layerStart()).put("layerEnd", s.layerEnd());
            if (ring()) {
                int k = boards.size(), j = (i + 1) % k;
                load.put("ringIndex", i);
                if (i == 0) {
                    load.put("starter", true).put("ringSize", k);
                    load.putArray("headRows").add(0).add(headSplitRow());
                } else if (i == k - 1 && splitHead()) {
                    load.putArray("headRows").add(headSplitRow()).add(config.vocabSize());
                }
                BoardClient n = boards.get(j);
                load.putObject("next").put("host", n.host()).put("dataPort", n.dataPort()).put("session", sessions[j].hex());
            }
        } else {
            load.put("role", "slice").put("kvGroupStart", s.kvGroupStart()).put("kvGroupEnd", s.kvGroupEnd())
                    .put("ffnStart", s.ffnStart()).put("ffnEnd", s.ffnEnd());
        }
        load.put("session", sessions[i].hex());
        b.load(load);
    }

    /**
     * One short prefill and a few decode steps on scratch sequences (on the ring as many at once as the run will
     * have), then dropped: ONNX Runtime's first runs and the JIT are paid in set-up, as {@code generate} does, so
     * tokens/s compare like for like; with {@code measure} the ring's step times are kept for the balancer. Not
     * traced, not counted.
     */
    private void warmUp(boolean measure) throws InputException {
        calibration = measure ? java.util.Collections.synchronizedList(new ArrayList<>()) : null;
        RunListener saved = listener;
        long reduces = allReduces.get();
        int seq = Integer.MAX_VALUE - 5;
        try {
            listener = new RunListener() {
            };
            int[] in = {0, 1};
            int past = 0;
            if (ring()) {
                // as many sequences in flight as the run will have: the times the balancer reads are then taken
                // with the boards as busy as in the run (two boards computing at once share memory bandwidth)
                List<SeqState> qs = new ArrayList<>();
                for (int q = 0; q < warmUpSequences(); q++) {
                    qs.add(new SeqState(seq - q, in, SamplingOptions.greedy(WARM_UP_TOKENS)));
                }
                Throwable failed = runSequences(qs, Math.min(options.maxContext(), config.maxPositions()));
                if (failed instanceof Exception e) {
                    throw e;
                } else if (failed != null) {
                    throw (Error) failed;
                }
            }
            for (int k = 0; k < 4 && !ring(); k++) {
                if (options.mode() == Mode.PIPELINE) {
                    pipelineStep(seq, in, past);
                } else {
                    tensorStep(seq, in, past, false);
                }
                past += in.length;
                in = new int[] {k};
            }
            for (BoardClient b : boards) {
                for (int q = 0; q < warmUpSequences(); q++) {
                    b.exchange(Frame.RESET, seq - q, 0, 0, 0, 0, new float[0]);
                }
            }
        } catch (OrtException e) {
            throw new InputException(String.valueOf(ckpt.source()), "", "ONNX Runtime failed: " + e.getMessage());
        } catch (BoardFailure | InputException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            if (!measure) {
                calibration = null;
            }
            listener = saved;
            allReduces.set(reduces);
            java.util.Arrays.fill(computeMicros, 0);
            java.util.Arrays.fill(commMicros, 0);
            boards.forEach(BoardClient::releaseLink);
            boards.forEach(BoardClient::resetCounters);
        }
    }

    /** Sequences the warm-up keeps in flight: the run's S on the ring (at most {@link #MAX_WARM_UP_SEQUENCES}), else 1. */
    private int warmUpSequences() {
        return ring() ? Math.min(options.samples(), MAX_WARM_UP_SEQUENCES) : 1;
    }

    static final int MAX_WARM_UP_SEQUENCES = 8;

    /**
     * With fewer sequences in flight than boards (S < K) every token waits on the whole ring, so the LM head runs
     * on two boards at once: the starter computes vocabulary rows [0, v), the last member rows [v, V) right after
     * its layers while the starter computes its part; v = V/2. With S ≥ K the boards are busy with other
     * sequences anyway; the head stays whole on the starter (no 1 × V/2 logit frame per token) and the
     * balancer gives the starter fewer layers instead. Measured: docs/benchmarks.md, "Boards".
     */
    private boolean splitHead() {
        return ring() && options.samples() < boards.size();
    }

    /** v: the starter's head covers vocabulary rows [0, v) (V when the head is not split). */
    private int headSplitRow() {
        return splitHead() ? config.vocabSize() / 2 : config.vocabSize();
    }

    /** Rows of the LM head (or tied embedding) board {@code i} of the ring receives, or null for a whole tensor. */
    private int[] headCut(int i, String name) {
        String head = config.tiedEmbeddings() ? TensorNames.EMBED : TensorNames.LM_HEAD;
        if (!splitHead() || !name.equals(head)) {
            return null;
        }
        if (i == 0) {
            return config.tiedEmbeddings() ? null : new int[] {0, 0, headSplitRow()};
        }
        return new int[] {0, headSplitRow(), config.vocabSize()};
    }

    /** What the ring starter holds besides its layers: embedding, final norm, LM head (unless tied). */
    static List<String> starterTensorNames(ModelConfig c) {
        List<String> out = new ArrayList<>(List.of(TensorNames.EMBED, TensorNames.FINAL_NORM));
        if (!c.tiedEmbeddings()) {
            out.add(TensorNames.LM_HEAD);
        }
        return out;
    }

    /** Tensors a board needs: a stage's layers; a slice's rows/columns of every layer ({@link #sliceOf}). */
    static List<String> tensorNames(ModelConfig c, ShardSpec s) {
        List<String> out = new ArrayList<>();
        for (int l = s.layerStart(); l < s.layerEnd(); l++) {
            out.add(TensorNames.attnNorm(l));
            out.add(TensorNames.q(l));
            out.add(TensorNames.k(l));
            out.add(TensorNames.v(l));
            if (c.qkvBias()) {
                out.add(TensorNames.qBias(l));
                out.add(TensorNames.kBias(l));
                out.add(TensorNames.vBias(l));
            }
            out.add(TensorNames.o(l));
            out.add(TensorNames.mlpNorm(l));
            out.add(TensorNames.gate(l));
            out.add(TensorNames.up(l));
            out.add(TensorNames.down(l));
        }
        return out;
    }

    /**
     * The part of a tensor a tensor-parallel slice needs: {@code {axis, start, end}} with axis 0 = rows, 1 =
     * columns of the HF {@code [out, in]} matrix; null = whole. Q/K/V (and biases) by rows of the slice's heads,
     * W_o by their columns, gate/up by rows of the slice's FFN columns, W_down by columns; norms whole.
     */
    static int[] sliceOf(ModelConfig c, ShardSpec s, String name) {
        int dh = c.headDim(), rep = c.headsPerGroup(), g0 = s.kvGroupStart(), g1 = s.kvGroupEnd();
        for (int l = s.layerStart(); l < s.layerEnd(); l++) {
            if (name.equals(TensorNames.q(l)) || name.equals(TensorNames.qBias(l))) {
                return new int[] {0, g0 * rep * dh, g1 * rep * dh};
            }
            if (name.equals(TensorNames.k(l)) || name.equals(TensorNames.v(l)) || name.equals(TensorNames.kBias(l))
                    || name.equals(TensorNames.vBias(l))) {
                return new int[] {0, g0 * dh, g1 * dh};
            }
            if (name.equals(TensorNames.o(l))) {
                return new int[] {1, g0 * rep * dh, g1 * rep * dh};
            }
            if (name.equals(TensorNames.gate(l)) || name.equals(TensorNames.up(l))) {
                return new int[] {0, s.ffnStart(), s.ffnEnd()};
            }
            if (name.equals(TensorNames.down(l))) {
                return new int[] {1, s.ffnStart(), s.ffnEnd()};
            }
        }
        return null;
    }

    private record Tensor(long[] shape, long[] fullShape, long rowOffset, long colOffset, byte[] bytes, String hash) {
        static Tensor read(Checkpoint ck, String name, int[] cut) throws InputException {
            long[] full = ck.store().info(name).shape();
            long[] shape = full.clone();
            float[] v;
            long rowOff = 0, colOff = 0;
            if (cut == null) {
                v = ck.store().read(name);
            } else if (cut[0] == 0) {
                v = ck.store().readRows(name, cut[1], cut[2]);
                shape[0] = cut[2] - cut[1];
                rowOff = cut[1];
            } else {
                float[] all = ck.store().read(name);
                int rows = (int) full[0], cols = (int) full[1], n = cut[2] - cut[1];
                v = new float[rows * n];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(all, r * cols + cut[1], v, r * n, n);
                }
                shape[1] = n;
                colOff = cut[1];
            }
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            byte[] bytes = b.array();
            return new Tensor(shape, full, rowOff, colOff, bytes, TensorCache.hash(shape, bytes));
        }
    }

    /** Tokens of the warm-up sequence (ring: its decode steps also measure the boards for {@link #enableBalance}). */
    static final int WARM_UP_TOKENS = 10;

    private boolean balance;
    /** Decode-step timings of the warm-up (ring), while {@link #rebalance} wants them. */
    private volatile List<float[]> calibration;
    private Balance balanced;

    /**
     * How {@link #enableBalance} moved the layer ranges: the measured costs (µs) and the ranges before and after,
     * with the predicted bottleneck stage time of each.
     */
    public record Balance(double headMicros, double lastHeadMicros, List<Double> microsPerLayer, List<String> before,
                          List<String> after, double bottleneckBeforeMicros, double bottleneckAfterMicros) {
    }

    /**
     * Pipeline ring without a plan: after the warm-up has measured each board's time per layer and the starter's
     * head time (median over its decode steps), re-split the layers so the slowest stage is as fast as it can be
     * ({@link LayerBalancer}), if that predicts at least {@link #BALANCE_GAIN} better. Tensors already on a board
     * are not sent again. Call before {@link #setUp}.
     */
    public void enableBalance() {
        this.balance = true;
    }

    /** Smallest predicted improvement of the bottleneck stage for which {@link #enableBalance} re-splits. */
    static final double BALANCE_GAIN = 0.10;

    private void rebalance() throws InputException {
        List<float[]> steps = calibration;
        calibration = null;
        int k = boards.size();
        if (steps == null || steps.size() < 3) {
            return;
        }
        double head = median(steps, 0);
        double[] fixed = new double[k];
        fixed[0] = head;
        if (steps.get(0).length > k + 1) {
            fixed[k - 1] += median(steps, k + 1); // the last member's slice of the head
        }
        double[] perLayer = new double[k];
        int[] counts = new int[k];
        for (int i = 0; i < k; i++) {
            counts[i] = shards.get(i).layerCount();
            perLayer[i] = median(steps, 1 + i) / counts[i];
        }
        int[] split = LayerBalancer.split(config.layers(), fixed, perLayer);
        double before = LayerBalancer.bottleneck(counts, fixed, perLayer), after = LayerBalancer.bottleneck(split, fixed, perLayer);
        if (after > (1 - BALANCE_GAIN) * before) {
            return;
        }
        List<String> was = ranges();
        List<ShardSpec> next = new ArrayList<>();
        int l0 = 0;
        for (int i = 0; i < k; i++) {
            next.add(ShardSpec.stage(config, l0, l0 + split[i], false, false));
            l0 += split[i];
        }
        shards = List.copyOf(next);
        long[] sent = deploySent, skipped = deploySkipped;
        layoutState();
        deploySent = sent; // the same boards: the run's deploy statistics cover both deploys
        deploySkipped = skipped;
        deployAndLoadAll();
        warmUp(false);
        List<Double> pl = new ArrayList<>();
        for (double v : perLayer) {
            pl.add(v);
        }
        balanced = new Balance(head, fixed[k - 1], pl, was, ranges(), before, after);
    }

    private List<String> ranges() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < boards.size(); i++) {
            out.add(boards.get(i).label() + ": " + shardText[i]);
        }
        return out;
    }

    private static double median(List<float[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }

    /** Heartbeat interval; a board missing two in a row is declared lost. */
    static final long HEARTBEAT_MS = 500;

    private void startHeartbeat() {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
        int k = boards.size();
        int[] misses = new int[k];
        int[] strikes = new int[k];
        heartbeat.scheduleWithFixedDelay(() -> {
            ObjectNode[] replies = new ObjectNode[k];
            for (int i = 0; i < k; i++) {
                BoardClient b = boards.get(i);
                if (b.failure() != null) {
                    continue;
                }
                String late = b.overdue();
                if (late != null) {
                    lose(b, late);
                    continue;
                }
                try {
                    replies[i] = b.heartbeat(1000);
                    misses[i] = 0;
                } catch (BoardFailure e) {
                    if (++misses[i] >= 2) {
                        lose(b, "no heartbeat for 2 intervals: " + e.getMessage());
                    }
                }
            }
            for (int i = 0; i < k; i++) {
                String why = replies[i] == null || loading ? null : heartbeatFault(i, replies);
                if (why == null) {
                    strikes[i] = 0;
                } else if (++strikes[i] >= 2) {
                    lose(boards.get(i), why);
                }
            }
        }, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * What is wrong with board {@code i} by its heartbeat reply, or null: it is no longer loaded, or loaded by
     * another client (its session tag changed), or (ring) its link to the next board failed while that board
     * answers as loaded by this run. Acted on when seen in two heartbeats in a row.
     */
    private String heartbeatFault(int i, ObjectNode[] replies) {
        String own = sessionFault(boards.get(i), replies[i]);
        if (own != null || !ring() || !replies[i].hasNonNull("ringFault")) {
            return own;
        }
        int j = (i + 1) % boards.size();
        if (replies[j] == null || sessionFault(boards.get(j), replies[j]) != null) {
            return null; // the next board is the one at fault: its own heartbeat names it
        }
        return "ring link to board " + boards.get(j).label() + " failed: " + replies[i].path("ringFault").asText();
    }

    private static String sessionFault(BoardClient b, ObjectNode reply) {
        if (b.session() == null) {
            return null;
        }
        if (!reply.path("loaded").asBoolean(true)) {
            return "the board no longer holds this run's shard (another client stopped or is reloading it)";
        }
        String tag = reply.path("session").asText("");
        return tag.isEmpty() || tag.equals(b.session().tag()) ? null
                : "another client loaded the board during the run (its session changed)";
    }

    /** Declares a board lost; on the ring every waiting thread is freed (a step waits on the last board's reply). */
    private void lose(BoardClient b, String reason) {
        b.fail(reason);
        if (ring()) {
            for (BoardClient o : boards) {
                if (o != b) {
                    o.abortLinks();
                }
            }
        }
    }

    /** Generates {@code sampling.maxTokens()} tokens for each of S sequences from the same prompt. */
    public Result generate(int[] prompt, SamplingOptions sampling) throws InputException {
        int vocab = config.vocabSize();
        for (int id : prompt) {
            if (id < 0 || id >= vocab) {
                throw new InputException("prompt", "", "token id " + id + " outside the vocabulary (0.." + (vocab - 1) + ")");
            }
        }
        int capacity = Math.min(options.maxContext(), config.maxPositions());
        if (prompt.length == 0 || prompt.length >= capacity) {
            throw new InputException("prompt", "", "prompt of " + prompt.length + " tokens does not fit the context of "
                    + capacity + " tokens");
        }
        int s = options.samples();
        List<SeqState> states = new ArrayList<>();
        for (int q = 0; q < s; q++) {
            SamplingOptions so = sampling.isGreedy() ? sampling : new SamplingOptions(sampling.temperature(), sampling.topK(),
                    sampling.topP(), sampling.seed() + q, sampling.maxTokens(), sampling.stopTokens());
            states.add(new SeqState(q, prompt, so));
        }
        long t0 = System.nanoTime();
        startMeters();
        List<Replan> replans = new ArrayList<>();
        while (true) {
            Throwable failed = runSequences(states, capacity);
            if (failed == null) {
                break;
            }
            BoardFailure lost = firstFailure();
            if (lost == null && replanner != null && failed instanceof BoardFailure) {
                // a ring failure can reach the coordinator (through the starter) before the heartbeat has named the
                // board that died: give the heartbeat its two intervals before deciding there is nothing to re-plan
                long until = System.nanoTime() + 2 * HEARTBEAT_MS * 1_000_000L + 500_000_000L;
                while (lost == null && System.nanoTime() < until) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    lost = firstFailure();
                }
            }
            if (lost == null && failed instanceof BoardFailure bf) {
                lost = bf;
            }
            boolean canReplan = replanner != null && (options.mode() == Mode.PIPELINE || aircomp == null) && lost != null
                    && boards.stream().anyMatch(b -> b.failure() == null) && boards.stream().anyMatch(b -> b.failure() != null);
            if (!canReplan) {
                if (lost != null) {
                    throw lost;
                }
                if (failed instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(failed.getMessage(), failed);
            }
            replans.add(replan(lost, states, t0));
        }
        double gen = (System.nanoTime() - t0) / 1e9;
        long end = now();
        for (int i = 0; i < boards.size(); i++) {
            meter(i, end, true);
        }
        List<SequenceResult> results = new ArrayList<>();
        for (SeqState q : states) {
            results.add(q.result);
        }
        int total = results.stream().mapToInt(r -> r.tokens().size()).sum();
        List<BoardStats> stats = boardStats(true);
        long reduces = allReduces.get();
        double[] cost = aircomp == null ? null : accuracyCost(prompt, results.get(0).tokens());
        return new Result(results, total / gen, gen, setupSeconds, stats, reduces,
                aircomp == null ? null : aircomp.measuredMse(), aircomp == null ? null : aircomp.predictedMse(),
                aircomp == null ? null : aircomp.activationMse(), cost == null ? null : cost[0], cost == null ? null : cost[1],
                List.copyOf(replans), balanced);
    }

    private BoardFailure firstFailure() {
        for (BoardClient b : boards) {
            if (b.failure() != null) {
                return b.failure();
            }
        }
        return null;
    }

    /**
     * Runs every unfinished sequence on its own thread until all end; returns null, or the failure that
     * ended them (the others stop at their next step; tokens chosen so far stay in their {@link SeqState}).
     */
    private Throwable runSequences(List<SeqState> states, int capacity) {
        aborted = false;
        List<SeqState> todo = states.stream().filter(q -> q.result == null).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, todo.size()), r -> {
            Thread t = new Thread(r, "sequence");
            t.setDaemon(true);
            return t;
        });
        List<Future<SequenceResult>> futures = new ArrayList<>();
        for (SeqState q : todo) {
            futures.add(pool.submit(() -> {
                try {
                    return sequence(q, capacity);
                } catch (Exception | Error e) {
                    aborted = true;
                    if (ring() && e instanceof BoardFailure) {
                        // other sequences may wait on the last board for a step that will never arrive
                        for (BoardClient b : boards) {
                            if (b.failure() == null) {
                                b.abortLinks();
                            }
                        }
                    }
                    throw e;
                } finally {
                    boards.forEach(BoardClient::releaseLink);
                }
            }));
        }
        Throwable first = null;
        try {
            for (int k = 0; k < futures.size(); k++) {
                try {
                    todo.get(k).result = futures.get(k).get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    boolean abortedOnly = c instanceof IllegalStateException && "run aborted".equals(c.getMessage());
                    if (first == null || (first instanceof IllegalStateException && !abortedOnly)) {
                        first = c;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return first;
    }

    /** One sequence's generation state; it survives a re-plan. */
    private final class SeqState {
        final int seq;
        final int[] prompt;
        final SamplingOptions so;
        final Sampler sampler;
        final StreamingDecoder decoder;
        final StringBuilder text = new StringBuilder();
        final List<Integer> out = new ArrayList<>();
        volatile SequenceResult result;

        SeqState(int seq, int[] prompt, SamplingOptions so) {
            this.seq = seq;
            this.prompt = prompt;
            this.so = so;
            this.sampler = new Sampler(so);
            this.decoder = ckpt.tokenizer() == null ? null : new StreamingDecoder(ckpt.tokenizer(), true);
        }
    }

    /**
     * A re-plan after a lost board: who, why, the new ranges, the tokens each sequence had, how long re-planning,
     * redeploying and reloading took, and the statistics of the layout it replaced (the lost board included; heap
     * not asked, -1).
     */
    public record Replan(String lostBoard, String reason, List<String> ranges, int tokenIndex, List<Integer> tokensPerSequence,
                         double seconds, List<BoardStats> boardsBefore) {
        /** A re-plan as the live event reports it (no statistics). */
        public Replan(String lostBoard, String reason, List<String> ranges, int tokenIndex, List<Integer> tokensPerSequence,
                      double seconds) {
            this(lostBoard, reason, ranges, tokenIndex, tokensPerSequence, seconds, List.of());
        }
    }

    /** Chooses a new layout when a board is lost: the remaining board addresses and their shards. */
    public interface Replanner {
        /**
         * @param remaining addresses of the boards still alive, in the current ring order
         * @param lost      address of the lost board
         * @return boards (a subset or reordering of {@code remaining}) and their shards
         */
        Relayout replan(List<String> remaining, String lost) throws InputException;
    }

    public record Relayout(List<String> addresses, List<ShardSpec> shards) {
    }

    /**
     * When a board is lost mid-run, re-partition (pipeline) or re-slice (tensor, exact all-reduces only: AirComp
     * beamformers are designed for the boards the run started with) over the remaining boards with
     * {@code replanner}, redeploy, and resume every unfinished sequence by prefilling its prompt and the tokens
     * generated so far. Without it (the default) a lost board ends the run.
     */
    public void enableReplan(Replanner replanner) {
        this.replanner = replanner;
    }

    /** Statistics of the current layout's boards (heap asked of each live board when {@code askHeap}, else -1). */
    private List<BoardStats> boardStats(boolean askHeap) {
        List<BoardStats> stats = new ArrayList<>();
        for (int i = 0; i < boards.size(); i++) {
            BoardClient b = boards.get(i);
            long heap = -1;
            if (askHeap && b.failure() == null) {
                try {
                    heap = b.status().path("usedHeapBytes").asLong(-1);
                } catch (BoardFailure ignored) {
                    // reported as -1
                }
            }
            synchronized (this) {
                stats.add(new BoardStats(b.label(), shardText[i], computeMicros[i] / 1e3, commMicros[i] / 1e3, b.bytesSent(),
                        b.bytesReceived(), heap, deploySent[i], deploySkipped[i], scale(i)));
            }
        }
        return stats;
    }

    private Replan replan(BoardFailure lost, List<SeqState> states, long t0) throws InputException {
        long r0 = System.nanoTime();
        List<BoardStats> before = boardStats(false);
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        List<String> lostNames = new ArrayList<>();
        String lostAddress = null;
        Map<String, BoardClient> alive = new LinkedHashMap<>();
        Map<String, Integer> pidOf = new HashMap<>();
        for (int i = 0; i < boards.size(); i++) {
            BoardClient b = boards.get(i);
            if (b.failure() != null) {
                lostNames.add(b.label());
                lostAddress = lostAddress == null ? b.address() : lostAddress;
                b.close();
            } else {
                alive.put(b.address(), b);
                pidOf.put(b.address(), pids[i]);
            }
        }
        Relayout rl = replanner.replan(List.copyOf(alive.keySet()), lostAddress);
        if (rl.addresses().size() != rl.shards().size() || rl.addresses().isEmpty()) {
            throw new IllegalStateException("re-plan gave " + rl.addresses().size() + " boards for " + rl.shards().size() + " shards");
        }
        boards.clear();
        pids = new int[rl.addresses().size()];
        for (int i = 0; i < rl.addresses().size(); i++) {
            BoardClient b = alive.get(rl.addresses().get(i));
            if (b == null) {
                throw new IllegalStateException("re-plan chose board " + rl.addresses().get(i) + ", which is not a remaining board");
            }
            boards.add(b);
            pids[i] = pidOf.get(b.address());
        }
        shards = List.copyOf(rl.shards());
        layoutState();
        deployAndLoadAll();
        startHeartbeat();
        if (balance && ring() && shards.stream().allMatch(x -> x.layerCount() > 0)) {
            // the remaining boards' speeds are measured as at set-up; without a topology the re-plan split equally
            warmUp(true);
            rebalance();
        }
        startMeters();
        List<String> ranges = ranges();
        List<Integer> done = states.stream().map(q -> q.out.size()).toList();
        int index = states.get(0).out.size();
        String board = String.join(", ", lostNames);
        double secs = (System.nanoTime() - r0) / 1e9;
        listener.replan(board, lost.getMessage(), ranges, index, (r0 - epoch) / 1000);
        return new Replan(board, lost.getMessage(), List.copyOf(ranges), index, done, secs, List.copyOf(before));
    }

    /** Set when one sequence failed: the others stop at their next step instead of running on. */
    private volatile boolean aborted;

    private final List<float[]> aircompLogits = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * Runs a sequence to its end. A resumed sequence (tokens already chosen, after a re-plan) first prefills
     * its prompt and those tokens on the new layout, then continues.
     */
    private SequenceResult sequence(SeqState q, int capacity) throws Exception {
        int seq = q.seq;
        SamplingOptions so = q.so;
        List<Integer> out = q.out;
        int past = 0;
        int[] in = q.prompt;
        if (!out.isEmpty()) {
            in = java.util.Arrays.copyOf(q.prompt, q.prompt.length + out.size());
            for (int k = 0; k < out.size(); k++) {
                in[q.prompt.length + k] = out.get(k);
            }
            int last = out.get(out.size() - 1);
            if (so.stopTokens().contains(last)) {
                return finish(q, "stop_token");
            }
            if (out.size() >= so.maxTokens()) {
                return finish(q, "max_tokens");
            }
            if (in.length > capacity) {
                return finish(q, "context_full");
            }
        }
        String reason = "max_tokens";
        if (so.maxTokens() == 0) {
            return finish(q, reason);
        }
        if (ring()) {
            return ringSequence(q, in, capacity);
        }
        while (true) {
            if (aborted) {
                throw new IllegalStateException("run aborted");
            }
            float[] logits = options.mode() == Mode.PIPELINE ? pipelineStep(seq, in, past) : tensorStep(seq, in, past, aircomp != null);
            if (aircomp != null && seq == 0) {
                aircompLogits.add(logits);
            }
            past += in.length;
            int next = q.sampler.sample(logits);
            out.add(next);
            String piece = q.decoder == null ? "" : q.decoder.accept(next);
            q.text.append(piece);
            listener.token(seq, out.size() - 1, next, piece);
            if (so.stopTokens().contains(next)) {
                reason = "stop_token";
                break;
            }
            if (out.size() >= so.maxTokens()) {
                break;
            }
            if (past >= capacity) {
                reason = "context_full";
                break;
            }
            in = new int[] {next};
        }
        return finish(q, reason);
    }

    /**
     * A sequence on the direct ring: one {@link Frame#GENERATE} to the starter board, which embeds, samples and
     * holds the head; then its tokens as they come ({@link Frame#TOKEN}), each with the boards' compute times
     * for the trace. The coordinator is off the per-token path.
     */
    private SequenceResult ringSequence(SeqState q, int[] in, int capacity) {
        BoardClient starter = boards.get(0);
        int seq = q.seq;
        starter.sendGenerate(seq, new GenerateRequest(in, q.out.size(), capacity, q.so));
        long sent = now();
        int past = 0;
        while (true) {
            if (aborted) {
                throw new IllegalStateException("run aborted");
            }
            Frame f = starter.receive();
            long received = now();
            if (f.kind() != Frame.TOKEN || f.sequence() != seq) {
                throw new BoardFailure(starter.label(), "sent frame kind " + f.kind() + " for sequence " + f.sequence()
                        + " where a token of sequence " + seq + " was due");
            }
            float[] times = f.floats();
            recordRingStep(seq, past, past == 0 ? in.length : 1, sent, received, times, f.payload().length, q.so);
            if (calibration != null && past > 0) {
                calibration.add(times);
            }
            past += past == 0 ? in.length : 1;
            sent = received;
            int next = f.layer();
            q.out.add(next);
            String piece = q.decoder == null ? "" : q.decoder.accept(next);
            q.text.append(piece);
            listener.token(seq, q.out.size() - 1, next, piece);
            switch (f.aux()) {
                case Frame.END_NONE -> {
                }
                case Frame.END_STOP_TOKEN -> {
                    return finish(q, "stop_token");
                }
                case Frame.END_MAX_TOKENS -> {
                    return finish(q, "max_tokens");
                }
                case Frame.END_CONTEXT_FULL -> {
                    return finish(q, "context_full");
                }
                default -> throw new BoardFailure(starter.label(), "unknown end reason " + f.aux());
            }
        }
    }

    private SequenceResult finish(SeqState q, String reason) {
        if (q.decoder != null) {
            q.text.append(q.decoder.finish());
        }
        return new SequenceResult(q.seq, List.copyOf(q.out), q.text.toString(), reason);
    }

    /**
     * Accuracy cost of AirComp for sequence 0: the same tokens are fed again with exact all-reduces (teacher
     * forcing) and each step's logits compared with the AirComp run's: top-1 agreement and mean
     * KL(p_exact ‖ p_aircomp) in nats. Not part of the timed generation.
     */
    private double[] accuracyCost(int[] prompt, List<Integer> tokens) throws InputException {
        int seq = Integer.MAX_VALUE - 1, past = 0, agree = 0, n = 0;
        double kl = 0;
        int[] in = prompt;
        try {
            for (int k = 0; k < aircompLogits.size(); k++) {
                float[] exact = tensorStep(seq, in, past, false);
                float[] air = aircompLogits.get(k);
                agree += Sampler.argmax(exact) == Sampler.argmax(air) ? 1 : 0;
                kl += klDivergence(exact, air);
                n++;
                past += in.length;
                if (k < tokens.size()) {
                    in = new int[] {tokens.get(k)};
                }
            }
            for (BoardClient b : boards) {
                b.exchange(Frame.RESET, seq, 0, 0, 0, 0, new float[0]);
            }
        } catch (OrtException e) {
            throw new InputException("aircomp", "", "ONNX Runtime failed: " + e.getMessage());
        } catch (BoardFailure e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            boards.forEach(BoardClient::releaseLink);
        }
        return n == 0 ? null : new double[] {(double) agree / n, kl / n};
    }

    /**
     * Perplexity of {@code tokens} (teacher-forced, one token per step, up to the context), tensor mode:
     * {@code {exact, aircomp}} (aircomp NaN without an AirComp set-up). Not timed; uses sequence ids
     * reserved for evaluation.
     */
    public double[] perplexity(int[] tokens) throws InputException {
        if (options.mode() != Mode.TENSOR) {
            throw new InputException("--eval-text", "", "perplexity is measured in tensor mode");
        }
        int capacity = Math.min(options.maxContext(), config.maxPositions());
        int n = Math.min(tokens.length, capacity);
        if (n < 2) {
            throw new InputException("--eval-text", "", "the text has fewer than 2 tokens");
        }
        double[] out = {Double.NaN, Double.NaN};
        try {
            for (int mode = 0; mode < (aircomp == null ? 1 : 2); mode++) {
                int seq = Integer.MAX_VALUE - 2 - mode;
                double nll = 0;
                for (int i = 0; i + 1 < n; i++) {
                    float[] logits = tensorStep(seq, new int[] {tokens[i]}, i, mode == 1);
                    double max = Double.NEGATIVE_INFINITY, z = 0;
                    for (float v : logits) {
                        max = Math.max(max, v);
                    }
                    for (float v : logits) {
                        z += Math.exp(v - max);
                    }
                    nll += max + Math.log(z) - logits[tokens[i + 1]];
                }
                out[mode] = Math.exp(nll / (n - 1));
                for (BoardClient b : boards) {
                    b.exchange(Frame.RESET, seq, 0, 0, 0, 0, new float[0]);
                }
            }
        } catch (OrtException e) {
            throw new InputException("--eval-text", "", "ONNX Runtime failed: " + e.getMessage());
        } catch (BoardFailure | InputException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            boards.forEach(BoardClient::releaseLink);
        }
        return out;
    }

    /** KL(softmax(p) ‖ softmax(q)) in nats. */
    static double klDivergence(float[] p, float[] q) {
        double mp = Double.NEGATIVE_INFINITY, mq = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            mp = Math.max(mp, p[i]);
            mq = Math.max(mq, q[i]);
        }
        double zp = 0, zq = 0;
        for (int i = 0; i < p.length; i++) {
            zp += Math.exp(p[i] - mp);
            zq += Math.exp(q[i] - mq);
        }
        double lzp = Math.log(zp), lzq = Math.log(zq), kl = 0;
        for (int i = 0; i < p.length; i++) {
            double lp = p[i] - mp - lzp, lq = q[i] - mq - lzq;
            kl += Math.exp(lp) * (lp - lq);
        }
        return Math.max(0, kl);
    }

    private float[] embed(int seq, int[] tokens, int past) throws InputException {
        long ts = now();
        float[] h = coordinatorHead().embed(tokens);
        listener.span(RunListener.COORDINATOR, RunListener.TID_COMPUTE, "embed", ts, now() - ts, args(seq, past));
        return h;
    }

    private float[] head(int seq, float[] h, int rows, int past) throws OrtException, InputException {
        long ts = now();
        float[] logits = coordinatorHead().logits(h, rows);
        listener.span(RunListener.COORDINATOR, RunListener.TID_COMPUTE, RunListener.HEAD_SPAN, ts, now() - ts, args(seq, past));
        return logits;
    }

    private static Map<String, Object> args(int seq, int position) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", seq);
        m.put("position", position);
        return m;
    }

    private void startMeters() {
        long at = now();
        synchronized (meter) {
            for (int i = 0; i < boards.size(); i++) {
                meter[i][0] = at;
                meter[i][1] = boards.get(i).bytesSent();
                meter[i][2] = boards.get(i).bytesReceived();
            }
        }
    }

    /**
     * Emits board {@code i}'s link-throughput counters if {@link #COUNTER_INTERVAL_MICROS} passed since its
     * last sample (or {@code flush}): bytes/s into and out of the board over that window.
     */
    private void meter(int i, long at, boolean flush) {
        BoardClient b = boards.get(i);
        long in = b.bytesSent(), out = b.bytesReceived();
        synchronized (meter) {
            long dt = at - meter[i][0];
            if (dt <= 0 || (!flush && dt < COUNTER_INTERVAL_MICROS)) {
                return;
            }
            double s = dt / 1e6;
            int pid = pids[i];
            listener.counter(pid, LINK_IN, at, (in - meter[i][1]) / s);
            listener.counter(pid, LINK_OUT, at, (out - meter[i][2]) / s);
            meter[i][0] = at;
            meter[i][1] = in;
            meter[i][2] = out;
        }
    }

    /** Records one board request: a comm span for the round trip, a compute span inside it, flows. */
    private void record(int board, String what, int seq, int position, long sent, long received, Frame reply, int fromPid) {
        int pid = pids[board];
        long compute = reply.aux();
        synchronized (this) {
            computeMicros[board] += compute;
            commMicros[board] += Math.max(0, received - sent - compute);
        }
        Map<String, Object> a = args(seq, position);
        a.put("bytes", reply.payload().length);
        listener.span(pid, RunListener.TID_COMM, what + " round trip", sent, received - sent, a);
        long start = sent + Math.max(0, (received - sent - compute) / 2);
        Map<String, Object> ca = args(seq, position);
        ca.put("placement", "centred in the round trip (board clock not used)");
        if (scale(board) < 1) {
            ca.put("emulatedSpeed", scale(board));
        }
        listener.span(pid, RunListener.TID_COMPUTE, what, start, compute, ca);
        listener.flow(flowIds.incrementAndGet(), fromPid, sent, pid, start, what);
        meter(board, received, false);
    }

    private float[] pipelineStep(int seq, int[] tokens, int past) throws Exception {
        int d = config.hiddenSize(), t = tokens.length;
        float[] h = embed(seq, tokens, past);
        int from = RunListener.COORDINATOR;
        for (int i = 0; i < boards.size(); i++) {
            long sent = now();
            Frame r = boards.get(i).exchange(Frame.STAGE, seq, past, 0, t, d, h);
            long received = now();
            record(i, "stage " + shardText[i], seq, past, sent, received, r, from);
            from = pids[i];
            h = r.floats();
        }
        return head(seq, h, t, past);
    }

    /**
     * Records one ring step of {@code rows} tokens from a {@link Frame#TOKEN}: {@code times} = the starter's head +
     * sampling time, each member's compute time and, with a split head, the last member's head time (µs; its logit
     * frame is as large as the sequence's sampling {@code so} needs). Between the previous token's arrival
     * ({@code sent}) and this one the step
     * went: starter layers → hop → member 1 → … → member K−1 → hop → starter head. Spans are placed in that
     * order with the time not spent computing split evenly over the K hops (board clocks are not used). Hops
     * count as bytes into and out of the boards they join.
     */
    private void recordRingStep(int seq, int position, int rows, long sent, long received, float[] times, int tokenBytes,
                                SamplingOptions so) {
        int k = boards.size();
        long head = Math.max(0, (long) times[0]);
        long[] compute = new long[k];
        long sum = head;
        for (int i = 0; i < k; i++) {
            compute[i] = Math.max(0, (long) times[1 + i]);
            sum += compute[i];
        }
        // the last member's head slice overlaps the starter's head: only the longer of the two is on the path
        long lastHeadMicros = times.length > k + 1 ? Math.max(0, (long) times[k + 1]) : 0;
        sum += Math.max(0, lastHeadMicros - head);
        long hop = Math.max(0, (received - sent - sum) / k);
        long frame = Frame.HEADER_BYTES + 4L + 4L * (rows + 1) * config.hiddenSize();
        long at = sent;
        int from = pids[0];
        for (int i = 0; i < k; i++) {
            int pid = pids[i];
            if (i > 0) {
                Map<String, Object> a = args(seq, position);
                a.put("estimated", "hop time = (interval − compute) / K");
                listener.span(pid, RunListener.TID_COMM, "ring hop in", at, hop, a);
                listener.flow(flowIds.incrementAndGet(), from, at, pid, at + hop, "stage " + shardText[i]);
                at += hop;
                boards.get(i).countRing(frame, 0);
            }
            boards.get(i).countRing(0, frame);
            Map<String, Object> ca = args(seq, position);
            ca.put("placement", "in ring order between two tokens (board clocks not used)");
            if (scale(i) < 1) {
                ca.put("emulatedSpeed", scale(i));
            }
            listener.span(pid, RunListener.TID_COMPUTE, "stage " + shardText[i], at, compute[i], ca);
            at += compute[i];
            from = pid;
            long lastHead = i == k - 1 && times.length > k + 1 ? Math.max(0, (long) times[k + 1]) : 0;
            if (lastHead > 0) {
                Map<String, Object> la = args(seq, position);
                la.put("vocabularyRows", "[" + headSplitRow() + ", " + config.vocabSize() + ")");
                la.put("placement", "after the stage, while the starter computes its rows");
                listener.span(pid, RunListener.TID_COMPUTE, RunListener.HEAD_SPAN, at, lastHead, la);
                int slice = config.vocabSize() - headSplitRow(), c = LogitCandidates.needed(so);
                long partial = Frame.HEADER_BYTES + 4L + 4L * (LogitCandidates.compacts(c, slice) ? 2 * c : slice);
                boards.get(i).countRing(0, partial);
                boards.get(0).countRing(partial, 0);
            }
            synchronized (this) {
                computeMicros[i] += compute[i] + (i == 0 ? head : 0) + lastHead;
                commMicros[i] += hop;
            }
            meter(i, received, false);
        }
        Map<String, Object> a = args(seq, position);
        a.put("estimated", "hop time = (interval − compute) / K");
        listener.span(pids[0], RunListener.TID_COMM, "ring hop in (to the starter)", at, hop, a);
        listener.flow(flowIds.incrementAndGet(), from, at, pids[0], at + hop, RunListener.HEAD_SPAN);
        at += hop;
        boards.get(0).countRing(frame, 0);
        Map<String, Object> ha = args(seq, position);
        ha.put("tokenBytesToCoordinator", tokenBytes);
        listener.span(pids[0], RunListener.TID_COMPUTE, RunListener.HEAD_SPAN, at, head, ha);
    }

    private float[] tensorStep(int seq, int[] tokens, int past, boolean overTheAir) throws Exception {
        int d = config.hiddenSize(), t = tokens.length, n = boards.size();
        float[] h = embed(seq, tokens, past);
        float[][] parts = new float[n][];
        for (int l = 0; l < config.layers(); l++) {
            for (int block = 0; block < 2; block++) {
                long sent = now();
                for (int i = 0; i < n; i++) {
                    boards.get(i).send(block == 0 ? Frame.ATTN : Frame.MLP, seq, past, l, t, d, h);
                }
                for (int i = 0; i < n; i++) {
                    Frame r = boards.get(i).receive();
                    long received = now();
                    record(i, (block == 0 ? "attention " : "mlp ") + l, seq, past, sent, received, r, RunListener.COORDINATOR);
                    parts[i] = r.floats();
                }
                long ts = now();
                float[] sum;
                if (overTheAir) {
                    sum = aircomp.allReduce(parts);
                } else {
                    sum = new float[t * d];
                    for (float[] p : parts) {
                        for (int k = 0; k < sum.length; k++) {
                            sum[k] += p[k];
                        }
                    }
                }
                for (int k = 0; k < h.length; k++) {
                    h[k] += sum[k];
                }
                long c = allReduces.incrementAndGet();
                Map<String, Object> a = args(seq, past);
                a.put("layer", l);
                a.put("block", block == 0 ? "attention" : "mlp");
                listener.span(RunListener.COORDINATOR, RunListener.TID_COMM, overTheAir ? "AirComp all-reduce" : "all-reduce",
                        ts, now() - ts, a);
                if (overTheAir && c % 16 == 0) {
                    listener.counter(RunListener.COORDINATOR, "all-reduce MSE (measured)", now(), aircomp.measuredMse());
                    listener.counter(RunListener.COORDINATOR, "all-reduce MSE (predicted)", now(), aircomp.predictedMse());
                }
            }
        }
        return head(seq, h, t, past);
    }

    public List<BoardClient> boards() {
        return List.copyOf(boards);
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        for (BoardClient b : boards) {
            if (b.failure() == null) {
                b.stop();
            }
            b.close();
        }
        if (coordinatorHead != null) {
            coordinatorHead.close();
        }
    }
}
