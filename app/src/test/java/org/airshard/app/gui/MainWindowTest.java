package org.airshard.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.airshard.app.gui.common.Dialogs;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.files.Autosave;
import org.airshard.app.gui.files.DocumentViewModel;
import org.airshard.app.gui.files.RecentFiles;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.topology.TopologyReader;
import org.airshard.planner.topology.ValidationIssue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Headless (Monocle) wiring tests of the main window: it opens on a topology and shows its name, and
 * the main editing flows are connected (select, place from the palette, edit a property with inline
 * validation, problems list selects, save).
 */
@Tag("gui")
class MainWindowTest extends ApplicationTest {

    private TopologyEditorViewModel editor;
    private DocumentViewModel doc;
    private Stage stage;
    private Path dir;

    @Override
    public void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("airshard-gui-test");
        Path fixture = TestFixtures.copyTo(dir);
        DirectTaskRunner tasks = new DirectTaskRunner();
        editor = new TopologyEditorViewModel(tasks);
        doc = new DocumentViewModel(editor, new NoDialogs(), tasks, new RecentFiles(dir.resolve("recent.txt"), 5),
                new Autosave(dir.resolve("autosave.json")));
        MainWindow window = new MainWindow(doc, new org.airshard.app.gui.plan.PipelineViewModel(editor, tasks), stage::hide);
        Scene scene = window.createScene(1280, 800, false);
        stage.setScene(scene);
        stage.titleProperty().bind(editor.titleProperty());
        stage.show();
        doc.openFile(fixture);
    }

    @Test
    void mainWindowOpensAndShowsTheTopologyName() {
        Label name = lookup("#status-topology-name").queryAs(Label.class);
        assertEquals("Fixture lab", name.getText());
        assertTrue(stage.getTitle().startsWith("Fixture lab"), stage.getTitle());
        assertEquals("Topology: Fixture lab", lookup("#property-heading").queryAs(Label.class).getText());
        assertTrue(lookup("#node-orin-1").tryQuery().isPresent(), "devices are drawn");
        assertTrue(lookup("#node-ap").tryQuery().isPresent(), "the server is drawn");
        assertTrue(lookup("#link-orin-1--pi5-1").tryQuery().isPresent(), "the digital link is drawn");
        assertTrue(lookup("#snr-legend").tryQuery().isPresent(), "the SNR legend is shown");
    }

    @Test
    void clickingANodeShowsItsPropertiesAndEditingValidatesInline() {
        clickOn(body("#node-pi5-1"));
        assertEquals("Device: pi5-1", lookup("#property-heading").queryAs(Label.class).getText());
        TextField antennas = lookup("#prop-antennas").queryAs(TextField.class);
        assertEquals("2", antennas.getText());
        doubleClickOn(antennas).eraseText(3).write("abc").type(KeyCode.ENTER);
        Label msg = lookup("#msg-antennas").queryAs(Label.class);
        assertTrue(msg.isVisible());
        assertEquals("'abc' is not a number", msg.getText());
        assertEquals(2, editor.topology().device("pi5-1").orElseThrow().antennas(), "refused value not applied");
        doubleClickOn(antennas).eraseText(3).write("1").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, editor.topology().device("pi5-1").orElseThrow().antennas());
        assertTrue(editor.isDirty());
        // L = min N_t = 1 now; fine. Force L = 2 through the settings to get a zero-forcing error on pi5-1.
        interact(() -> {
            editor.clearSelection();
            editor.setProperty("streams", "2");
        });
        ListView<?> problems = lookup("#problems-list").queryAs(ListView.class);
        assertFalse(problems.getItems().isEmpty());
        int idx = -1;
        for (int i = 0; i < problems.getItems().size(); i++) {
            if (((ValidationIssue) problems.getItems().get(i)).path().equals("$.devices[1].antennas")) {
                idx = i;
            }
        }
        assertTrue(idx >= 0, problems.getItems().toString());
        int row = idx;
        interact(() -> problems.scrollTo(row));
        clickOn(lookup(".list-cell").match(n -> ((javafx.scene.control.ListCell<?>) n).getIndex() == row)
                .queryAs(Node.class));
        assertEquals("Device: pi5-1", lookup("#property-heading").queryAs(Label.class).getText(),
                "clicking a problem selects the offending device");
        Label inline = lookup("#msg-antennas").queryAs(Label.class);
        assertTrue(inline.isVisible());
        assertTrue(inline.getText().contains("zero-forcing is impossible"), inline.getText());
    }

    @Test
    void placeFromPaletteDragUndoAndSave() throws Exception {
        clickOn("#tool-place-laptop");
        Node canvas = lookup("#topology-canvas").query();
        Bounds b = canvas.localToScreen(canvas.getBoundsInLocal());
        clickOn(b.getMinX() + 60, b.getMaxY() - 60);
        assertEquals(4, editor.topology().devices().size());
        assertTrue(lookup("#node-laptop-2").tryQuery().isPresent());
        assertEquals("Device: laptop-2", lookup("#property-heading").queryAs(Label.class).getText());
        var before = editor.topology().device("laptop-2").orElseThrow().position();
        drag(body("#node-laptop-2")).moveBy(80, -40).drop();
        var after = editor.topology().device("laptop-2").orElseThrow().position();
        assertTrue(after.xM() > before.xM() && after.yM() < before.yM(), before + " -> " + after);
        clickOn("#tool-undo");
        assertEquals(before, editor.topology().device("laptop-2").orElseThrow().position(), "one undo per drag");
        press(KeyCode.CONTROL, KeyCode.S).release(KeyCode.S, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(editor.isDirty());
        assertEquals(4, TopologyReader.read(dir.resolve("fixture-lab.json")).topology().devices().size());
    }

    @Test
    void linkToolKeyboardEditingAndTextFieldsKeepTheirKeys() {
        // link tool: click two nodes
        clickOn("#tool-link");
        clickOn(body("#node-laptop-1"));
        clickOn(body("#node-orin-1"));
        assertTrue(editor.topology().link("laptop-1", "orin-1").isPresent());
        assertEquals("Digital link: laptop-1 \u2194 orin-1", lookup("#property-heading").queryAs(Label.class).getText());
        TextField rate = lookup("#prop-rateBitsPerSecond").queryAs(TextField.class);
        doubleClickOn(rate).eraseText(6).write("250").type(KeyCode.ENTER);
        assertEquals(2.5e8, editor.topology().link("laptop-1", "orin-1").orElseThrow().rateBitsPerSecond(), 1e-3);

        // Delete inside a text field edits the text, not the topology
        clickOn(body("#node-pi5-1"));
        TextField name = lookup("#prop-name").queryAs(TextField.class);
        clickOn(name).type(KeyCode.HOME).type(KeyCode.DELETE);
        assertTrue(editor.topology().device("pi5-1").isPresent(), "Delete in a text field must not delete the device");
        type(KeyCode.ESCAPE);

        // copy / paste / delete on the canvas with the keyboard
        clickOn(body("#node-pi5-1"));
        press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        press(KeyCode.CONTROL, KeyCode.V).release(KeyCode.V, KeyCode.CONTROL);
        assertEquals(4, editor.topology().devices().size());
        assertTrue(lookup("#node-pi5-2").tryQuery().isPresent());
        type(KeyCode.DELETE);
        assertEquals(3, editor.topology().devices().size());
        press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        assertEquals(4, editor.topology().devices().size());
    }

    @Test
    void pipelineTabRunsThePartitionerAndTagsTheRingOnTheCanvas() {
        clickOn("Pipeline plan");
        clickOn("#pipeline-run");
        WaitForAsyncUtils.waitForFxEvents();
        Label summary = lookup("#pipeline-summary").queryAs(Label.class);
        assertTrue(summary.getText().contains("tokens/s"), summary.getText());
        assertFalse(lookup("#pipeline-table").queryAs(javafx.scene.control.TableView.class).getItems().isEmpty());
        assertTrue(lookup(".node-tag").match(Node::isVisible).tryQuery().isPresent(), "ring members carry a layer tag");
        assertFalse(lookup("#pipeline-save").queryAs(javafx.scene.control.Button.class).isDisable());
    }

    @Test
    void draggingAPlanBoundaryMovesLayersUpdatesThePredictionAndUndoesInOneStep() {
        interact(() -> editor.setProperty("model.preset", "llama3-8b")); // no single board holds it: a ring
        clickOn("Pipeline plan");
        clickOn("#pipeline-run");
        WaitForAsyncUtils.waitForFxEvents();
        var table = lookup("#pipeline-table").queryAs(javafx.scene.control.TableView.class);
        @SuppressWarnings("unchecked")
        var members = (java.util.List<org.airshard.app.gui.plan.PipelineViewModel.Member>) table.getItems();
        assertTrue(members.size() >= 2, members.toString());
        var first = members.get(0);
        var second = members.get(1);
        String summaryBefore = lookup("#pipeline-summary").queryAs(Label.class).getText();
        Node bar = lookup("#plan-bar").query();
        Node handle = lookup("#plan-boundary-0").query();
        Bounds hb = handle.localToScreen(handle.getBoundsInLocal());
        Bounds bb = bar.localToScreen(bar.getBoundsInLocal());
        int layers = first.layers() + second.layers() + members.stream().skip(2).mapToInt(m -> m.layers()).sum();
        double pxPerLayer = (bb.getWidth() - 20) / layers;
        int move = first.layers() >= 3 ? -2 : +2;
        double x = (hb.getMinX() + hb.getMaxX()) / 2;
        double y = (hb.getMinY() + hb.getMaxY()) / 2;
        // a real drag: press on the boundary, several moves, release
        moveTo(x, y);
        press(javafx.scene.input.MouseButton.PRIMARY);
        for (int i = 1; i <= 6; i++) {
            moveTo(x + move * pxPerLayer * i / 6, y);
        }
        release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        var after = (java.util.List<org.airshard.app.gui.plan.PipelineViewModel.Member>) table.getItems();
        assertEquals(first.layers() + move, after.get(0).layers(), after.toString());
        assertEquals(second.layers() - move, after.get(1).layers(), after.toString());
        String summaryAfter = lookup("#pipeline-summary").queryAs(Label.class).getText();
        assertTrue(summaryAfter.startsWith("Edited plan"), summaryAfter);
        assertFalse(summaryAfter.equals(summaryBefore));
        boolean broken = lookup(".plan-band-broken").tryQuery().isPresent();
        assertTrue(broken || summaryAfter.contains("tokens/s"), "either re-predicted or a broken rule on a band: " + summaryAfter);
        assertTrue(broken || Math.abs(after.get(0).stageMs() - first.stageMs()) > 1e-9, "stage time re-predicted");
        Label band = (Label) ((javafx.scene.layout.VBox) lookup("#plan-band-" + after.get(0).deviceId()).query())
                .getChildren().get(0);
        assertTrue(band.getText().contains(after.get(0).rangeLabel()) || after.get(0).layers() == 0, band.getText());

        clickOn("#pipeline-undo"); // the whole drag is one step
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(first.layers(), ((org.airshard.app.gui.plan.PipelineViewModel.Member) table.getItems().get(0)).layers());
        assertTrue(lookup("#pipeline-undo").queryAs(javafx.scene.control.Button.class).isDisabled());
    }

    @Test
    void samplesMenuZoomAndRubberBand() {
        // wheel zoom keeps working and changes the scale
        Node canvas = lookup("#topology-canvas").query();
        var canvasView = (org.airshard.app.gui.topology.TopologyCanvas) canvas;
        double before = canvasView.viewport().scale();
        moveTo(canvas);
        scroll(3, javafx.geometry.VerticalDirection.UP);
        assertTrue(canvasView.viewport().scale() != before, "wheel zooms");
        // the redraw is coalesced into the next pulse: after it, nodes sit where the new viewport puts them
        WaitForAsyncUtils.waitForFxEvents();
        interact(() -> {
            var d = editor.topology().device("orin-1").orElseThrow();
            Node n = canvasView.nodeView("orin-1");
            assertEquals(canvasView.viewport().toScreenX(d.position().xM()), n.getLayoutX(), 1e-6);
            assertEquals(canvasView.viewport().toScreenY(d.position().yM()), n.getLayoutY(), 1e-6);
        });
        interact(canvasView::fitToView);

        // rubber band from the top-left corner over the left half selects several nodes
        Bounds b = canvas.localToScreen(canvas.getBoundsInLocal());
        drag(b.getMinX() + 5, b.getMinY() + 5).dropTo(b.getMinX() + b.getWidth() * 0.6, b.getMaxY() - 5);
        assertTrue(editor.selection().nodes().size() >= 2, editor.selection().toString());

        // File > Samples > Local demo opens the packaged sample (menu popups are fired directly: Monocle
        // cannot click into sub-menu popups reliably)
        clickOn("File");
        interact(() -> {
            javafx.scene.control.MenuBar bar = lookup("#menu-bar").queryAs(javafx.scene.control.MenuBar.class);
            javafx.scene.control.Menu samples = (javafx.scene.control.Menu) bar.getMenus().get(0).getItems().stream()
                    .filter(i -> "menu-samples".equals(i.getId())).findFirst().orElseThrow();
            samples.getItems().stream().filter(i -> "Local demo".equals(i.getText())).findFirst().orElseThrow().fire();
            bar.getMenus().get(0).hide();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(editor.topology().name().toLowerCase(java.util.Locale.ROOT).contains("local demo"),
                editor.topology().name());
        assertEquals(null, editor.file());
    }

    private Node body(String nodeQuery) {
        return lookup(nodeQuery).lookup(".node-body").query();
    }

    /** The dialogs are never expected here. */
    private static final class NoDialogs implements Dialogs {
        @Override
        public java.util.Optional<Path> chooseOpenFile(Path initialDir) {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<Path> chooseSaveFile(Path initialDir, String suggestedFileName) {
            return java.util.Optional.empty();
        }

        @Override
        public SaveChoice askSaveChanges(String documentName) {
            return SaveChoice.CANCEL;
        }

        @Override
        public boolean confirm(String title, String message) {
            return false;
        }

        @Override
        public void showError(String title, String message) {
            throw new AssertionError(title + ": " + message);
        }
    }
}
