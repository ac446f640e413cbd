package org.airshard.app.gui.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.airshard.executor.board.RunListener;

/**
 * Live timeline of a distributed run: a {@link RunListener} that keeps the newest spans of every lane in
 * bounded buffers, counts tokens per time bin (tokens/s over time) and remembers lost boards. Run threads
 * write; the UI reads {@link #snapshot()} on its own timer (never one UI update per event). Thread-safe.
 *
 * <p>Lanes: one per (process, thread): pid 1 = coordinator, 2.. = boards; tid {@link RunListener#TID_COMPUTE}
 * compute, {@link RunListener#TID_COMM} communication. Times are µs since the run's epoch.
 */
public final class TimelineModel implements RunListener {

    /** Spans kept per lane; older ones are dropped (and counted). */
    public static final int DEFAULT_SPANS_PER_LANE = 4_000;
    /** Width of one tokens/s bin, µs. */
    public static final long TOKEN_BIN_US = 250_000;
    /** Token bins kept. */
    public static final int MAX_TOKEN_BINS = 2_400;

    /**
     * @param pid      process (1 = coordinator, 2.. = boards)
     * @param tid      lane within the process (1 compute, 2 communication)
     * @param name     span name (compute, send, recv, allreduce, …)
     * @param startUs  start, µs since the run's epoch
     * @param durUs    duration, µs
     * @param sequence sequence id, or -1
     * @param position token position, or -1
     */
    public record Span(int pid, int tid, String name, long startUs, long durUs, int sequence, int position) {
        public long endUs() {
            return startUs + durUs;
        }
    }

    /** Data moving between processes (a pipeline hop, a broadcast, a partial sum). */
    public record Flow(int fromPid, long fromUs, int toPid, long toUs, String name) {
    }

    /** A token chosen for a sequence, at the latest time seen when it arrived. */
    public record TokenMark(int sequence, int index, long atUs) {
    }

    /** Flows and token marks kept (newest). */
    public static final int MAX_FLOWS = 4_000;
    public static final int MAX_TOKEN_MARKS = 8_000;

    /** A board lost during the run. */
    public record Lost(int pid, String board, long atUs, String reason) {
    }

    /**
     * The run re-planned onto the remaining boards after losing one ({@link RunListener#replan}).
     *
     * @param atUs       when the re-plan started
     * @param lostBoard  the lost board's label
     * @param tokenIndex tokens of sequence 0 chosen before it; generation resumed from there
     * @param ranges     the new layout, one "board: layers" per remaining board in ring order
     */
    public record ReplanMark(long atUs, String lostBoard, int tokenIndex, List<String> ranges) {
    }

    /**
     * What the UI draws: copies, safe to read on any thread.
     *
     * @param processes   names by pid, in pid order of first appearance
     * @param lanes       spans by lane key {@code pid * 10 + tid}, oldest first
     * @param tokenBins   tokens per bin of {@link #TOKEN_BIN_US}, bin i starting at {@code firstBin + i}
     * @param firstBin    index of the first kept bin
     * @param endUs       latest time seen
     * @param lost        lost boards
     * @param dropped     spans dropped from full buffers
     * @param version     changes whenever anything is added
     * @param flows       newest flows, oldest first
     * @param tokens      newest token marks, oldest first
     * @param replans     re-plans after lost boards, oldest first
     */
    public record Snapshot(Map<Integer, String> processes, Map<Integer, List<Span>> lanes, int[] tokenBins, long firstBin,
                           long endUs, List<Lost> lost, long dropped, long version, List<Flow> flows, List<TokenMark> tokens,
                           List<ReplanMark> replans) {

        /** Tokens per second in each kept bin. */
        public double[] tokensPerSecond() {
            double[] r = new double[tokenBins.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = tokenBins[i] * 1e6 / TOKEN_BIN_US;
            }
            return r;
        }

        /** The board process whose compute span ends last (the board busy now), or -1. */
        public int busyPid() {
            int best = -1;
            long bestEnd = Long.MIN_VALUE;
            for (Map.Entry<Integer, List<Span>> e : lanes.entrySet()) {
                int pid = e.getKey() / 10;
                if (pid == RunListener.COORDINATOR || e.getKey() % 10 != RunListener.TID_COMPUTE || e.getValue().isEmpty()) {
                    continue;
                }
                long end = e.getValue().get(e.getValue().size() - 1).endUs();
                if (end > bestEnd) {
                    bestEnd = end;
                    best = pid;
                }
            }
            return best;
        }

        /** The span of lane {@code key} covering time {@code atUs} (within {@code slackUs}), or null. */
        public Span spanAt(int key, long atUs, long slackUs) {
            List<Span> l = lanes.get(key);
            if (l == null) {
                return null;
            }
            Span best = null;
            long bestDist = Long.MAX_VALUE;
            for (Span s : l) {
                long d = atUs < s.startUs() ? s.startUs() - atUs : atUs > s.endUs() ? atUs - s.endUs() : 0;
                if (d <= slackUs && d < bestDist) {
                    best = s;
                    bestDist = d;
                }
            }
            return best;
        }
    }

