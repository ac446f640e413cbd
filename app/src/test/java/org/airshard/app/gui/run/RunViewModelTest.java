package org.airshard.app.gui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.executor.board.KnownBoards;
import org.airshard.planner.json.Json;
import org.airshard.planner.topology.ModelRef;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boards and run ViewModels against agents started in this process (local boards), on the synthetic tiny
 * model: start, check, run, export every format, write capabilities back, a board lost mid-run.
 */
@Tag("network")
class RunViewModelTest {

    static Fixture fixture(Path tmp) throws Exception {
        Topology t = TopologyReader.read(Path.of("..", "sample-topologies", "local-demo.json")).topology()
                .withModel(ModelRef.ofPreset("synthetic-tiny"));
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(t, null, null);
        BoardsViewModel boards = new BoardsViewModel(editor, tasks, KnownBoards.inMemory(), tmp.resolve("local-boards"));
        RunViewModel run = new RunViewModel(boards, tasks, () -> null, tmp.resolve("models"));
        return new Fixture(editor, boards, run);
    }

    record Fixture(TopologyEditorViewModel editor, BoardsViewModel boards, RunViewModel run) {
    }

    @Test
    void startLocalBoardsRunStreamAndExportEveryFormat(@TempDir Path tmp) throws Exception {
        Fixture f = fixture(tmp);
        try {
            assertEquals(3, f.boards().rows().size());
            assertFalse(f.boards().rows().get(0).online());
            f.boards().startLocalBoards(0);
            assertEquals(3, f.boards().localBoards().size());
            f.boards().rows().forEach(r -> assertTrue(r.online() && r.paired() && r.local(), r.toString()));
            assertTrue(f.boards().rows().get(0).fingerprint().contains(":"));
            f.boards().startLocalBoards(3); // again: nothing more starts
            assertEquals(3, f.boards().localBoards().size());

            f.run().maxTokensProperty().set(12);
            f.run().sequencesProperty().set(2);
            f.run().start();
            assertFalse(f.run().runningProperty().get());
            assertNotNull(f.run().resultProperty().get(), f.run().statusProperty().get());
            assertEquals(2, f.run().texts().size());
            assertFalse(f.run().texts().get(0).isEmpty());
            assertEquals(f.run().resultProperty().get().sequences().get(1).text(), f.run().texts().get(1));
            assertTrue(f.run().modelNoteProperty().get().contains("meaningless"));
            TimelineModel.Snapshot s = f.run().snapshotProperty().get();
            // no plan in the pipeline tab: the partitioner's plan is deployed (and reported)
            assertTrue(f.run().statusProperty().get().startsWith("Done"), f.run().statusProperty().get());
            assertTrue(s.processes().size() >= 3, s.processes().toString()); // coordinator + the plan's boards
            assertTrue(s.lanes().keySet().stream().anyMatch(k -> k / 10 >= 2 && k % 10 == 1));
            assertEquals(24, java.util.Arrays.stream(s.tokenBins()).sum());
            assertTrue(s.busyPid() >= 2);
            // measured vs predicted latency per token per board, from the run's spans and the deployed plan
            var latency = f.run().latencyProperty().get();
            assertEquals(s.processes().size() - 1, latency.size(), latency.toString());
            assertTrue(latency.stream().allMatch(r -> r.tokens() > 0 && r.measuredComputeMs() > 0), latency.toString());
            assertTrue(latency.stream().allMatch(r -> r.predictedComputeMs() > 0 && !r.layers().isEmpty()),
                    "matched to the plan's devices: " + latency);

            for (RunViewModel.ReportFormat fmt : RunViewModel.ReportFormat.values()) {
                Path out = tmp.resolve("report." + fmt.extension);
                f.run().exportReport(fmt, out, null);
                assertTrue(Files.size(out) > 100, fmt + ": " + f.run().statusProperty().get());
            }
            String html = Files.readString(tmp.resolve("report.html"));
            assertTrue(html.startsWith("<!DOCTYPE html>") || html.startsWith("<html"), html.substring(0, 40));
            assertTrue(Files.readString(tmp.resolve("report.csv")).startsWith("board,lane,name"));
            JsonNode trace = Json.parse("t", Files.readAllBytes(tmp.resolve("report.json")));
            assertTrue(trace.get("traceEvents").size() > 10);
            byte[] pdf = Files.readAllBytes(tmp.resolve("report.pdf"));
            assertEquals("%PDF", new String(pdf, 0, 4));

            // deploy progress reached the listener as counters (per board, bytes sent)
            assertTrue(Files.readString(tmp.resolve("report.json")).contains("\"deployBytesSent\""));
            // a second run skips the tensors the boards already hold
            f.run().start();
            assertTrue(f.run().resultProperty().get().boards().stream().allMatch(b -> b.deployBytesSent() == 0));

            f.boards().check(true);
            assertTrue(f.boards().rows().get(0).flopsPerSecond() > 0);
            long before = f.editor().topology().devices().get(0).memoryBytes();
            assertEquals(3, f.boards().writeBackCapabilities());
            assertTrue(f.editor().topology().devices().get(0).flopsPerSecond() > 0);
            f.editor().undo();
            assertEquals(before, f.editor().topology().devices().get(0).memoryBytes());
        } finally {
            f.boards().close();
        }
    }

