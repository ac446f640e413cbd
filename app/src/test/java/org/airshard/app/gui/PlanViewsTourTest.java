package org.airshard.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.common.SvgExport;
import org.airshard.app.gui.files.Autosave;
import org.airshard.app.gui.files.DocumentViewModel;
import org.airshard.app.gui.files.RecentFiles;
import org.airshard.app.gui.tensor.TensorPlanViewModel;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;

/**
 * Wiring of the plan views at 1280×800 (the smallest supported window): optimiser → baselines, tensor-plan
 * editing marks the offending board in the table and on the canvas, beamformers solve, pipeline charts,
 * SVG export of a chart. Writes PNGs to {@code target/screenshots/} for a human to look at.
 */
@Tag("gui")
class PlanViewsTourTest extends ApplicationTest {

    private TopologyEditorViewModel editor;
    private MainWindow window;
    private Scene scene;
    private org.airshard.app.gui.plan.PipelineViewModel pipeline;

    @Override
    public void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("airshard-plan-shots");
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

    @SuppressWarnings("unchecked")
    @Test
    void optimiserBaselinesPlanEditingBeamformersAndPipelineCharts() throws Exception {
        interact(() -> {
            TabPane tabs = (TabPane) scene.lookup("#bottom-tabs");
            tabs.getSelectionModel().select(tab(tabs, "tab-optimizer"));
            Spinner<Integer> it = (Spinner<Integer>) scene.lookup("#optimizer-panel .spinner");
            it.getEditor().setText("60");
            it.commitValue();
            ((Button) scene.lookup("#optimizer-run")).fire();
        });
        snap("10-optimiser-convergence.png");

        interact(() -> select("opt-tab-baselines"));
        snap("11-optimiser-baselines.png");
        interact(() -> {
            var mse = (javafx.scene.chart.XYChart<?, ?>) scene.lookup("#optimizer-mse-chart");
            assertFalse(mse.getData().isEmpty());
            assertTrue(mse.getData().get(0).getData().size() >= 4, "SSCA, baselines and schemes");
            var lat = (javafx.scene.chart.XYChart<?, ?>) scene.lookup("#optimizer-latency-chart");
            assertEquals(4, lat.getData().size(), "compute, all-reduce, broadcast, server");
        });

        interact(() -> select("opt-tab-plan"));
        TableView<TensorPlanViewModel.Row> table = (TableView<TensorPlanViewModel.Row>) scene.lookup("#tensor-plan-table");
        interact(() -> {
            assertEquals(3, table.getItems().size());
            table.getSelectionModel().select(1);
        });
        snap("12-tensor-plan-legal.png");
        String board = table.getItems().get(1).deviceId();
        interact(() -> {
            Spinner<Integer> groups = (Spinner<Integer>) scene.lookup("#tensor-kv-groups");
            groups.getValueFactory().setValue(groups.getValue() + 1);
        });
        interact(() -> {
            assertTrue(((javafx.scene.control.Label) scene.lookup("#tensor-plan-summary")).getText().startsWith("Edited plan breaks"));
            assertTrue(scene.lookup("#tensor-plan-issues").isVisible(), "the sum rule is shown");
            assertTrue(((Button) scene.lookup("#tensor-undo")).isDisabled() == false);
        });
        snap("13-tensor-plan-kv-sum-broken.png");
        interact(() -> ((Button) scene.lookup("#tensor-undo")).fire());
        interact(() -> assertFalse(scene.lookup("#tensor-plan-issues").isVisible()));
        // memory: shrink the board's memory so that a big share cannot fit, then drag its share up
        interact(() -> {
            editor.setProperty("model.preset", "llama3-8b"); // 15 GiB: 97% of it does not fit a Pi 5
            ((Button) scene.lookup("#optimizer-run")).fire();
        });
        interact(() -> {
            table.getSelectionModel().select(1);
            javafx.scene.control.Slider share = (javafx.scene.control.Slider) scene.lookup("#tensor-share-slider");
            share.setValueChanging(true);
            share.setValue(0.97);
            share.setValueChanging(false);
        });
        interact(() -> {
            var row = table.getItems().get(1);
            assertEquals(0.97, row.share(), 1e-9);
            assertTrue(row.broken(), row.toString());
            assertTrue(row.errors().get(0).startsWith("memory: board '" + row.deviceId() + "'"), row.errors().toString());
        });
        snap("14-tensor-plan-big-share.png");
        interact(() -> {
            var tags = window.canvas().deviceTagsProperty().get();
            assertEquals("\u2716 memory", tags.get(board), tags.toString());
        });

        interact(() -> {
            select("opt-tab-beams");
            ((Button) scene.lookup("#beam-solve")).fire();
        });
        interact(() -> assertTrue(((javafx.scene.control.Label) scene.lookup("#beam-summary")).getText().startsWith("Realisation 1"),
                ((javafx.scene.control.Label) scene.lookup("#beam-summary")).getText()));
        snap("15-beamformers-energy.png");
        String[] svg = new String[1];
        interact(() -> svg[0] = SvgExport.toSvg(scene.lookup("#energy-chart")));
        assertTrue(svg[0].startsWith("<?xml") && svg[0].contains("<svg") && svg[0].contains("<text")
                && svg[0].contains("<rect"), svg[0].substring(0, Math.min(400, svg[0].length())));
        interact(() -> svg[0] = SvgExport.toSvg(scene.lookup("#beam-heatmaps")));
        assertTrue(svg[0].contains("data:image/png;base64,"), "heatmap canvas embedded");
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        interact(() -> {
            try {
                Files.writeString(dir.resolve("15-energy-chart.svg"), SvgExport.toSvg(scene.lookup("#energy-chart")));
                select("opt-tab-baselines");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        interact(() -> {
            try {
                String mse = SvgExport.toSvg(scene.lookup("#optimizer-mse-chart"));
                assertTrue(mse.contains("#2f6fde") || mse.contains("#2e6cd9"), "our bar in (about) the accent colour: gradients drawn flat");
                Files.writeString(dir.resolve("11-mse-chart.svg"), mse);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        interact(() -> {
            editor.setProperty("model.preset", "llama3-8b");
            TabPane tabs = (TabPane) scene.lookup("#bottom-tabs");
            tabs.getSelectionModel().select(tab(tabs, "tab-pipeline"));
            pipeline.run();
        });
        interact(() -> {
            var tps = (javafx.scene.chart.XYChart<?, ?>) scene.lookup("#pipeline-tokens-chart");
            assertEquals(1 + pipeline.resultProperty().get().baselines().size(), tps.getData().size());
            var mem = (javafx.scene.chart.XYChart<?, ?>) scene.lookup("#pipeline-memory-chart");
            assertEquals(3, mem.getData().size());
        });
        snap("16-pipeline-charts.png");
        interact(() -> pipeline.changeLayers(1, -1));
        snap("17-pipeline-edit-memory-over.png");
        interact(() -> {
            assertFalse(((Button) scene.lookup("#pipeline-undo")).isDisabled());
            scene.lookup("#pipeline-table").requestFocus();
        });
        push(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.Z, javafx.scene.input.KeyCombination.SHORTCUT_DOWN));
        interact(() -> {
            assertTrue(((Button) scene.lookup("#pipeline-undo")).isDisabled(), "Ctrl+Z in the plan panel undid the plan edit");
            assertFalse(pipeline.editedProperty().get());
            assertEquals("llama3-8b", editor.topology().model().preset(), "the topology was not undone");
        });
        interact(() -> Theme.setDark(scene, true));
        interact(() -> {
            TabPane tabs = (TabPane) scene.lookup("#bottom-tabs");
            tabs.getSelectionModel().select(tab(tabs, "tab-optimizer"));
            select("opt-tab-beams");
            ((Button) scene.lookup("#beam-solve")).fire();
        });
        snap("18-dark-beamformers.png");
    }

    private void select(String id) {
        TabPane inner = (TabPane) scene.lookup("#optimizer-tabs");
        inner.getSelectionModel().select(tab(inner, id));
    }

    private static javafx.scene.control.Tab tab(TabPane tabs, String id) {
        return tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().orElseThrow();
    }

    private void snap(String name) throws Exception {
        interact(() -> {
            try {
                GuiTestSupport.snapshot(scene, name);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
