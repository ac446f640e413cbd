package org.airshard.app.gui.topology;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.airshard.planner.topology.DeviceKind;

/**
 * Palette: the select tool, one button per device kind (arms the canvas to place that kind on the next
 * click; Shift+click places several), and the link tool.
 */
public final class PalettePanel extends VBox {

    private final ToggleGroup group = new ToggleGroup();
    private boolean syncing;

    public PalettePanel(TopologyCanvas canvas) {
        getStyleClass().add("palette");
        setId("palette");
        setSpacing(4);
        setPadding(new Insets(10, 8, 10, 8));
        Label title = new Label("TOOLS");
        title.getStyleClass().add("property-group");
        ToggleButton select = button("Select", NodeGlyphs.pointerIcon(18), "select",
                "Select, move, rubber-band (Esc)");
        select.setSelected(true);
        getChildren().addAll(title, select);
        Label devices = new Label("DEVICES");
        devices.getStyleClass().add("property-group");
        VBox.setMargin(devices, new Insets(8, 0, 0, 0));
        getChildren().add(devices);
        for (DeviceKind k : DeviceKind.values()) {
            ToggleButton b = button(k.displayName(), swatch(k), "place-" + k.id(),
                    "Place a " + k.displayName() + ": click on the canvas (Shift+click to place several)");
            b.setUserData(k);
            getChildren().add(b);
        }
        Label links = new Label("LINKS");
        links.getStyleClass().add("property-group");
        VBox.setMargin(links, new Insets(8, 0, 0, 0));
        ToggleButton link = button("Digital link", NodeGlyphs.linkIcon(18), "link",
                "Connect two nodes with a digital link: click one, then the other");
        link.setUserData("link");
        getChildren().addAll(links, link);

        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (syncing) {
                return;
            }
            syncing = true;
            try {
                if (b == null) {
                    select.setSelected(true);
                    canvas.placeKindProperty().set(null);
                    canvas.linkModeProperty().set(false);
                    return;
                }
                Object data = b.getUserData();
                canvas.placeKindProperty().set(data instanceof DeviceKind k ? k : null);
                canvas.linkModeProperty().set("link".equals(data));
            } finally {
                syncing = false;
            }
        });
        canvas.placeKindProperty().addListener((o, a, k) -> syncFromCanvas(canvas, select));
        canvas.linkModeProperty().addListener((o, a, k) -> syncFromCanvas(canvas, select));
    }

    private void syncFromCanvas(TopologyCanvas canvas, ToggleButton select) {
        if (syncing) {
            return;
        }
        syncing = true;
        try {
            DeviceKind k = canvas.placeKindProperty().get();
            boolean link = canvas.linkModeProperty().get();
            group.getToggles().forEach(t -> {
                Object d = t.getUserData();
                boolean on = (k != null && d == k) || (link && "link".equals(d));
                t.setSelected(on);
            });
            if (k == null && !link) {
                select.setSelected(true);
            }
        } finally {
            syncing = false;
        }
    }

    private ToggleButton button(String text, Node graphic, String id, String tip) {
        ToggleButton b = new ToggleButton(text, graphic);
        b.setId("tool-" + id);
        b.setToggleGroup(group);
        b.setContentDisplay(ContentDisplay.LEFT);
        b.setAlignment(Pos.CENTER_LEFT);
        b.setMaxWidth(Double.MAX_VALUE);
        b.setTooltip(new Tooltip(tip));
        b.getStyleClass().add("palette-button");
        return b;
    }

    private static Node swatch(DeviceKind k) {
        Rectangle r = new Rectangle(22, 22);
        r.setArcWidth(7);
        r.setArcHeight(7);
        r.getStyleClass().addAll("node-body", "kind-" + k.id());
        Node icon = NodeGlyphs.icon(k, 14);
        StackPane p = new StackPane(r, icon);
        p.setMinSize(22, 22);
        p.setMaxSize(22, 22);
        return p;
    }
}