    @Test
    void aBoardLostMidRunEndsTheRunWithANotificationNamingIt(@TempDir Path tmp) throws Exception {
        Fixture f = fixture(tmp);
        try {
            f.boards().startLocalBoards(0);
            String victim = f.boards().rows().get(1).address();
            f.run().maxTokensProperty().set(100_000);
            f.run().sequencesProperty().set(2);
            f.run().autoReplanProperty().set(false); // a lost board ends the run
            Thread killer = new Thread(() -> {
                long deadline = System.currentTimeMillis() + 60_000;
                while (f.run().timeline().snapshot().tokenBins().length == 0 && System.currentTimeMillis() < deadline) {
                    sleep(20);
                }
                sleep(200);
                f.boards().localBoards().stop(victim);
            });
            killer.start();
            f.run().start(); // DirectTaskRunner: returns when the run has ended
            killer.join();
            assertFalse(f.run().runningProperty().get());
            String note = f.run().notificationProperty().get();
            assertTrue(note.contains(victim), note + " / " + f.run().statusProperty().get());
            assertTrue(f.run().statusProperty().get().contains("lost"));
            assertTrue(f.run().statusProperty().get().contains("Re-plan without " + f.boards().row(victim).orElseThrow().deviceId()),
                    f.run().statusProperty().get());
            assertEquals(BoardRow.State.LOST, f.boards().row(victim).orElseThrow().state());
            List<TimelineModel.Lost> lost = f.run().snapshotProperty().get().lost();
            assertEquals(1, lost.size());
            assertTrue(lost.get(0).pid() >= 2);
            // the app stays usable: the trace so far exports, the other boards answer
            f.run().exportReport(RunViewModel.ReportFormat.CSV, tmp.resolve("partial.csv"), null);
            assertTrue(Files.exists(tmp.resolve("partial.csv")));
            f.boards().check(false);
            assertEquals(BoardRow.State.OFFLINE, f.boards().row(victim).orElseThrow().state());
            assertEquals(2, f.boards().rows().stream().filter(BoardRow::online).count());

            // Re-plan without the lost board: the partitioner runs on the other boards, the next run uses it
            String lostId = f.boards().row(victim).orElseThrow().deviceId();
            assertEquals(lostId, f.run().lostDeviceProperty().get());
            f.run().replanWithoutLost();
            assertFalse(f.run().replanningProperty().get());
            var plan = f.run().replannedProperty().get();
            assertNotNull(plan, f.run().statusProperty().get());
            assertTrue(plan.pipeline().stages().stream().noneMatch(st -> st.device().equals(lostId)), plan.pipeline().toString());
            assertEquals(plan.layers(), plan.pipeline().stages().stream().mapToInt(st -> st.layerCount()).sum());
            assertTrue(f.run().replanTextProperty().get().startsWith("Plan without " + lostId), f.run().replanTextProperty().get());
            assertTrue(f.run().replanTextProperty().get().contains("tokens/s"), f.run().replanTextProperty().get());
            f.run().maxTokensProperty().set(8);
            f.run().start();
            assertNotNull(f.run().resultProperty().get(), f.run().statusProperty().get());
            assertTrue(f.run().statusProperty().get().startsWith("Done"), f.run().statusProperty().get());
            assertTrue(f.run().summaryProperty().get().contains("plan predicts"), "ran the re-made plan: "
                    + f.run().summaryProperty().get());
            long stagesWithLayers = plan.pipeline().stages().stream().filter(st -> st.layerCount() > 0).count();
            assertEquals(stagesWithLayers, f.run().resultProperty().get().boards().size(), "on the remaining boards only");
            assertTrue(f.run().resultProperty().get().boards().stream().noneMatch(b -> b.board().contains(victim)));
        } finally {
            f.boards().close();
        }
    }

