package org.airshard.app.gui.files;

import java.nio.file.Path;

/**
 * Where the desktop app keeps its own files (recent list, autosave): {@code -Dairshard.home=DIR}, else
 * {@code ~/.airshard}.
 */
public final class AppHome {

    private AppHome() {
    }

    public static Path dir() {
        String p = System.getProperty("airshard.home");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return Path.of(System.getProperty("user.home"), ".airshard");
    }
}
