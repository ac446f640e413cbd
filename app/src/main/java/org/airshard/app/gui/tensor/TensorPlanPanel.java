package org.airshard.app.gui.tensor;

import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.airshard.planner.topology.Units;
import org.airshard.planner.topology.ValidationIssue;

/**
 * Tensor-plan editor: one row per board (share, KV groups, MLP columns, memory against what is usable,
 * compute energy against P_n^max, the rules it breaks). Select a board, then drag its share or type its KV
 * groups / MLP columns; the row of a board that breaks a rule turns red with the rule, and the summary shows
 * the live prediction.
 */
public final class TensorPlanPanel extends VBox {

    private final TableView<TensorPlanViewModel.Row> table = new TableView<>();
    private boolean updating;

    public TensorPlanPanel(TensorPlanViewModel vm) {
        this(vm, null, null);
    }

    /**
     * @param dialogs file chooser for "Save plan…", or null for no save button
     * @param status  where "Saved plan …" is reported
     */
    public TensorPlanPanel(TensorPlanViewModel vm, org.airshard.app.gui.common.Dialogs dialogs,
                           java.util.function.Consumer<String> status) {
        setId("tensor-plan-panel");
        getStyleClass().add("tensor-plan-panel");
        Label summary = new Label();
        summary.setId("tensor-plan-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        summary.setMaxWidth(Double.MAX_VALUE);

        Label board = new Label("select a board");
        board.getStyleClass().add("legend-note");
        board.setMinWidth(90);
        Slider share = new Slider(0, 1, 0);
        share.setId("tensor-share-slider");
        share.setPrefWidth(180);
        share.setBlockIncrement(0.01);
        Label shareText = new Label("\u2013");
        shareText.setMinWidth(48);
        Spinner<Integer> groups = new Spinner<>(0, 4096, 0);
        groups.setId("tensor-kv-groups");
        groups.setEditable(true);
        groups.setPrefWidth(80);
        Spinner<Integer> columns = new Spinner<>(0, 1 << 20, 0, 16);
        columns.setId("tensor-ffn-columns");
        columns.setEditable(true);
        columns.setPrefWidth(100);
        Button undo = new Button("Undo");
        undo.setId("tensor-undo");
        undo.setOnAction(e -> vm.undo());
        undo.disableProperty().bind(vm.canUndoProperty().not());
        undo.setTooltip(new Tooltip("Undo the last plan edit (Ctrl+Z in this panel)"));
        Button redo = new Button("Redo");
        redo.setId("tensor-redo");
        redo.setOnAction(e -> vm.redo());
        redo.disableProperty().bind(vm.canRedoProperty().not());
        Button reset = new Button("Reset");
        reset.setId("tensor-reset");
        reset.setTooltip(new Tooltip("Back to the optimiser's rounded shares"));
        reset.setOnAction(e -> vm.resetEdits());
        reset.disableProperty().bind(vm.editedProperty().not());
        for (Region r : new Region[] {undo, redo, reset, groups, columns}) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        Label sl = new Label("share");
        Label gl = new Label("KV groups");
        Label cl = new Label("MLP columns");
        for (Label l : new Label[] {sl, gl, cl, shareText}) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox shareBox = new HBox(6, board, sl, share, shareText);
        shareBox.setAlignment(Pos.CENTER_LEFT);
        HBox countBox = new HBox(6, gl, groups, cl, columns);
        countBox.setAlignment(Pos.CENTER_LEFT);
        HBox undoBox = new HBox(6, undo, redo, reset);
        if (dialogs != null) {
            Button save = new Button("Save plan\u2026");
            save.setId("tensor-save");
            save.setMinWidth(Region.USE_PREF_SIZE);
            save.setTooltip(new Tooltip("Save this tensor-parallel plan for airshard run --plan"));
            save.setOnAction(e -> vm.savePlan(dialogs, null, p -> status.accept("Saved plan " + p)));
            save.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> !vm.canSave(),
                    vm.planProperty(), vm.issuesProperty()));
            undoBox.getChildren().add(save);
        }
        undoBox.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.layout.FlowPane editor = new javafx.scene.layout.FlowPane(12, 4, shareBox, countBox, undoBox);
        editor.setAlignment(Pos.CENTER_LEFT);
        shareBox.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        countBox.disableProperty().bind(shareBox.disableProperty());

