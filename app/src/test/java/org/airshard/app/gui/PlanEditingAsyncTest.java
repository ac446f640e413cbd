package org.airshard.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.airshard.app.gui.common.FxTaskRunner;
import org.airshard.app.gui.files.Autosave;
import org.airshard.app.gui.files.DocumentViewModel;
import org.airshard.app.gui.files.RecentFiles;
import org.airshard.app.gui.tensor.TensorPlanViewModel;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The tensor-plan editor with the real background runner (the app's {@link FxTaskRunner}): the optimiser
 * runs off the FX thread, the plan check and the E[MSE] re-evaluation come back later, and the table
 * follows; a broken sum rule is shown and undone.
 */
@Tag("gui")
class PlanEditingAsyncTest extends ApplicationTest {

    private Scene scene;
    private FxTaskRunner tasks;

    @Override
    public void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("airshard-async");
        tasks = new FxTaskRunner(2);
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        DocumentViewModel doc = new DocumentViewModel(editor, new SilentDialogs(org.airshard.app.gui.common.Dialogs.SaveChoice.DISCARD), tasks,
                new RecentFiles(dir.resolve("recent.txt"), 5), new Autosave(dir.resolve("autosave.json")));
        MainWindow window = new MainWindow(doc, new org.airshard.app.gui.plan.PipelineViewModel(editor, tasks), stage::hide);
        scene = window.createScene(1280, 800, false);
        stage.setScene(scene);
        stage.show();
        doc.openFile(TestFixtures.copyTo(dir));
    }

    @AfterEach
    void close() throws Exception {
        tasks.close();
    }

    private static void await(BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            boolean[] ok = new boolean[1];
            WaitForAsyncUtils.asyncFx(() -> ok[0] = condition.getAsBoolean()).get();
            return ok[0];
        });
    }

    @SuppressWarnings("unchecked")
    @Test
    void editsAreCheckedInTheBackgroundAndUndone() throws Exception {
        await(() -> scene.lookup("#optimizer-run") != null);
        interact(() -> {
            TabPane tabs = (TabPane) scene.lookup("#bottom-tabs");
            tabs.getSelectionModel().select(tabs.getTabs().stream().filter(t -> "tab-optimizer".equals(t.getId())).findFirst()
                    .orElseThrow());
            Spinner<Integer> it = (Spinner<Integer>) scene.lookup("#optimizer-panel .spinner");
            it.getEditor().setText("40");
            it.commitValue();
            ((Button) scene.lookup("#optimizer-run")).fire();
            TabPane inner = (TabPane) scene.lookup("#optimizer-tabs");
            inner.getSelectionModel().select(inner.getTabs().stream().filter(t -> "opt-tab-plan".equals(t.getId())).findFirst()
                    .orElseThrow());
        });
        TableView<TensorPlanViewModel.Row> table = (TableView<TensorPlanViewModel.Row>) scene.lookup("#tensor-plan-table");
        javafx.scene.control.Label summary = (javafx.scene.control.Label) scene.lookup("#tensor-plan-summary");
        await(() -> table.getItems().size() == 3 && summary.getText().contains("tokens/s"));
        interact(() -> table.getSelectionModel().select(0));
        int groups = table.getItems().get(0).kvGroups();
        interact(() -> {
            Spinner<Integer> g = (Spinner<Integer>) scene.lookup("#tensor-kv-groups");
            g.getValueFactory().setValue(groups + 1);
        });
        await(() -> summary.getText().startsWith("Edited plan breaks"));
        assertTrue(scene.lookup("#tensor-plan-issues").isVisible());
        assertEquals(groups + 1, table.getItems().get(0).kvGroups());
        interact(() -> ((Button) scene.lookup("#tensor-undo")).fire());
        await(() -> summary.getText().contains("tokens/s"));
        assertEquals(groups, table.getItems().get(0).kvGroups());
        assertFalse(scene.lookup("#tensor-plan-issues").isVisible());
        // a legal share change: the E[MSE] is re-evaluated in the background and appended to the summary
        interact(() -> {
            javafx.scene.control.Slider share = (javafx.scene.control.Slider) scene.lookup("#tensor-share-slider");
            share.setValueChanging(true);
            share.setValue(0.45);
            share.setValueChanging(false);
        });
        await(() -> summary.getText().contains("E[MSE]") && summary.getText().contains("samples"));
        assertEquals(0.45, table.getItems().get(0).share(), 1e-9);
    }
}