    /**
     * Auto re-plan (the default in pipeline mode): a board of the layout is stopped mid-run; the run re-plans
     * onto the others, resumes and ends normally, the notification names the board and the token, and the greedy
     * tokens and streamed text equal a run without failure (no token lost or streamed twice).
     */
    @Test
    void autoReplanResumesOnTheRemainingBoardsWithTheSameGreedyText(@TempDir Path tmp) throws Exception {
        Fixture f = fixture(tmp);
        try {
            f.boards().startLocalBoards(0);
            assertTrue(f.run().autoReplanProperty().get(), "on by default");
            f.run().greedyProperty().set(true);
            f.run().sequencesProperty().set(2);
            f.run().maxTokensProperty().set(REPLAN_TOKENS);
            f.run().emulatedSpeedProperty().set(0.25);
            f.run().start();
            var reference = f.run().resultProperty().get();
            assertNotNull(reference, f.run().statusProperty().get());
            assertTrue(reference.replans().isEmpty());
            // the layout's last board: the one holding the coordinator's sink connections
            String label = reference.boards().get(reference.boards().size() - 1).board();
            String victim = f.boards().rows().stream().map(BoardRow::address).filter(label::contains).findFirst().orElseThrow();

            f.run().timeline().clear(); // the killer counts the next run's tokens only
            Thread killer = new Thread(() -> {
                long deadline = System.currentTimeMillis() + 30_000;
                while (f.run().timeline().snapshot().tokens().size() < 12 && System.currentTimeMillis() < deadline) {
                    sleep(2);
                }
                f.boards().localBoards().stop(victim);
            });
            killer.start();
            f.run().start(); // DirectTaskRunner: returns when the run has ended
            killer.join();

            var r = f.run().resultProperty().get();
            assertNotNull(r, "the run goes on after losing " + victim + ": " + f.run().statusProperty().get());
            assertTrue(f.run().statusProperty().get().startsWith("Done"), f.run().statusProperty().get());
            assertEquals(1, r.replans().size(), r.replans().toString());
            var p = r.replans().get(0);
            assertTrue(p.lostBoard().contains(victim), p.lostBoard());
            assertTrue(p.tokenIndex() > 0 && p.tokenIndex() < REPLAN_TOKENS, "re-planned at token " + p.tokenIndex());
            for (int q = 0; q < 2; q++) {
                assertEquals(reference.sequences().get(q).tokens(), r.sequences().get(q).tokens(), "sequence " + q);
                assertEquals(reference.sequences().get(q).text(), r.sequences().get(q).text(), "sequence " + q);
                assertEquals(r.sequences().get(q).text(), f.run().texts().get(q), "streamed text of sequence " + q);
            }
            String note = f.run().notificationProperty().get();
            assertTrue(note.contains(victim) && note.contains("lost at token " + p.tokenIndex())
                    && note.contains("resumed on " + p.ranges().size() + " board"), note);
            assertTrue(f.run().resumedProperty().get());
            assertTrue(f.run().replanTextProperty().get().startsWith("New ranges: "), f.run().replanTextProperty().get());
            assertEquals(1, f.run().replans().size());
            assertEquals(BoardRow.State.LOST, f.boards().row(victim).orElseThrow().state());
            assertTrue(r.boards().stream().noneMatch(b -> b.board().contains(victim)), r.boards().toString());
            TimelineModel.Snapshot s = f.run().snapshotProperty().get();
            assertEquals(1, s.replans().size());
            assertEquals(1, s.lost().size());
            assertTrue(s.lost().get(0).pid() >= 2);
            // the latency table drops the lost board and measures the new layout since the re-plan
            var latency = f.run().latencyProperty().get();
            assertFalse(latency.isEmpty());
            String lostId = f.boards().row(victim).orElseThrow().deviceId();
            assertTrue(latency.stream().noneMatch(x -> x.board().equals(lostId)), latency.toString());
            assertTrue(f.run().latencyNoteProperty().get().contains("since the re-plan at token " + p.tokenIndex()),
                    f.run().latencyNoteProperty().get());
            assertTrue(f.run().summaryProperty().get().contains("re-planned without"), f.run().summaryProperty().get());
            // for the next run: Re-plan without the lost board (over every remaining device of the topology)
            assertEquals(lostId, f.run().lostDeviceProperty().get());
            f.run().replanWithoutLost();
            var plan = f.run().replannedProperty().get();
            assertNotNull(plan, f.run().statusProperty().get());
            assertTrue(plan.pipeline().stages().stream().noneMatch(st -> st.device().equals(lostId)), plan.pipeline().toString());
        } finally {
            f.boards().close();
        }
    }

