package org.airshard.app.gui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.airshard.app.gui.GuiTestSupport;
import org.airshard.app.gui.MainWindow;
import org.airshard.app.gui.common.Dialogs;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.common.FxTaskRunner;
import org.airshard.app.gui.files.Autosave;
import org.airshard.app.gui.files.DocumentViewModel;
import org.airshard.app.gui.files.RecentFiles;
import org.airshard.app.gui.plan.PipelineViewModel;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.topology.ModelRef;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Headless wiring test of the whole loop from the GUI against local boards started by the test, on the
 * synthetic tiny model: Boards &amp; run → Start local boards → Deploy &amp; run (text streams, timeline
 * fills, the busy board glows on the canvas) → Stop → Export (HTML, PDF) → a board killed mid-run (the run
 * ends, the notification names it, the window stays usable); with auto re-plan on, a board killed mid-run
 * is re-planned around and the run resumes with the same greedy text.
 */
@Tag("gui")
@Tag("network")
class RunWindowTest extends ApplicationTest {

    private Stage stage;
    private Path dir;
    private RunWindow rw;
    private FxTaskRunner tasks;

    @Override
    public void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("airshard-run-test");
        System.setProperty("airshard.home", dir.toString());
        DirectTaskRunner direct = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(direct);
        DocumentViewModel doc = new DocumentViewModel(editor, new SaveTo(dir), direct,
                new RecentFiles(dir.resolve("recent.txt"), 5), new Autosave(dir.resolve("autosave.json")));
        PipelineViewModel pipeline = new PipelineViewModel(editor, direct);
        MainWindow window = new MainWindow(doc, pipeline, stage::hide);
        Scene scene = window.createScene(1280, 800, false);
        stage.setScene(scene);
        stage.show();
        tasks = new FxTaskRunner(2);
        rw = RunHook.install(window, editor, pipeline, tasks, new SaveTo(dir), stage, false);
        Topology t = TopologyReader.read(Path.of("..", "sample-topologies", "local-demo.json")).topology()
                .withModel(ModelRef.ofPreset("synthetic-tiny"));
        editor.load(t, null, null);
    }

    @AfterEach
    void tearDown() throws Exception {
        interact(() -> rw.close());
        tasks.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void deployRunStopExportAndABoardLost() throws Exception {
        clickOn("#tool-boards-run");
        assertNotNull(rw.stage());
        clickOn("#start-local-boards");
        waitFor(60, () -> rw.boards().rows().stream().filter(BoardRow::online).count() == 3);

        interact(() -> {
            rw.run().maxTokensProperty().set(100_000);
            rw.run().sequencesProperty().set(3);
            rw.run().emulatedSpeedProperty().set(0.1);
        });
        clickOn("#run-start");
        waitFor(60, () -> rw.run().texts().size() == 3 && rw.run().texts().stream().allMatch(s -> s.length() > 40));
        TimelineModel.Snapshot s = rw.run().snapshotProperty().get();
        assertTrue(s.lanes().size() >= 4, s.lanes().keySet().toString());
        assertTrue(rw.run().runningProperty().get());
        waitFor(10, () -> rw.highlightedDevice() != null);
        Thread.sleep(400);
        WaitForAsyncUtils.waitForFxEvents();
        waitFor(10, () -> !rw.run().latencyProperty().get().isEmpty());
        assertFalse(lookup("#run-latency").queryAs(javafx.scene.control.TableView.class).getItems().isEmpty(),
                "measured vs predicted latency per board, live");
        interact(() -> snap(rw.stage().getScene(), "run-live.png"));
        interact(() -> snap(stage.getScene(), "run-canvas-busy.png"));

        clickOn("#run-stop");
        waitFor(30, () -> !rw.run().runningProperty().get());
        assertTrue(rw.run().statusProperty().get().startsWith("Stopped"), rw.run().statusProperty().get());
        interact(() -> {
            rw.timeline().fit();
            rw.timeline().zoom(0.03);
        });
        WaitForAsyncUtils.waitForFxEvents();
        interact(() -> snap(rw.stage().getScene(), "run-zoomed.png"));
        interact(() -> rw.timeline().fit());

        clickOn("#run-export");
        clickOn("HTML report\u2026");
        waitFor(30, () -> Files.exists(dir.resolve("airshard-run.html")));
        clickOn("#run-export");
        clickOn("PDF report\u2026");
        waitFor(30, () -> Files.exists(dir.resolve("airshard-run.pdf")));
        assertTrue(Files.readString(dir.resolve("airshard-run.html")).contains("<table"));

        // a board lost mid-run, auto re-plan off: the run ends
        String victim = rw.boards().rows().get(1).address();
        clickOn("#run-auto-replan");
        assertFalse(rw.run().autoReplanProperty().get());
        clickOn("#run-start");
        waitFor(60, () -> rw.run().runningProperty().get() && rw.run().texts().stream().allMatch(x -> x.length() > 20));
        rw.boards().localBoards().stop(victim);
        waitFor(30, () -> !rw.run().runningProperty().get());
        Label note = lookup("#run-notification").queryAs(Label.class);
        assertTrue(note.isVisible());
        assertTrue(note.getText().contains(victim), note.getText());
        assertEquals(BoardRow.State.LOST, rw.boards().row(victim).orElseThrow().state());
        interact(() -> rw.timeline().fit());
        WaitForAsyncUtils.waitForFxEvents();
        // Re-plan without the lost board, in the background; the new plan is shown
        javafx.scene.control.Button replan = lookup("#run-replan").queryAs(javafx.scene.control.Button.class);
        assertTrue(replan.isVisible() && replan.getText().startsWith("Re-plan without "), replan.getText());
        clickOn(replan);
        waitFor(60, () -> rw.run().replannedProperty().get() != null);
        Label planText = lookup("#run-replan-text").queryAs(Label.class);
        assertTrue(planText.isVisible() && planText.getText().startsWith("Plan without"), planText.getText());
        WaitForAsyncUtils.waitForFxEvents();
        interact(() -> snap(rw.stage().getScene(), "run-board-lost.png"));
        // still usable: Check answers for the other boards
        clickOn("#check-boards");
        waitFor(30, () -> rw.boards().row(victim).orElseThrow().state() == BoardRow.State.OFFLINE);
        assertEquals(2, rw.boards().rows().stream().filter(BoardRow::online).count());
    }

    /**
     * Auto re-plan (on by default in pipeline mode, hidden in tensor mode): the layout's last board is stopped
     * mid-run; the run resumes on the others and ends normally, the amber notice names the board and the token,
     * the timeline marks the re-plan, and the greedy text equals the same run without a failure.
     */
    @Test
    void autoReplanResumesTheRunAfterABoardIsLost() throws Exception {
        clickOn("#tool-boards-run");
        clickOn("#start-local-boards");
        waitFor(60, () -> rw.boards().rows().stream().filter(BoardRow::online).count() == 3);
        CheckBox auto = lookup("#run-auto-replan").queryAs(CheckBox.class);
        assertTrue(auto.isVisible() && auto.isSelected() && !auto.isDisabled(), "on by default for pipeline runs");
        interact(() -> rw.run().modeProperty().set("tensor"));
        assertTrue(auto.isVisible(), "tensor runs with the exact all-reduce are re-sliced");
        interact(() -> rw.run().allReduceProperty().set("aircomp"));
        assertFalse(auto.isVisible(), "AirComp beamformers are designed for the starting boards: no re-plan");
        interact(() -> {
            rw.run().allReduceProperty().set("exact");
            rw.run().modeProperty().set("pipeline");
        });
        assertTrue(auto.isVisible() && auto.isSelected());

        interact(() -> {
            rw.run().greedyProperty().set(true);
            rw.run().sequencesProperty().set(2);
            rw.run().maxTokensProperty().set(40);
            rw.run().emulatedSpeedProperty().set(0.2);
        });
        clickOn("#run-start");
        waitFor(60, () -> !rw.run().runningProperty().get() && rw.run().resultProperty().get() != null);
        var reference = rw.run().resultProperty().get();
        Label latencyNote = lookup("#run-latency-note").queryAs(Label.class);
        assertTrue(latencyNote.isVisible() && latencyNote.getText().contains("emulated speed \u00d70.2")
                && latencyNote.getText().contains("topology's device specs"), latencyNote.getText());
        String label = reference.boards().get(reference.boards().size() - 1).board();
        String victim = rw.boards().rows().stream().map(BoardRow::address).filter(label::contains).findFirst().orElseThrow();

        clickOn("#run-start");
        waitFor(60, () -> rw.run().runningProperty().get() && rw.run().timeline().snapshot().tokens().size() >= 10);
        rw.boards().localBoards().stop(victim);
        waitFor(60, () -> !rw.run().runningProperty().get());
        var r = rw.run().resultProperty().get();
        assertNotNull(r, rw.run().statusProperty().get());
        assertEquals(1, r.replans().size(), r.replans().toString());
        for (int q = 0; q < 2; q++) {
            assertEquals(reference.sequences().get(q).tokens(), r.sequences().get(q).tokens(), "sequence " + q);
            assertEquals(reference.sequences().get(q).text(), rw.run().texts().get(q), "streamed text of sequence " + q);
        }
        WaitForAsyncUtils.waitForFxEvents();
        Label note = lookup("#run-notification").queryAs(Label.class);
        assertTrue(note.isVisible(), "notice shown");
        assertTrue(note.getText().contains(victim) && note.getText().contains("lost at token " + r.replans().get(0).tokenIndex())
                && note.getText().contains("resumed on"), note.getText());
        Label ranges = lookup("#run-replan-text").queryAs(Label.class);
        assertTrue(ranges.isVisible() && ranges.getText().startsWith("New ranges: "), ranges.getText());
        javafx.scene.control.Button replan = lookup("#run-replan").queryAs(javafx.scene.control.Button.class);
        assertTrue(replan.isVisible() && !replan.isDisabled() && replan.getText().endsWith(rw.boards().row(victim).orElseThrow()
                .deviceId()), "for the next run: " + replan.getText());
        assertEquals(BoardRow.State.LOST, rw.boards().row(victim).orElseThrow().state());
        assertEquals(1, rw.run().snapshotProperty().get().replans().size());
        String lostId = rw.boards().row(victim).orElseThrow().deviceId();
        assertTrue(lookup("#run-latency").queryAs(javafx.scene.control.TableView.class).getItems().stream()
                .noneMatch(x -> ((LatencyComparison.Row) x).board().equals(lostId)), "the lost board leaves the latency table");
        assertTrue(rw.run().statusProperty().get().startsWith("Done") && rw.run().statusProperty().get().contains("re-planned once"),
                rw.run().statusProperty().get());
        interact(() -> rw.timeline().fit());
        WaitForAsyncUtils.waitForFxEvents();
        interact(() -> snap(rw.stage().getScene(), "run-auto-replan.png"));
    }

    private static void snap(Scene scene, String name) {
        try {
            GuiTestSupport.snapshot(scene, name);
        } catch (java.io.IOException | RuntimeException e) {
            e.printStackTrace();
        }
    }

    private static void waitFor(int seconds, BooleanSupplier c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
            java.util.concurrent.atomic.AtomicBoolean r = new java.util.concurrent.atomic.AtomicBoolean();
            WaitForAsyncUtils.asyncFx(() -> r.set(c.getAsBoolean())).get();
            return r.get();
        });
    }

    /** Saves every file into the test directory. */
    static final class SaveTo implements Dialogs {
        private final Path dir;

        SaveTo(Path dir) {
            this.dir = dir;
        }

        @Override
        public Optional<Path> chooseOpenFile(Path initialDir) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> chooseSaveFile(Path initialDir, String suggestedFileName) {
            return Optional.of(dir.resolve(suggestedFileName));
        }

        @Override
        public SaveChoice askSaveChanges(String documentName) {
            return SaveChoice.DISCARD;
        }

        @Override
        public boolean confirm(String title, String message) {
            return true;
        }

        @Override
        public void showError(String title, String message) {
        }
    }
}