        share.valueProperty().addListener((o, a, b) -> shareText.setText(String.format(Locale.ROOT, "%.3f", b.doubleValue())));
        share.valueChangingProperty().addListener((o, was, now) -> {
            if (!now) {
                commitShare(vm, share.getValue());
            }
        });
        share.setOnMouseReleased(e -> commitShare(vm, share.getValue()));
        share.setOnKeyReleased(e -> commitShare(vm, share.getValue()));
        groups.valueProperty().addListener((o, a, b) -> {
            TensorPlanViewModel.Row r = table.getSelectionModel().getSelectedItem();
            if (!updating && r != null && b != null && b != r.kvGroups()) {
                vm.setKvGroups(r.deviceId(), b);
            }
        });
        columns.valueProperty().addListener((o, a, b) -> {
            TensorPlanViewModel.Row r = table.getSelectionModel().getSelectedItem();
            if (!updating && r != null && b != null && b != r.ffnColumns()) {
                vm.setFfnColumns(r.deviceId(), b);
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r == null) {
                board.setText("select a board");
                return;
            }
            updating = true;
            board.setText(r.deviceId());
            share.setValue(r.share());
            groups.getValueFactory().setValue(r.kvGroups());
            columns.getValueFactory().setValue(r.ffnColumns());
            updating = false;
        });

        table.setId("tensor-plan-table");
        table.setPlaceholder(new Label("No tensor plan yet: run the optimiser."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(col("Board", TensorPlanViewModel.Row::deviceId, 80));
        table.getColumns().add(col("Share", r -> String.format(Locale.ROOT, "%.3f", r.share()), 60));
        table.getColumns().add(col("Held", r -> String.format(Locale.ROOT, "%.1f%%", r.roundedShare() * 100), 60));
        table.getColumns().add(col("KV", r -> Integer.toString(r.kvGroups()), 40));
        table.getColumns().add(col("MLP", r -> Integer.toString(r.ffnColumns()), 60));
        table.getColumns().add(col("Memory (usable)", r -> Units.formatBytes((long) r.memoryBytes()) + " ("
                + Units.formatBytes((long) r.usableBytes()) + ")", 160));
        table.getColumns().add(col("Compute / budget (J)", r -> String.format(Locale.ROOT, "%.3g / %.3g", r.computeJ(),
                r.budgetJ()), 150));
        table.getColumns().add(col("Rules", r -> r.broken() ? "\u2716 " + String.join("; ", r.errors()) : "\u2714", 80));
        table.setRowFactory(tv -> new TableRow<>() {
            @Override
            protected void updateItem(TensorPlanViewModel.Row item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().remove("broken-row");
                setTooltip(null);
                if (!empty && item != null && item.broken()) {
                    getStyleClass().add("broken-row");
                    setTooltip(new Tooltip(String.join("\n", item.errors())));
                }
            }
        });
        vm.rowsProperty().addListener((o, a, rows) -> {
            String sel = table.getSelectionModel().getSelectedItem() == null ? null
                    : table.getSelectionModel().getSelectedItem().deviceId();
            updating = true;
            table.getItems().setAll(rows);
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).deviceId().equals(sel)) {
                    table.getSelectionModel().select(i);
                }
            }
            updating = false;
        });
        VBox.setVgrow(table, Priority.ALWAYS);

        Label issues = new Label();
        issues.setId("tensor-plan-issues");
        issues.getStyleClass().addAll("property-message", "error");
        issues.setWrapText(true);
        issues.setMinHeight(Region.USE_PREF_SIZE);
        issues.setVisible(false);
        issues.managedProperty().bind(issues.visibleProperty());
        vm.issuesProperty().addListener((o, a, list) -> {
            var global = list.stream().filter(ValidationIssue::isError).filter(i -> i.subjectId() == null || i.subjectId().isEmpty())
                    .map(ValidationIssue::message).toList();
            issues.setText(String.join("\n", global));
            issues.setVisible(!global.isEmpty());
        });
        setSpacing(4);
        setPadding(new Insets(4, 8, 4, 8));
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
        getChildren().addAll(summary, editor, issues, table);
    }

    public TableView<TensorPlanViewModel.Row> table() {
        return table;
    }

    private void commitShare(TensorPlanViewModel vm, double value) {
        TensorPlanViewModel.Row r = table.getSelectionModel().getSelectedItem();
        if (!updating && r != null && Math.abs(value - r.share()) > 1e-4) {
            vm.setShare(r.deviceId(), value);
        }
    }

    private static TableColumn<TensorPlanViewModel.Row, String> col(String title,
            Function<TensorPlanViewModel.Row, String> value, double width) {
        TableColumn<TensorPlanViewModel.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }
}
