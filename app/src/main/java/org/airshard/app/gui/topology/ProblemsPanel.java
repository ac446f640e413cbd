package org.airshard.app.gui.topology;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.airshard.planner.topology.ValidationIssue;

/**
 * Every validator finding for the document; clicking one selects the item it is about (and the
 * property sheet shows the message next to the offending value).
 */
public final class ProblemsPanel extends VBox {

    private final ListView<ValidationIssue> list = new ListView<>();
    private final Label heading = new Label();

    public ProblemsPanel(TopologyEditorViewModel vm) {
        getStyleClass().add("problems-panel");
        setId("problems-panel");
        heading.getStyleClass().add("panel-heading");
        HBox head = new HBox(heading);
        head.setPadding(new Insets(6, 10, 4, 10));
        list.setId("problems-list");
        list.setPlaceholder(new Label("No problems: the topology is valid."));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(ValidationIssue item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("problem-error", "problem-warning");
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                Label sev = new Label(item.isError() ? "ERROR" : "WARN");
                sev.getStyleClass().addAll("severity", item.isError() ? "error" : "warning");
                sev.setMinWidth(Region.USE_PREF_SIZE);
                Label msg = new Label(item.message());
                msg.getStyleClass().add("problem-message");
                msg.setMaxWidth(Double.MAX_VALUE);
                msg.setMinWidth(0);
                msg.setTooltip(new javafx.scene.control.Tooltip(item.message()));
                HBox.setHgrow(msg, Priority.ALWAYS);
                Label path = new Label(item.path());
                path.getStyleClass().add("problem-path");
                path.setMinWidth(Region.USE_PREF_SIZE);
                HBox row = new HBox(8, sev, msg, path);
                row.setAlignment(Pos.CENTER_LEFT);
                row.setMinWidth(0);
                // fit the list's width: long messages are cut with "..." (full text in the tooltip)
                row.prefWidthProperty().bind(list.widthProperty().subtract(34));
                row.maxWidthProperty().bind(list.widthProperty().subtract(34));
                setText(null);
                setGraphic(row);
                getStyleClass().add(item.isError() ? "problem-error" : "problem-warning");
            }
        });
        list.setOnMouseClicked(e -> {
            ValidationIssue i = list.getSelectionModel().getSelectedItem();
            if (i != null) {
                vm.selectIssue(i);
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER) {
                ValidationIssue i = list.getSelectionModel().getSelectedItem();
                if (i != null) {
                    vm.selectIssue(i);
                }
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(head, list);
        vm.reportProperty().addListener((o, a, r) -> show(r));
        show(vm.report());
    }

    private void show(org.airshard.planner.topology.ValidationReport r) {
        list.getItems().setAll(r.issues());
        int e = r.errors().size(), w = r.warnings().size();
        heading.setText("Problems  \u00b7  " + e + (e == 1 ? " error" : " errors") + ", " + w
                + (w == 1 ? " warning" : " warnings"));
    }

    public ListView<ValidationIssue> list() {
        return list;
    }
}
