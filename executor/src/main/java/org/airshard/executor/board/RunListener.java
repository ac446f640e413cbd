package org.airshard.executor.board;

import java.util.Map;

/**
 * Live events of a distributed run, for the GUI or a trace file. Called from run threads: implementations
 * must be thread-safe and quick (hand work off to their own thread). Times are µs since the run's epoch.
 * Process ids: 1 = the coordinator (starter / aggregator), 2.. = boards in plan order.
 */
public interface RunListener {

    int COORDINATOR = 1;
    int TID_COMPUTE = 1;
    int TID_COMM = 2;
    /**
     * Name of the compute span of the final norm + LM head and sampling (on the ring's starter board, or on the
     * coordinator in a star or tensor run): part of the same token's work as that board's stage span, so it is
     * not a token of its own.
     */
    String HEAD_SPAN = "head + sample";

    /** Names a process (board) once, before its spans. */
    default void process(int pid, String name) {
    }

    /** A span of work: {@code tid} {@link #TID_COMPUTE} or {@link #TID_COMM}. */
    default void span(int pid, int tid, String name, long startMicros, long durationMicros, Map<String, Object> args) {
    }

    /** Data moving from one process to another (a pipeline hop, a broadcast, a partial sum). */
    default void flow(long id, int fromPid, long fromMicros, int toPid, long toMicros, String name) {
    }

    /** A counter sample (MSE of an all-reduce, link throughput). */
    default void counter(int pid, String name, long atMicros, double value) {
    }

    /** A token chosen for a sequence. */
    default void token(int sequence, int index, int token, String text) {
    }

    /**
     * The run lost a board and was re-planned onto the remaining ones ({@code run --replan}); sequences resume
     * from token {@code tokenIndex} (of sequence 0).
     *
     * @param lostBoard the lost board's label
     * @param reason    why it was declared lost
     * @param ranges    the new layout, one "board: layers [a, b)" per remaining board in ring order
     * @param atMicros  when the re-plan started, µs since the run's epoch
     */
    default void replan(String lostBoard, String reason, java.util.List<String> ranges, int tokenIndex, long atMicros) {
    }

    /** All listeners in order. */
    static RunListener all(RunListener... ls) {
        return new RunListener() {
            @Override
            public void process(int pid, String name) {
                for (RunListener l : ls) {
                    l.process(pid, name);
                }
            }

            @Override
            public void span(int pid, int tid, String name, long s, long d, Map<String, Object> args) {
                for (RunListener l : ls) {
                    l.span(pid, tid, name, s, d, args);
                }
            }

            @Override
            public void flow(long id, int fromPid, long fromMicros, int toPid, long toMicros, String name) {
                for (RunListener l : ls) {
                    l.flow(id, fromPid, fromMicros, toPid, toMicros, name);
                }
            }

            @Override
            public void counter(int pid, String name, long at, double v) {
                for (RunListener l : ls) {
                    l.counter(pid, name, at, v);
                }
            }

            @Override
            public void token(int seq, int index, int token, String text) {
                for (RunListener l : ls) {
                    l.token(seq, index, token, text);
                }
            }

            @Override
            public void replan(String lostBoard, String reason, java.util.List<String> ranges, int tokenIndex, long atMicros) {
                for (RunListener l : ls) {
                    l.replan(lostBoard, reason, ranges, tokenIndex, atMicros);
                }
            }
        };
    }
}
