package org.airshard.app.gui.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.application.Platform;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.airshard.planner.topology.ValidationIssue;

/**
 * Property sheet for the selection: one row per {@link PropertyRow} with its unit, the value editor
 * (text or drop-down), and below it the refusal message or the validator's findings for that value.
 * Text commits on Enter or when focus leaves; Escape restores the current value.
 */
public final class PropertyPanel extends VBox {

    private final TopologyEditorViewModel vm;
    private final Label heading = new Label();
    private final VBox general = new VBox(4);
    private final GridPane grid = new GridPane();
    private final Map<String, RowControls> controls = new LinkedHashMap<>();
    private final Map<String, Runnable> rowActions = new java.util.HashMap<>();
    private EditTarget shownTarget;
    private List<String> shownKeys = List.of();

    private record RowControls(PropertyRow row, Control editor, Label message) {
    }

    public PropertyPanel(TopologyEditorViewModel vm) {
        this.vm = vm;
        getStyleClass().add("property-panel");
        setId("property-panel");
        heading.getStyleClass().add("panel-heading");
        heading.setId("property-heading");
        general.getStyleClass().add("general-issues");
        grid.getStyleClass().add("property-grid");
        grid.setHgap(8);
        grid.setVgap(3);
        grid.setPadding(new Insets(4, 10, 10, 10));
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setMinWidth(140);
        c0.setPrefWidth(150);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        c1.setFillWidth(true);
        ColumnConstraints c2 = new ColumnConstraints();
        c2.setMinWidth(82);
        grid.getColumnConstraints().addAll(c0, c1, c2);
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("property-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        VBox top = new VBox(6, heading, general);
        top.setPadding(new Insets(10, 10, 4, 10));
        getChildren().addAll(top, scroll);

        vm.propertyRowsProperty().addListener((o, a, b) -> refresh());
        vm.reportProperty().addListener((o, a, b) -> refreshMessages());
        vm.fieldErrors().addListener((javafx.collections.MapChangeListener<String, String>) c -> refreshMessages());
        refresh();
    }

    /** Adds a "…" button after the row with {@code key} (e.g. browse for a checkpoint). */
    public void addRowAction(String key, Runnable action) {
        rowActions.put(key, action);
        shownTarget = null;
        refresh();
    }

    private void refresh() {
        EditTarget target = vm.target();
        List<PropertyRow> rows = vm.propertyRows();
        List<String> keys = rows.stream().map(PropertyRow::key).toList();
        heading.setText(headingFor(target));
        if (Objects.equals(target, shownTarget) && keys.equals(shownKeys)) {
            // same rows: update values in place so focus and caret survive
            for (PropertyRow r : rows) {
                RowControls rc = controls.get(r.key());
                controls.put(r.key(), new RowControls(r, rc.editor(), rc.message()));
                setValue(rc.editor(), r);
            }
            refreshMessages();
            return;
        }
        shownTarget = target;
        shownKeys = keys;
        rebuild(rows);
        refreshMessages();
    }

    private String headingFor(EditTarget t) {
        if (t instanceof EditTarget.Document) {
            return "Topology: " + vm.topology().name();
        }
        if (t instanceof EditTarget.Node n) {
            return n.id().equals(vm.topology().server().id()) ? "Edge server: " + n.id() : "Device: " + n.id();
        }
        if (t instanceof EditTarget.Link l) {
            return "Digital link: " + l.key();
        }
        return ((EditTarget.Many) t).count() + " items selected";
    }

    private void rebuild(List<PropertyRow> rows) {
        grid.getChildren().clear();
        controls.clear();
        int r = 0;
        String group = null;
        for (PropertyRow row : rows) {
            if (!row.group().equals(group)) {
                group = row.group();
                Label g = new Label(group.toUpperCase(java.util.Locale.ROOT));
                g.getStyleClass().add("property-group");
                GridPane.setColumnSpan(g, 3);
                if (r > 0) {
                    GridPane.setMargin(g, new Insets(8, 0, 0, 0));
                }
                grid.add(g, 0, r++);
            }
            Label name = new Label(row.label());
            name.getStyleClass().add("property-name");
            name.setTooltip(new Tooltip(row.help()));
            Control editor = createEditor(row);
            editor.setId("prop-" + row.key());
            editor.setMaxWidth(Double.MAX_VALUE);
            Label unit = new Label(row.unit());
            unit.getStyleClass().add("property-unit");
            Label message = new Label();
            message.getStyleClass().add("property-message");
            message.setWrapText(true);
            message.setId("msg-" + row.key());
            message.setManaged(false);
            message.setVisible(false);
            grid.add(name, 0, r);
            grid.add(editor, 1, r);
            Runnable action = rowActions.get(row.key());
            if (action != null) {
                javafx.scene.control.Button b = new javafx.scene.control.Button("Browse\u2026");
                b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                b.setId("action-" + row.key());
                b.setOnAction(e -> action.run());
                b.getStyleClass().add("row-action");
                grid.add(b, 2, r);
            } else {
                grid.add(unit, 2, r);
            }
            GridPane.setHalignment(unit, HPos.LEFT);
            r++;
            grid.add(message, 1, r++, 2, 1);
            controls.put(row.key(), new RowControls(row, editor, message));
        }
    }

    private Control createEditor(PropertyRow row) {
        if (!row.choices().isEmpty()) {
            ComboBox<String> box = new ComboBox<>();
            box.getItems().setAll(row.choices());
            box.setValue(row.value());
            box.setDisable(!row.editable());
            box.valueProperty().addListener((o, a, b) -> {
                RowControls rc = controls.get(row.key());
                if (b != null && rc != null && !b.equals(rc.row().value())) {
                    Platform.runLater(() -> vm.setProperty(row.key(), b));
                }
            });
            return box;
        }
        TextField field = new TextField(row.value());
        field.setPromptText(row.prompt());
        field.setEditable(row.editable());
        if (!row.editable()) {
            field.setTooltip(new Tooltip(row.help()));
            field.getStyleClass().add("read-only");
            field.setFocusTraversable(false);
        }
        field.setOnAction(e -> commit(row.key(), field));
        field.focusedProperty().addListener((o, was, is) -> {
            if (was && !is) {
                commit(row.key(), field);
            }
        });
        field.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                RowControls rc = controls.get(row.key());
                if (rc != null) {
                    field.setText(rc.row().value());
                    vm.fieldErrors().remove(row.key());
                }
                e.consume();
            }
        });
        return field;
    }

    private void commit(String key, TextField field) {
        RowControls rc = controls.get(key);
        if (rc == null || !rc.row().editable() || field.getText().equals(rc.row().value())) {
            if (rc != null && field.getText().equals(rc.row().value())) {
                vm.fieldErrors().remove(key);
            }
            return;
        }
        vm.setProperty(key, field.getText());
    }

    private void setValue(Control editor, PropertyRow r) {
        if (editor instanceof TextField f) {
            if (!f.isFocused() && !vm.fieldErrors().containsKey(r.key()) && !f.getText().equals(r.value())) {
                f.setText(r.value());
            }
        } else if (editor instanceof ComboBox<?> box) {
            @SuppressWarnings("unchecked")
            ComboBox<String> b = (ComboBox<String>) box;
            if (!Objects.equals(b.getValue(), r.value())) {
                b.setValue(r.value());
            }
        }
    }

    private void refreshMessages() {
        for (RowControls rc : controls.values()) {
            String refused = vm.fieldErrors().get(rc.row().key());
            List<ValidationIssue> issues = vm.issuesFor(rc.row());
            List<String> lines = new ArrayList<>();
            boolean error = refused != null || issues.stream().anyMatch(ValidationIssue::isError);
            if (refused != null) {
                lines.add(refused);
            }
            issues.forEach(i -> lines.add(i.message()));
            Label m = rc.message();
            m.setText(String.join("\n", lines));
            boolean show = !lines.isEmpty();
            m.setVisible(show);
            m.setManaged(show);
            m.getStyleClass().removeAll("error", "warning");
            m.getStyleClass().add(error ? "error" : "warning");
            rc.editor().getStyleClass().removeAll("invalid", "suspect");
            if (show) {
                rc.editor().getStyleClass().add(error ? "invalid" : "suspect");
            }
        }
        general.getChildren().clear();
        for (ValidationIssue i : vm.generalIssuesForTarget()) {
            Label l = new Label(i.message());
            l.setWrapText(true);
            l.getStyleClass().addAll("property-message", i.isError() ? "error" : "warning");
            general.getChildren().add(l);
        }
    }
}
