package org.airshard.app.gui;

import java.nio.file.Path;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.airshard.app.gui.files.DocumentViewModel;
import org.airshard.app.gui.files.Samples;
import org.airshard.app.gui.plan.PipelinePanel;
import org.airshard.app.gui.plan.PipelineViewModel;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.airshard.app.gui.topology.PalettePanel;
import org.airshard.app.gui.topology.ProblemsPanel;
import org.airshard.app.gui.topology.PropertyPanel;
import org.airshard.app.gui.topology.TopologyCanvas;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.Units;
import org.airshard.planner.topology.ValidationReport;

/**
 * The main window's content: menu bar and tool bar, palette, topology canvas, property sheet, problems
 * list and status bar. Views only; behaviour lives in {@link TopologyEditorViewModel} and
 * {@link DocumentViewModel}.
 */
public final class MainWindow {

    private final TopologyEditorViewModel editor;
    private final DocumentViewModel doc;
    private final Runnable quit;
    private final BorderPane root = new BorderPane();
    private final TopologyCanvas canvas;
    private final CheckMenuItem darkItem = new CheckMenuItem("Dark theme");
    private final org.airshard.app.gui.common.Dialogs dialogs;
    private final org.airshard.app.gui.common.TaskRunner tasks;
    private final org.airshard.app.gui.tensor.TensorPlanViewModel tensorPlan;
    /** Canvas share of the height while a plan view is open. */
    static final double PLAN_VIEW_DIVIDER = 0.42;

    /**
     * @param quit asks to close the window (the caller routes it through {@link DocumentViewModel#requestClose})
     */
    public MainWindow(DocumentViewModel doc, PipelineViewModel pipeline, Runnable quit) {
        this(doc, pipeline, null, quit);
    }

    /**
     * @param dialogs dialogs for panels that ask the user themselves (plan export); null for file dialogs
     *                that never open (tests)
     */
    public MainWindow(DocumentViewModel doc, PipelineViewModel pipeline, org.airshard.app.gui.common.Dialogs dialogs,
                      Runnable quit) {
        this.dialogs = dialogs;
        this.tasks = pipeline.taskRunner();
        this.doc = doc;
        this.editor = doc.editor();
        this.quit = quit;
        this.canvas = new TopologyCanvas(editor);
        root.getStyleClass().add("main-window");
        root.setId("main-window");

        PropertyPanel properties = new PropertyPanel(editor);
        properties.addRowAction("model.checkpoint", doc::browseCheckpoint);
        ProblemsPanel problems = new ProblemsPanel(editor);
        org.airshard.app.gui.charts.ChartExport export = new org.airshard.app.gui.charts.ChartExport(dialogs, tasks,
                editor::setStatus);
        PipelinePanel plan = new PipelinePanel(pipeline, dialogs != null ? dialogs
                : new org.airshard.app.gui.common.FxDialogs(null), export);
        org.airshard.app.gui.plan.OptimizerViewModel optimizer = new org.airshard.app.gui.plan.OptimizerViewModel(editor, tasks);
        tensorPlan = new org.airshard.app.gui.tensor.TensorPlanViewModel(tasks);
        org.airshard.app.gui.beam.BeamformerViewModel beams = new org.airshard.app.gui.beam.BeamformerViewModel(tasks);
        Tab problemsTab = new Tab("Problems", problems);
        problemsTab.setClosable(false);
        problemsTab.setId("tab-problems");
        Tab planTab = new Tab("Pipeline plan", plan);
        planTab.setClosable(false);
        planTab.setId("tab-pipeline");
        org.airshard.app.gui.plan.AnalysisPanel analysisPanel = new org.airshard.app.gui.plan.AnalysisPanel(
                new org.airshard.app.gui.plan.AnalysisViewModel(editor, pipeline.taskRunner()));
        export.install(analysisPanel.chart(), "latency");
        Tab analysisTab = new Tab("Latency", analysisPanel);
        analysisTab.setClosable(false);
        analysisTab.setId("tab-analysis");
        Tab optimizerTab = new Tab("AirComp optimiser", new org.airshard.app.gui.plan.OptimizerPanel(optimizer, tensorPlan,
                beams, export));
        optimizerTab.setClosable(false);
        optimizerTab.setId("tab-optimizer");
        TabPane bottom = new TabPane(problemsTab, analysisTab, optimizerTab, planTab);
        bottom.setId("bottom-tabs");
        bottom.getStyleClass().add("bottom-tabs");
        // the canvas tags each device with its part of the plan shown below: tensor shares (and broken rules)
        // while the AirComp tab is open and a tensor plan exists, else the pipeline ranges
        canvas.deviceTagsProperty().bind(Bindings.createObjectBinding(() -> optimizerTab.isSelected()
                        && !tensorPlan.deviceTagsProperty().get().isEmpty() ? tensorPlan.deviceTagsProperty().get()
                        : pipeline.rangesByDeviceProperty().get(), optimizerTab.selectedProperty(),
                tensorPlan.deviceTagsProperty(), pipeline.rangesByDeviceProperty()));
        SplitPane centre = new SplitPane(canvas, bottom);
        centre.setOrientation(Orientation.VERTICAL);
        centre.setDividerPositions(0.68);
        SplitPane.setResizableWithParent(bottom, false);
        // plan views need room for their charts: opening one gives the bottom pane at least 58% of the height
        // (the user can drag the divider back; Problems keeps whatever was set)
        bottom.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> {
            if (t != null && t != problemsTab && centre.getDividerPositions()[0] > PLAN_VIEW_DIVIDER) {
                centre.setDividerPositions(PLAN_VIEW_DIVIDER);
            }
        });
        SplitPane main = new SplitPane(centre, properties);
        main.setDividerPositions(0.70);
        SplitPane.setResizableWithParent(properties, false);
        properties.setMinWidth(410);