    private final int spansPerLane;
    private final Map<Integer, String> processes = new LinkedHashMap<>();
    private final Map<Integer, ArrayDeque<Span>> lanes = new LinkedHashMap<>();
    private final ArrayDeque<int[]> bins = new ArrayDeque<>(); // [binIndex, count]
    private final List<Lost> lost = new ArrayList<>();
    private final List<ReplanMark> replans = new ArrayList<>();
    private final ArrayDeque<Flow> flows = new ArrayDeque<>();
    private final ArrayDeque<TokenMark> tokenMarks = new ArrayDeque<>();
    /** Per board pid: [compute spans, compute µs, round trips, round-trip µs, last compute µs]; never trimmed. */
    private final Map<Integer, long[]> perBoard = new LinkedHashMap<>();
    private long endUs;
    private long dropped;
    private long version;
    private long lastTokenUs;

    public TimelineModel() {
        this(DEFAULT_SPANS_PER_LANE);
    }

    public TimelineModel(int spansPerLane) {
        if (spansPerLane < 1) {
            throw new IllegalArgumentException("spansPerLane must be at least 1");
        }
        this.spansPerLane = spansPerLane;
    }

    /** Forgets everything (a new run). */
    public synchronized void clear() {
        processes.clear();
        lanes.clear();
        bins.clear();
        lost.clear();
        replans.clear();
        flows.clear();
        tokenMarks.clear();
        perBoard.clear();
        endUs = 0;
        dropped = 0;
        lastTokenUs = 0;
        version++;
    }

    @Override
    public synchronized void process(int pid, String name) {
        processes.put(pid, name);
        version++;
    }

    @Override
    public synchronized void span(int pid, int tid, String name, long startMicros, long durationMicros, Map<String, Object> args) {
        processes.putIfAbsent(pid, pid == COORDINATOR ? "coordinator" : "board " + pid);
        ArrayDeque<Span> lane = lanes.computeIfAbsent(pid * 10 + tid, k -> new ArrayDeque<>());
        if (lane.size() >= spansPerLane) {
            lane.removeFirst();
            dropped++;
        }
        lane.addLast(new Span(pid, tid, name, startMicros, Math.max(0, durationMicros), intArg(args, "sequence", "seq"),
                intArg(args, "position", "token")));
        if (pid != COORDINATOR) {
            long[] a = perBoard.computeIfAbsent(pid, k -> new long[5]);
            if (tid == TID_COMPUTE) {
                if (!RunListener.HEAD_SPAN.equals(name)) {
                    a[0]++; // the starter's head + sampling belongs to the token its stage span counts
                }
                a[1] += Math.max(0, durationMicros);
                a[4] = Math.max(0, durationMicros);
            } else if (tid == TID_COMM && name != null && name.endsWith("round trip")) {
                a[2]++;
                a[3] += Math.max(0, durationMicros);
            }
        }
        endUs = Math.max(endUs, startMicros + durationMicros);
        version++;
    }

    /**
     * One board's measured latency per token so far (all spans of the run, not only those the lanes keep).
     *
     * @param name          the board's process name
     * @param computeSpans  stage compute spans (one per token per sequence through this stage; a board's head span
     *                      belongs to the same token and only adds to {@code computeUs})
     * @param computeUs     their total duration
     * @param roundTrips    coordinator → board → coordinator round trips
     * @param roundTripUs   their total duration (includes the board's compute)
     * @param lastComputeUs the latest compute span
     */
    public record BoardLatency(String name, long computeSpans, long computeUs, long roundTrips, long roundTripUs,
                               long lastComputeUs) {
        /** Mean compute ms per token, NaN before the first. */
        public double computeMs() {
            return computeSpans == 0 ? Double.NaN : computeUs / 1e3 / computeSpans;
        }

        /** Mean (round trip − compute) ms per token: the network and framing cost, NaN before the first. */
        public double networkMs() {
            return roundTrips == 0 || computeSpans == 0 ? Double.NaN
                    : Math.max(0, roundTripUs / 1e3 / roundTrips - computeMs());
        }
    }

