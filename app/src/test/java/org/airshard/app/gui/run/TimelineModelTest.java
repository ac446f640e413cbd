package org.airshard.app.gui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.airshard.executor.board.RunListener;
import org.junit.jupiter.api.Test;

/** The live timeline keeps bounded buffers, bins tokens, finds the busy board and marks lost boards. */
class TimelineModelTest {

    @Test
    void buffersAreBoundedAndKeepTheNewestSpans() {
        TimelineModel m = new TimelineModel(100);
        m.process(2, "board a (127.0.0.1:1): layers [0, 3)");
        for (int i = 0; i < 10_000; i++) {
            m.span(2, RunListener.TID_COMPUTE, "compute", i * 10L, 5, Map.of("sequence", i % 3, "position", i));
        }
        TimelineModel.Snapshot s = m.snapshot();
        assertEquals(100, s.lanes().get(21).size());
        assertEquals(9_900, s.dropped());
        assertEquals(9_900 * 10L, s.lanes().get(21).get(0).startUs());
        assertEquals(99_995, s.endUs());
        assertEquals(9_999 % 3, s.lanes().get(21).get(99).sequence());
    }

    /** The ring's starter runs its stage and the head per token: one token, both times in its compute. */
    @Test
    void theStartersHeadIsPartOfItsTokenNotATokenOfItsOwn() {
        TimelineModel m = new TimelineModel();
        m.process(2, "board b1 (127.0.0.1:7401): layers [0, 1) + head (starter)");
        for (int i = 0; i < 4; i++) {
            m.span(2, RunListener.TID_COMPUTE, "stage layers [0, 1)", i * 1000L, 300, Map.of("sequence", 0, "position", i));
            m.span(2, RunListener.TID_COMPUTE, RunListener.HEAD_SPAN, i * 1000L + 600, 1200, Map.of("sequence", 0, "position", i));
        }
        TimelineModel.BoardLatency b = m.boardLatencies().get(2);
        assertEquals(4, b.computeSpans());
        assertEquals(1.5, b.computeMs(), 1e-9);
    }

    @Test
    void tokensPerSecondBinsIncludeStalls() {
        TimelineModel m = new TimelineModel();
        m.tokenAt(0);
        m.tokenAt(100_000);
        m.tokenAt(1_100_000); // bin 4; bins 1..3 are empty
        double[] tps = m.snapshot().tokensPerSecond();
        assertEquals(5, tps.length);
        assertEquals(8.0, tps[0], 1e-9);
        assertEquals(0.0, tps[2], 1e-9);
        assertEquals(4.0, tps[4], 1e-9);
    }

    @Test
    void aReplanMarksTheLostBoardAndRestartsTheLatencySums() {
        TimelineModel m = coordinatorAndTwoBoards();
        m.span(2, 1, "compute", 100, 50, Map.of());
        m.span(3, 1, "compute", 200, 70, Map.of());
        assertEquals(2, m.boardLatencies().size());
        m.replan("b2 (127.0.0.1:7402)", "connection lost", java.util.List.of("b1 (127.0.0.1:7401): layers [0, 5)"), 7, 5_000);
        TimelineModel.Snapshot s = m.snapshot();
        assertEquals(1, s.replans().size());
        assertEquals(7, s.replans().get(0).tokenIndex());
        assertEquals(5_000, s.replans().get(0).atUs());
        assertEquals(1, s.lost().size());
        assertEquals(3, s.lost().get(0).pid());
        assertEquals(5_000, s.lost().get(0).atUs());
        assertTrue(m.boardLatencies().isEmpty(), "sums restart for the new layout");
        m.process(2, "board b1 (127.0.0.1:7401): layers [0, 5)");
        m.span(2, 1, "compute", 6_000, 90, Map.of());
        m.span(3, 1, "compute", 6_010, 10, Map.of()); // a late span of the lost board
        assertEquals(java.util.Set.of(2), m.boardLatencies().keySet());
        assertEquals(0.09, m.boardLatencies().get(2).computeMs(), 1e-9);
        m.clear();
        assertTrue(m.snapshot().replans().isEmpty());
    }

    @Test
    void busyBoardIsTheOneWhoseComputeEndsLastAndLostBoardsAreNamed() {
        TimelineModel m = coordinatorAndTwoBoards();
        m.span(1, 1, "head", 0, 900, Map.of());
        m.span(2, 1, "compute", 100, 50, Map.of("sequence", 0));
        m.span(3, 1, "compute", 200, 50, Map.of("sequence", 1));
        m.span(2, 2, "send", 250, 10, Map.of());
        assertEquals(3, m.snapshot().busyPid());
        assertNotNull(m.snapshot().spanAt(31, 230, 0));
        m.flow(1, 2, 150, 3, 200, "hidden");
        m.token(1, 0, 42, "x");
        assertEquals(1, m.snapshot().flows().size());
        assertEquals(1, m.snapshot().tokens().get(0).sequence());
        m.boardLost("b2", "connection lost");
        TimelineModel.Lost lost = m.snapshot().lost().get(0);
        assertEquals(3, lost.pid());
        assertEquals(900, lost.atUs());
    }

    @Test
    void concurrentWritersAndASnapshotReader() throws Exception {
        TimelineModel m = new TimelineModel(500);
        int threads = 4;
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int k = 0; k < threads; k++) {
            int pid = 2 + k;
            ts[k] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 5_000; i++) {
                    m.span(pid, 1, "compute", i, 1, Map.of());
                    m.token(0, i, 1, "x");
                }
            });
            ts[k].start();
        }
        go.countDown();
        for (int i = 0; i < 50; i++) {
            m.snapshot();
        }
        for (Thread t : ts) {
            t.join();
        }
        TimelineModel.Snapshot s = m.snapshot();
        assertEquals(threads, s.lanes().size());
        s.lanes().values().forEach(l -> assertEquals(500, l.size()));
        assertTrue(java.util.Arrays.stream(s.tokenBins()).sum() == threads * 5_000);
    }

    @Test
    void laneLabelsAndHoverText() {
        String[] l = TimelineView.laneLabel("board b1 (127.0.0.1:7401): layers [0, 3)");
        assertEquals("b1 (127.0.0.1:7401)", l[0]);
        assertEquals("layers [0, 3)", l[1]);
        assertEquals("coordinator (starter)", TimelineView.laneLabel("coordinator (starter)")[0]);
        String hover = TimelineView.describe(new TimelineModel.Span(2, 1, "compute", 1500, 250, 2, 7), "board b1");
        assertTrue(hover.contains("sequence 2") && hover.contains("position 7") && hover.contains("0.250 ms"), hover);
        assertEquals(200.0, TimelineView.niceStep(130), 1e-9);
    }

    /** A model with the coordinator (pid 1) and boards b1 (pid 2, layers [0, 2)) and b2 (pid 3, layers [2, 5)). */
    private static TimelineModel coordinatorAndTwoBoards() {
        TimelineModel m = new TimelineModel();
        m.process(1, "coordinator (starter)");
        m.process(2, "board b1 (127.0.0.1:7401): layers [0, 2)");
        m.process(3, "board b2 (127.0.0.1:7402): layers [2, 5)");
        return m;
    }
}
