package org.airshard.app.gui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/** Minimal main window placeholder; the GUI work replaces it. */
public final class AirshardGui {

    private AirshardGui() {
    }

    /** Opens the main window (blocks until it closes). */
    public static void launch(String[] args) {
        Application.launch(App.class, args);
    }

    /** The JavaFX application. */
    public static final class App extends Application {
        @Override
        public void start(Stage stage) {
            stage.setTitle("AirShard");
            stage.setScene(new Scene(new BorderPane(new Label("AirShard")), 800, 600));
            stage.show();
        }
    }
}
