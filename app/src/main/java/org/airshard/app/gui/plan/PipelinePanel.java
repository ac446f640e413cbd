package org.airshard.app.gui.plan;

import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.airshard.planner.pipeline.Baseline;
import org.airshard.planner.pipeline.PartitionResult;

/**
 * Pipeline plan: Run / Cancel the partitioner, the ring as a table (order, device, layer range, stage and
 * hop time), baselines and notes. The canvas shows each member's range next to the device.
 */
public final class PipelinePanel extends VBox {

    private final TableView<PipelineViewModel.Member> table = new TableView<>();
    private final Label baselines = new Label();

    private final org.airshard.app.gui.charts.TokensPerSecondChart tokensChart = new org.airshard.app.gui.charts.TokensPerSecondChart();
    private final org.airshard.app.gui.charts.MemoryChart memoryChart = new org.airshard.app.gui.charts.MemoryChart();

    public PipelinePanel(PipelineViewModel vm, org.airshard.app.gui.common.Dialogs dialogs) {
        this(vm, dialogs, null);
    }

    /** @param export chart export (context menus on the charts), or null */
    public PipelinePanel(PipelineViewModel vm, org.airshard.app.gui.common.Dialogs dialogs,
                         org.airshard.app.gui.charts.ChartExport export) {
        getStyleClass().add("pipeline-panel");
        setId("pipeline-panel");
        Button run = new Button("Run partitioner");
        run.setId("pipeline-run");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> vm.run());
        run.disableProperty().bind(vm.runningProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("pipeline-cancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());
        Button save = new Button("Save plan\u2026");
        save.setId("pipeline-save");
        save.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        save.setOnAction(e -> vm.savePlan(dialogs));
        save.disableProperty().bind(Bindings.createBooleanBinding(() -> vm.planProperty().get() == null
                || vm.planProperty().get().predicted() == null || vm.runningProperty().get()
                || vm.planIssuesProperty().get().stream().anyMatch(org.airshard.planner.topology.ValidationIssue::isError),
                vm.planProperty(), vm.runningProperty(), vm.planIssuesProperty()));
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(18, 18);
        spin.visibleProperty().bind(vm.runningProperty());
        Label summary = new Label();
        summary.setId("pipeline-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);
        summary.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        summary.setMaxWidth(Double.MAX_VALUE);
        Label stale = new Label("stale: the topology changed since this run");
        stale.getStyleClass().add("stale-tag");
        stale.visibleProperty().bind(vm.staleProperty());
        stale.managedProperty().bind(vm.staleProperty());
        run.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        cancel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label s = new Label("S = sequences in flight (Planning settings)");
        s.getStyleClass().add("legend-note");
        s.setMinWidth(0);
        Button more = new Button("+1 layer");
        more.setId("pipeline-more");
        Button less = new Button("\u22121 layer");
        less.setId("pipeline-less");
        Button reset = new Button("Reset edits");
        reset.setId("pipeline-reset");
        Button undo = new Button("Undo");
        undo.setId("pipeline-undo");
        undo.setTooltip(new javafx.scene.control.Tooltip("Undo the last plan edit (Ctrl+Z in this panel)"));
        undo.setOnAction(e -> vm.undo());
        undo.disableProperty().bind(vm.canUndoProperty().not().or(vm.runningProperty()));
        Button redo = new Button("Redo");
        redo.setId("pipeline-redo");
        redo.setOnAction(e -> vm.redo());
        redo.disableProperty().bind(vm.canRedoProperty().not().or(vm.runningProperty()));
        for (Button b : new Button[] {more, less, reset, undo, redo}) {
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        more.setTooltip(new javafx.scene.control.Tooltip("Selected board takes one layer from the next board in the ring"));
        less.setTooltip(new javafx.scene.control.Tooltip("Selected board gives one layer to the next board in the ring"));
        more.setOnAction(e -> edit(vm, +1));
        less.setOnAction(e -> edit(vm, -1));
        reset.setOnAction(e -> vm.resetEdits());
        more.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(vm.runningProperty()));
        less.disableProperty().bind(more.disableProperty());
        reset.disableProperty().bind(vm.editedProperty().not());
        HBox head = new HBox(8, run, cancel, save, new javafx.scene.control.Separator(javafx.geometry.Orientation.VERTICAL),
                more, less, undo, redo, reset, spin, s, stale);
        head.setAlignment(Pos.CENTER_LEFT);
        head.setPadding(new Insets(6, 10, 2, 10));
        summary.setPadding(new Insets(0, 10, 4, 10));

        table.setId("pipeline-table");
        table.setPlaceholder(new Label("No plan yet."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(col("#", m -> Integer.toString(m.position())));
        table.getColumns().add(col("Device", PipelineViewModel.Member::deviceId));
        TableColumn<PipelineViewModel.Member, String> range = new TableColumn<>("Layers");
        range.setCellValueFactory(c -> Bindings.createStringBinding(() -> c.getValue().rangeLabel()
                + "  (" + c.getValue().layers() + ")"));
        table.getColumns().add(range);
        TableColumn<PipelineViewModel.Member, String> stage = new TableColumn<>("Stage (ms/token)");
        stage.setCellValueFactory(c -> Bindings.createStringBinding(() ->
                Double.isNaN(c.getValue().stageMs()) ? "\u2013" : String.format(Locale.ROOT, "%.3f", c.getValue().stageMs())));
        table.getColumns().add(stage);
        TableColumn<PipelineViewModel.Member, String> hop = new TableColumn<>("Hop to next (ms)");
        hop.setCellValueFactory(c -> Bindings.createStringBinding(() ->
                Double.isNaN(c.getValue().hopMs()) ? "\u2013" : String.format(Locale.ROOT, "%.3f", c.getValue().hopMs())));
        table.getColumns().add(hop);
        double[] widths = {30, 80, 90, 70, 70};
        for (int i = 0; i < widths.length && i < table.getColumns().size(); i++) {
            table.getColumns().get(i).setPrefWidth(widths[i]);
        }
        vm.membersProperty().addListener((o, a, m) -> {
            int sel = table.getSelectionModel().getSelectedIndex();
            table.getItems().setAll(m);
            if (sel >= 0 && sel < m.size()) {
                table.getSelectionModel().select(sel);
            }
        });
        tokensChart.setId("pipeline-tokens-chart");
        tokensChart.setTitle("tokens/s vs S");
        memoryChart.setId("pipeline-memory-chart");
        memoryChart.setTitle("memory per board");
        vm.curvesProperty().addListener((o, a, c) -> tokensChart.show(c));
        vm.memoryProperty().addListener((o, a, m) -> memoryChart.show(m));
        if (export != null) {
            export.install(tokensChart, "tokens-per-second");
            export.install(memoryChart, "pipeline-memory");
        }
        VBox left = new VBox(table);
        VBox.setVgrow(table, Priority.ALWAYS);
        javafx.scene.control.SplitPane body = new javafx.scene.control.SplitPane(left, tokensChart, memoryChart);
        body.setId("pipeline-body");
        body.setDividerPositions(0.46, 0.74);
        VBox.setVgrow(body, Priority.ALWAYS);

        baselines.setId("pipeline-baselines");
        baselines.getStyleClass().add("legend-note");
        baselines.setWrapText(true);
        baselines.setPadding(new Insets(2, 10, 6, 10));
        vm.resultProperty().addListener((o, a, r) -> baselines.setText(baselineText(r)));
        Label issues = new Label();
        issues.setId("pipeline-issues");
        issues.getStyleClass().addAll("property-message", "error");
        issues.setWrapText(true);
        issues.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        vm.planIssuesProperty().addListener((o, a, list) -> {
            var errors = list.stream().filter(org.airshard.planner.topology.ValidationIssue::isError)
                    .map(org.airshard.planner.topology.ValidationIssue::message).toList();
            issues.setText(String.join("\n", errors));
            issues.setVisible(!errors.isEmpty());
            issues.setManaged(!errors.isEmpty());
        });
        issues.setVisible(false);
        issues.setManaged(false);
        // Ctrl+Z / Ctrl+Shift+Z while focus is in this panel undo plan edits (consumed before the Edit menu's
        // accelerators, which act on the topology)
        javafx.scene.input.KeyCombination undoKey = javafx.scene.input.KeyCombination.keyCombination("Shortcut+Z");
        javafx.scene.input.KeyCombination redoKey = javafx.scene.input.KeyCombination.keyCombination("Shortcut+Shift+Z");
        addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getTarget() instanceof javafx.scene.control.TextInputControl) {
                return;
            }
            if (redoKey.match(e)) {
                vm.redo();
                e.consume();
            } else if (undoKey.match(e)) {
                vm.undo();
                e.consume();
            }
        });
        PlanBar bar = new PlanBar(vm);
        VBox.setMargin(bar, new Insets(0, 0, 2, 0));
        getChildren().addAll(head, summary, issues, bar, body, baselines);
    }

    private static TableColumn<PipelineViewModel.Member, String> col(String title,
            java.util.function.Function<PipelineViewModel.Member, String> value) {
        TableColumn<PipelineViewModel.Member, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(cd.getValue())));
        return c;
    }

    private void edit(PipelineViewModel vm, int delta) {
        PipelineViewModel.Member m = table.getSelectionModel().getSelectedItem();
        if (m != null) {
            vm.changeLayers(m.position(), delta);
        }
    }

    static String baselineText(PartitionResult r) {
        if (r == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("Baselines at S = ").append(r.sequences()).append(":  ");
        for (Baseline b : r.baselines()) {
            sb.append(b.name()).append(' ');
            sb.append(b.fits() ? String.format(Locale.ROOT, "%.1f tok/s", b.estimate().tokensPerSecond(r.sequences()))
                    : "does not fit");
            sb.append("   ");
        }
        if (!r.notes().isEmpty()) {
            sb.append("\n").append(String.join("\n", r.notes()));
        }
        return sb.toString();
    }
}
