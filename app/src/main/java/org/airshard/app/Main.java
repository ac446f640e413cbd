package org.airshard.app;

import org.airshard.app.cli.AirshardCli;
import org.airshard.app.gui.AirshardGui;

/**
 * Entry point of the fat jar. With no arguments (or {@code gui [FILE]}) it opens the desktop application;
 * otherwise it runs the command line. Not a JavaFX Application subclass, so the jar runs on the class path.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            AirshardGui.launch(args);
            return;
        }
        int code = AirshardCli.run(args, System.out, System.err);
        if (code != AirshardCli.GUI_REQUESTED) {
            System.exit(code);
        }
    }
}
