package org.airshard.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.files.Autosave;
import org.airshard.app.gui.files.DocumentViewModel;
import org.airshard.app.gui.files.RecentFiles;
import org.airshard.app.gui.topology.LinkKey;
import org.airshard.app.gui.topology.Selection;
import org.airshard.app.gui.topology.TopologyCanvas;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;

/**
 * Renders the main window in a few states and writes PNGs to {@code target/screenshots/} for a human to
 * look at (light and dark theme, an invalid topology, a 200-device topology). Also measures the canvas
 * redraw time with 200 devices.
 */
@Tag("gui")
class ScreenshotTourTest extends ApplicationTest {

    private TopologyEditorViewModel editor;
    private MainWindow window;
    private Scene scene;
    private org.airshard.app.gui.plan.PipelineViewModel pipeline;

    @Override
    public void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("airshard-shots");
        DirectTaskRunner tasks = new DirectTaskRunner();
        editor = new TopologyEditorViewModel(tasks);
        DocumentViewModel doc = new DocumentViewModel(editor, new SilentDialogs(), tasks,
                new RecentFiles(dir.resolve("recent.txt"), 5), new Autosave(dir.resolve("autosave.json")));
        window = new MainWindow(doc, pipeline = new org.airshard.app.gui.plan.PipelineViewModel(editor, tasks), stage::hide);
        scene = window.createScene(1280, 800, false);
        stage.setScene(scene);
        stage.show();
        doc.openFile(TestFixtures.copyTo(dir));
    }

    @Test
    void tour() throws Exception {
        List<Path> shots = new ArrayList<>();
        interact(() -> editor.select(Selection.ofNode("orin-1")));
        shots.add(snap("01-light-device-selected.png"));

        interact(() -> {
            editor.clearSelection();
            editor.setProperty("streams", "4");
            editor.clickNode("pi5-1", false);
        });
        shots.add(snap("02-invalid-streams.png"));

        interact(() -> {
            editor.undo();
            editor.select(Selection.ofLink(new LinkKey("orin-1", "pi5-1")));
            Theme.setDark(scene, true);
            window.canvas().redraw();
        });
        shots.add(snap("03-dark-link-selected.png"));

        interact(() -> {
            Theme.setDark(scene, false);
            editor.clearSelection();
            editor.setProperty("model.preset", "llama3-8b"); // needs more than one board
            pipeline.run();
            var tabs = (javafx.scene.control.TabPane) scene.lookup("#bottom-tabs");
            tabs.getSelectionModel().select(tab(tabs, "tab-pipeline"));
        });
        shots.add(snap("05-pipeline-plan.png"));

        interact(() -> pipeline.changeLayers(1, 40));
        shots.add(snap("05b-pipeline-plan-edit-breaks-a-rule.png"));
        interact(() -> {
            pipeline.resetEdits();
            pipeline.changeLayers(1, -2);
        });
        shots.add(snap("05c-pipeline-plan-edited.png"));

        interact(() -> {
            var tabs = (javafx.scene.control.TabPane) scene.lookup("#bottom-tabs");
            tabs.getSelectionModel().select(tab(tabs, "tab-analysis"));
            ((javafx.scene.control.Button) scene.lookup("#analysis-run")).fire();
        });
        shots.add(snap("06-latency-comparison.png"));

        interact(() -> {
            var tabs = (javafx.scene.control.TabPane) scene.lookup("#bottom-tabs");
            tabs.getSelectionModel().select(tab(tabs, "tab-optimizer"));
            ((javafx.scene.control.Spinner<?>) scene.lookup("#optimizer-panel .spinner")).getEditor().setText("80");
            ((javafx.scene.control.Spinner<?>) scene.lookup("#optimizer-panel .spinner")).commitValue();
            ((javafx.scene.control.Button) scene.lookup("#optimizer-run")).fire();
        });
        shots.add(snap("08-aircomp-optimiser.png"));

        // View > Export Canvas as PNG: the canvas alone at 2x, written through the task runner
        Path exported = Path.of("target", "screenshots", "07-canvas-export-2x.png").toAbsolutePath();
        interact(() -> org.airshard.app.gui.common.PngExport.export(window.canvas(), exported, 2.0,
                new DirectTaskRunner(), p -> { }, e -> {
                    throw new AssertionError(e);
                }));
        var png = javax.imageio.ImageIO.read(exported.toFile());
        assertEquals(Math.round(window.canvas().getWidth() * 2), png.getWidth(), 2.0);
        shots.add(exported);

        interact(() -> {
            var tabs = (javafx.scene.control.TabPane) scene.lookup("#bottom-tabs");
            tabs.getSelectionModel().select(0);
            editor.load(bigTopology(200), null, null);
            editor.selectInRect(-8, -8, 8, 8, false);
            window.canvas().fitToView();
        });
        shots.add(snap("04-200-devices.png"));

        // Redraw time with 200 devices (the FX thread's cost of one pan/zoom frame).
        TopologyCanvas canvas = window.canvas();
        long[] nanos = new long[100];
        interact(() -> {
            for (int i = 0; i < 30; i++) { // warm-up (JIT)
                canvas.viewport().panBy(i % 2 == 0 ? 3 : -3, 0);
                canvas.redraw();
            }
            for (int i = 0; i < nanos.length; i++) {
                canvas.viewport().panBy(i % 2 == 0 ? 3 : -3, 0);
                canvas.redraw();
                nanos[i] = canvas.lastRedrawNanos();
            }
        });
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        String line = String.format(Locale.ROOT, "canvas redraw, 200 devices: median %.2f ms, p90 %.2f ms, max %.2f ms",
                sorted[50] / 1e6, sorted[90] / 1e6, sorted[99] / 1e6);
        Files.writeString(Path.of("target", "screenshots", "redraw-200.txt"), line + "\n");
        System.out.println(line);
        shots.forEach(p -> assertTrue(Files.isRegularFile(p)));
        assertEquals(200, editor.topology().devices().size());
    }

    private static javafx.scene.control.Tab tab(javafx.scene.control.TabPane tabs, String id) {
        return tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().orElseThrow();
    }

    private Path snap(String name) throws Exception {
        Path[] out = new Path[1];
        interact(() -> {
            try {
                out[0] = GuiTestSupport.snapshot(scene, name);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return out[0];
    }

    /** n devices on rings around the server, kinds cycling, a ring of links among the first few. */
    static Topology bigTopology(int n) {
        Topology base = org.airshard.app.gui.topology.TopologyEdits.newTopology();
        List<Device> ds = new ArrayList<>();
        DeviceKind[] kinds = DeviceKind.values();
        int cols = 20;
        for (int i = 0; i < n; i++) {
            // a lab floor: rows of benches 3 m apart, the access point in the middle
            double x = (i % cols - (cols - 1) / 2.0) * 3.0;
            double y = (i / cols - (n / cols - 1) / 2.0) * 3.0 + (i / cols >= n / cols / 2 ? 3 : -3);
            DeviceKind k = kinds[i % kinds.length];
            ds.add(Device.ofKind("dev-" + i, k.displayName() + " " + i, k, new Position(x, y)));
        }
        List<org.airshard.planner.topology.DigitalLink> links = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            links.add(new org.airshard.planner.topology.DigitalLink("dev-" + i, "dev-" + ((i + 1) % 12), 1e9, 2e-4));
        }
        return base.withDevices(ds).withLinks(links).withName("200 devices");
    }
}