    /**
     * Board pid → measured latency so far, in order of first span. Lost boards are left out; after a re-plan
     * the sums restart, so they measure the current layout only.
     */
    public synchronized Map<Integer, BoardLatency> boardLatencies() {
        Map<Integer, BoardLatency> out = new LinkedHashMap<>();
        java.util.Set<Integer> gone = new java.util.HashSet<>();
        lost.forEach(l -> gone.add(l.pid()));
        perBoard.forEach((pid, a) -> {
            if (!gone.contains(pid)) {
                out.put(pid, new BoardLatency(processes.getOrDefault(pid, "board " + pid), a[0], a[1],
                        a[2], a[3], a[4]));
            }
        });
        return out;
    }

    @Override
    public synchronized void flow(long id, int fromPid, long fromMicros, int toPid, long toMicros, String name) {
        if (flows.size() >= MAX_FLOWS) {
            flows.removeFirst();
        }
        flows.addLast(new Flow(fromPid, fromMicros, toPid, toMicros, name));
        version++;
    }

    /** Counts a token at the latest time seen (tokens carry no time stamp of their own). */
    @Override
    public synchronized void token(int sequence, int index, int token, String text) {
        long at = Math.max(endUs, lastTokenUs);
        if (tokenMarks.size() >= MAX_TOKEN_MARKS) {
            tokenMarks.removeFirst();
        }
        tokenMarks.addLast(new TokenMark(sequence, index, at));
        tokenAt(at);
    }

    /** Counts a token at {@code atUs}. */
    public synchronized void tokenAt(long atUs) {
        lastTokenUs = atUs;
        long bin = atUs / TOKEN_BIN_US;
        int[] last = bins.peekLast();
        if (last != null && last[0] == bin) {
            last[1]++;
        } else if (last == null || bin > last[0]) {
            while (last != null && last[0] + 1 < bin) { // keep empty bins so the curve drops to 0 during a stall
                last = new int[] {last[0] + 1, 0};
                bins.addLast(last);
                trimBins();
            }
            bins.addLast(new int[] {(int) bin, 1});
            trimBins();
        } else {
            for (int[] b : bins) {
                if (b[0] == bin) {
                    b[1]++;
                }
            }
        }
        endUs = Math.max(endUs, atUs);
        version++;
    }

    private void trimBins() {
        while (bins.size() > MAX_TOKEN_BINS) {
            bins.removeFirst();
        }
    }

    /** Marks a board lost; {@code board} is matched against the process names ("board NAME (…)"). */
    public synchronized void boardLost(String board, String reason) {
        boardLostAt(board, reason, endUs);
    }

    /**
     * The run lost {@code lostBoard} and resumed on the remaining boards: the board is marked lost at the
     * re-plan's time, the re-plan is kept for the view, and the per-board latency sums restart (the remaining
     * boards now hold other layer ranges).
     */
    @Override
    public synchronized void replan(String lostBoard, String reason, List<String> ranges, int tokenIndex, long atMicros) {
        for (String board : lostBoard.split(", ")) { // several boards lost at once come joined
            if (lost.stream().noneMatch(l -> board.equals(l.board()))) {
                boardLostAt(board, reason, atMicros);
            }
        }
        replans.add(new ReplanMark(atMicros, lostBoard, tokenIndex, List.copyOf(ranges)));
        perBoard.clear();
        endUs = Math.max(endUs, atMicros);
        version++;
    }

    private void boardLostAt(String board, String reason, long atUs) {
        int pid = -1;
        for (Map.Entry<Integer, String> e : processes.entrySet()) {
            if (e.getKey() != COORDINATOR && board != null && e.getValue().contains(board)) {
                pid = e.getKey();
                break;
            }
        }
        lost.add(new Lost(pid, board, atUs, reason));
        version++;
    }

    public synchronized long version() {
        return version;
    }

    public synchronized Snapshot snapshot() {
        Map<Integer, List<Span>> l = new LinkedHashMap<>();
        lanes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> l.put(e.getKey(), List.copyOf(e.getValue())));
        int[] counts = new int[bins.size()];
        int i = 0;
        for (int[] b : bins) {
            counts[i++] = b[1];
        }
        long first = bins.isEmpty() ? 0 : bins.peekFirst()[0];
        return new Snapshot(Map.copyOf(processes).isEmpty() ? Map.of() : new LinkedHashMap<>(processes), l, counts, first,
                endUs, List.copyOf(lost), dropped, version, List.copyOf(flows), List.copyOf(tokenMarks),
                List.copyOf(replans));
    }

    private static int intArg(Map<String, Object> args, String a, String b) {
        if (args == null) {
            return -1;
        }
        Object v = args.containsKey(a) ? args.get(a) : args.get(b);
        return v instanceof Number n ? n.intValue() : -1;
    }
}