    static final int REPLAN_TOKENS = 60;

    @Test
    void replanNoticeAndLatencyNote() {
        var p = new org.airshard.executor.board.DistributedRun.Replan("b2 (127.0.0.1:7402)", "board b2 (127.0.0.1:7402): no heartbeat: null",
                List.of("b1 (127.0.0.1:7401): layers [0, 4)", "b3 (127.0.0.1:7403): layers [4, 8)"), 17, List.of(17, 16), 1.234);
        assertEquals("b2 (127.0.0.1:7402) lost at token 17 \u2014 resumed on 2 boards in 1.2 s (no heartbeat)",
                RunViewModel.replanNotice(List.of(p)));
        assertEquals("New ranges: b1 (127.0.0.1:7401): layers [0, 4) \u2192 b3 (127.0.0.1:7403): layers [4, 8)",
                RunViewModel.replanRanges(p));
        assertEquals("Measured on this machine at emulated speed \u00d70.1; predictions use the topology's device specs, "
                + "so meas. / pred. is far from 1 by design.", RunViewModel.latencyNote(true, 0.1, -1));
        assertEquals("", RunViewModel.latencyNote(false, 1.0, -1));
        assertTrue(RunViewModel.latencyNote(false, 0.25, -1).contains("\u00d70.25"));
        assertTrue(RunViewModel.latencyNote(false, 1.0, 9).contains("since the re-plan at token 9"));
    }

    @Test
    void tensorParallelWithEmulatedAirCompReportsMseAndAccuracyCost(@TempDir Path tmp) throws Exception {
        Fixture f = fixture(tmp);
        try {
            f.boards().startLocalBoards(0);
            f.run().modeProperty().set("tensor");
            f.run().allReduceProperty().set("aircomp");
            f.run().maxTokensProperty().set(6);
            f.run().sequencesProperty().set(1);
            f.run().start();
            assertNotNull(f.run().resultProperty().get(), f.run().statusProperty().get());
            assertNotNull(f.run().resultProperty().get().measuredMse());
            assertTrue(f.run().summaryProperty().get().contains("AirComp MSE measured"), f.run().summaryProperty().get());
            assertTrue(f.run().summaryProperty().get().contains("ms/token"), f.run().summaryProperty().get());
        } finally {
            f.boards().close();
        }
    }

    @Test
    void stopEndsTheRunAtTheNextToken(@TempDir Path tmp) throws Exception {
        Fixture f = fixture(tmp);
        try {
            f.boards().startLocalBoards(0);
            f.run().maxTokensProperty().set(100_000);
            Thread stopper = new Thread(() -> {
                while (f.run().timeline().snapshot().tokenBins().length == 0) {
                    sleep(20);
                }
                f.run().stop();
            });
            stopper.setDaemon(true);
            stopper.start();
            long t0 = System.nanoTime();
            f.run().start();
            assertTrue((System.nanoTime() - t0) / 1e9 < 60);
            assertTrue(f.run().statusProperty().get().startsWith("Stopped"), f.run().statusProperty().get());
            assertTrue(f.run().hasTrace());
            // the boards serve the next run
            f.run().maxTokensProperty().set(4);
            f.run().start();
            assertNotNull(f.run().resultProperty().get(), f.run().statusProperty().get());
        } finally {
            f.boards().close();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