        root.setTop(new VBox(createMenuBar(), createToolBar()));
        root.setLeft(new PalettePanel(canvas));
        root.setCenter(main);
        root.setBottom(createStatusBar());
    }

    public Pane root() {
        return root;
    }

    public TopologyCanvas canvas() {
        return canvas;
    }

    /** Creates the scene with the theme applied. */
    public Scene createScene(double width, double height, boolean dark) {
        Scene scene = new Scene(root, width, height);
        Theme.apply(scene, dark);
        darkItem.setSelected(dark);
        darkItem.selectedProperty().addListener((o, a, b) -> {
            Theme.setDark(scene, b);
            canvas.redraw();
        });
        return scene;
    }

    // ---------------------------------------------------------------- menus

    private MenuBar createMenuBar() {
        MenuBar bar = new MenuBar(fileMenu(), editMenu(), viewMenu(), helpMenu());
        bar.setId("menu-bar");
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (accelerator != null) {
            m.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        m.setOnAction(e -> action.run());
        return m;
    }

    private Menu fileMenu() {
        Menu recent = new Menu("Open Recent");
        recent.setId("menu-recent");
        recent.getItems().add(new MenuItem("(none)"));
        Menu samples = new Menu("Samples");
        samples.setId("menu-samples");
        samples.getItems().add(new MenuItem("(none)"));
        Menu file = new Menu("_File");
        file.setOnShowing(e -> {
            recent.getItems().clear();
            doc.refreshRecentFiles(); // for next time; this time shows the list as last read in the background
            for (Path p : doc.recentFilesProperty().get()) {
                recent.getItems().add(item(p.getFileName() + "  \u2014  " + p.getParent(), null, () -> doc.openFile(p)));
            }
            if (recent.getItems().isEmpty()) {
                MenuItem none = new MenuItem("(no recent files)");
                none.setDisable(true);
                recent.getItems().add(none);
            } else {
                recent.getItems().addAll(new SeparatorMenuItem(), item("Clear list", null, doc::clearRecentFiles));
            }
            samples.getItems().clear();
            for (Samples.Sample s : doc.samples()) {
                samples.getItems().add(item(s.displayName(), null, () -> doc.openSample(s.resource())));
            }
            if (samples.getItems().isEmpty()) {
                MenuItem none = new MenuItem("(no samples packaged)");
                none.setDisable(true);
                samples.getItems().add(none);
            }
        });
        MenuItem save = item("_Save", "Shortcut+S", doc::save);
        save.disableProperty().bind(doc.busyProperty());
        MenuItem saveAs = item("Save _As\u2026", "Shortcut+Shift+S", doc::saveAs);
        saveAs.disableProperty().bind(doc.busyProperty());
        file.getItems().addAll(
                item("_New", "Shortcut+N", doc::newTopology),
                item("_Open\u2026", "Shortcut+O", doc::open),
                recent, samples, new SeparatorMenuItem(), save, saveAs, new SeparatorMenuItem(),
                item("_Quit", "Shortcut+Q", quit));
        return file;
    }

    private Menu editMenu() {
        MenuItem undo = item("_Undo", "Shortcut+Z", () -> textOr(TextInputControl::undo, editor::undo));
        undo.textProperty().bind(Bindings.when(editor.undoLabelProperty().isEmpty()).then("Undo")
                .otherwise(Bindings.concat("Undo ", editor.undoLabelProperty())));
        undo.disableProperty().bind(editor.canUndoProperty().not());
        MenuItem redo = item("_Redo", "Shortcut+Shift+Z", () -> textOr(TextInputControl::redo, editor::redo));
        redo.textProperty().bind(Bindings.when(editor.redoLabelProperty().isEmpty()).then("Redo")
                .otherwise(Bindings.concat("Redo ", editor.redoLabelProperty())));
        redo.disableProperty().bind(editor.canRedoProperty().not());
        MenuItem paste = item("_Paste", "Shortcut+V", () -> textOr(TextInputControl::paste, editor::paste));
        Menu edit = new Menu("_Edit");
        edit.getItems().addAll(undo, redo, new SeparatorMenuItem(),
                item("Cu_t", "Shortcut+X", () -> textOr(TextInputControl::cut, editor::cutSelection)),
                item("_Copy", "Shortcut+C", () -> textOr(TextInputControl::copy, editor::copySelection)),
                paste,
                item("D_uplicate", "Shortcut+D", editor::duplicateSelection),
                item("_Delete", "Delete", () -> textOr(TextInputControl::deleteNextChar, editor::deleteSelection)),
                new SeparatorMenuItem(),
                item("Select _All", "Shortcut+A", () -> textOr(TextInputControl::selectAll, editor::selectAll)),
                item("Select _None", null, editor::clearSelection));
        return edit;
    }

    /** Edit commands act on a focused text field when there is one, else on the topology. */
    private void textOr(java.util.function.Consumer<TextInputControl> text, Runnable topology) {
        Scene s = root.getScene();
        if (s != null && s.getFocusOwner() instanceof TextInputControl t) {
            text.accept(t);
        } else {
            topology.run();
        }
    }

    private Menu viewMenu() {
        CheckMenuItem snap = new CheckMenuItem("_Snap to grid (" + TopologyEditorViewModel.GRID_M + " m)");
        snap.selectedProperty().bindBidirectional(editor.snapToGridProperty());
        Menu view = new Menu("_View");
        view.getItems().addAll(
                item("Zoom _In", "Shortcut+EQUALS", canvas::zoomIn),
                item("Zoom _Out", "Shortcut+MINUS", canvas::zoomOut),
                item("_Fit Topology", "Shortcut+0", canvas::fitToView),
                new SeparatorMenuItem(), snap, darkItem, new SeparatorMenuItem(),
                item("_Export Canvas as PNG\u2026", "Shortcut+E", this::exportCanvas));
        return view;
    }

    private void exportCanvas() {
        if (dialogs == null) {
            return;
        }
        String name = DocumentViewModel.slug(editor.topology().name()) + ".png";
        dialogs.chooseSaveFile(editor.file() == null ? null : editor.file().toAbsolutePath().getParent(), name)
                .ifPresent(p -> {
                    Path target = p.getFileName().toString().contains(".") ? p : p.resolveSibling(p.getFileName() + ".png");
                    editor.setStatus("Exporting " + target.getFileName() + "\u2026");
                    org.airshard.app.gui.common.PngExport.export(canvas, target, 2.0, tasks,
                            saved -> editor.setStatus("Exported " + saved),
                            err -> dialogs.showError("Cannot export", String.valueOf(err.getMessage())));
                });
    }

    private Menu helpMenu() {
        MenuItem about = item("_About AirShard", null, () -> {
            Alert a = new Alert(Alert.AlertType.INFORMATION);
            a.initOwner(root.getScene().getWindow());
            a.setTitle("About AirShard");
            a.setHeaderText("AirShard");
            a.setContentText("Plan and run LLM inference split across edge devices with over-the-air (AirComp) "
                    + "all-reduce and pipeline parallelism.\n\nCanvas: drag to move, Shift+click to add to the "
                    + "selection, drag on empty space to rubber-band select, right/middle drag to pan, wheel to "
                    + "zoom, arrow keys to nudge.");
            a.showAndWait();
        });
        Menu help = new Menu("_Help");
        help.getItems().add(about);
        return help;
    }

    private ToolBar createToolBar() {
        ToolBar tb = new ToolBar(
                tool("New", "New topology (Ctrl+N)", doc::newTopology),
                tool("Open", "Open a topology file (Ctrl+O)", doc::open),
                tool("Save", "Save (Ctrl+S)", doc::save),
                new Separator(),
                undoTool(),
                redoTool(),
                new Separator(),
                tool("Fit", "Fit the topology in view (Ctrl+0)", canvas::fitToView),
                tool("\u2212", "Zoom out", canvas::zoomOut),
                tool("+", "Zoom in", canvas::zoomIn));
        tb.getStyleClass().add("main-toolbar");
        return tb;
    }

    private Button undoTool() {
        Button b = tool("Undo", "Undo (Ctrl+Z)", editor::undo);
        b.setId("tool-undo");
        b.disableProperty().bind(editor.canUndoProperty().not());
        return b;
    }

    private Button redoTool() {
        Button b = tool("Redo", "Redo (Ctrl+Shift+Z)", editor::redo);
        b.setId("tool-redo");
        b.disableProperty().bind(editor.canRedoProperty().not());
        return b;
    }

    private static Button tool(String text, String tip, Runnable action) {
        Button b = new Button(text);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        return b;
    }

    // ---------------------------------------------------------------- status bar

    private Node createStatusBar() {
        Label name = new Label();
        name.setId("status-topology-name");
        name.getStyleClass().add("status-name");
        name.setMinWidth(Region.USE_PREF_SIZE);
        name.textProperty().bind(Bindings.createStringBinding(() -> editor.topology().name()
                + (editor.isDirty() ? " \u2022" : ""), editor.topologyProperty(), editor.dirtyProperty()));
        Label message = new Label();
        message.setId("status-message");
        message.textProperty().bind(editor.statusProperty());
        message.setMaxWidth(Double.MAX_VALUE);
        message.setMinWidth(0);
        HBox.setHgrow(message, Priority.ALWAYS);
        Label counts = new Label();
        counts.textProperty().bind(Bindings.createStringBinding(() -> counts(editor.topology(), editor.modelProperty().get()),
                editor.topologyProperty(), editor.modelProperty()));
        counts.setMinWidth(Region.USE_PREF_SIZE);
        Label validity = new Label();
        validity.setMinWidth(Region.USE_PREF_SIZE);
        validity.setId("status-validity");
        validity.textProperty().bind(Bindings.createStringBinding(() -> validity(editor.report()), editor.reportProperty()));
        editor.reportProperty().addListener((o, a, r) -> styleValidity(validity, r));
        styleValidity(validity, editor.report());
        Label pointer = new Label();
        pointer.textProperty().bind(canvas.pointerProperty());
        pointer.setMinWidth(150);
        Label zoom = new Label();
        zoom.setMinWidth(Region.USE_PREF_SIZE);
        zoom.textProperty().bind(canvas.zoomTextProperty());
        HBox bar = new HBox(14, name, sep(), message, sep(), counts, sep(), validity, sep(), pointer, zoom);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(3, 10, 3, 10));
        bar.getStyleClass().add("status-bar");
        bar.setId("status-bar");
        return bar;
    }

    private static Node sep() {
        Region r = new Region();
        r.getStyleClass().add("status-sep");
        r.setMinWidth(1);
        r.setPrefWidth(1);
        r.setMaxHeight(14);
        return r;
    }

    private static String counts(Topology t, ModelSpec m) {
        long mem = t.devices().stream().mapToLong(d -> d.memoryBytes()).sum();
        String s = t.devices().size() + (t.devices().size() == 1 ? " device" : " devices") + " \u00b7 "
                + t.links().size() + (t.links().size() == 1 ? " link" : " links") + " \u00b7 " + Units.formatBytes(mem);
        if (m != null) {
            s += String.format(Locale.ROOT, " \u00b7 %s (%s)", m.displayName(), Units.formatBytes(m.totalBytes()));
        } else {
            s += " \u00b7 " + t.model().label();
        }
        return s;
    }

    private static String validity(ValidationReport r) {
        if (r.hasErrors()) {
            return "\u2716 " + r.errors().size() + (r.errors().size() == 1 ? " error" : " errors");
        }
        return r.warnings().isEmpty() ? "\u2714 valid" : "\u2714 valid, " + r.warnings().size()
                + (r.warnings().size() == 1 ? " warning" : " warnings");
    }

    private static void styleValidity(Label l, ValidationReport r) {
        l.getStyleClass().removeAll("status-ok", "status-error", "status-warning");
        l.getStyleClass().add(r.hasErrors() ? "status-error" : r.warnings().isEmpty() ? "status-ok" : "status-warning");
    }
}
