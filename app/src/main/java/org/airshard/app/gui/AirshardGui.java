package org.airshard.app.gui;

import javafx.application.Application;

/**
 * Entry point for the desktop GUI. The fat jar's main class ({@code org.airshard.app.Main}) calls this;
 * because that class does not extend {@code javafx.application.Application}, the JavaFX runtime on the
 * class path starts without the module path.
 *
 * <p>Arguments: an optional topology file to open. {@code -Dairshard.topology=FILE} does the same;
 * {@code -Dairshard.dark=true} starts in the dark theme; {@code -Dairshard.home=DIR} moves the recent-file
 * list and autosave (default {@code ~/.airshard}).
 */
public final class AirshardGui {

    private AirshardGui() {
    }

    /** Opens the main window; returns when it is closed. */
    public static void launch(String[] args) {
        Application.launch(AirshardApp.class, args);
    }

    public static void main(String[] args) {
        launch(args);
    }
}
