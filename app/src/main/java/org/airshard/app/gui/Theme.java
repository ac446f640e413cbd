package org.airshard.app.gui;

import java.net.URL;
import javafx.scene.Scene;

/** The CSS theme from the assets module: a base stylesheet plus a dark variant toggled by a style class. */
public final class Theme {

    public static final String BASE = "/org/airshard/assets/css/airshard.css";

    private Theme() {
    }

    public static void apply(Scene scene, boolean dark) {
        URL css = Theme.class.getResource(BASE);
        if (css != null && !scene.getStylesheets().contains(css.toExternalForm())) {
            scene.getStylesheets().add(css.toExternalForm());
        }
        setDark(scene, dark);
    }

    public static void setDark(Scene scene, boolean dark) {
        var classes = scene.getRoot().getStyleClass();
        classes.remove("dark");
        if (dark) {
            classes.add("dark");
        }
    }
}
