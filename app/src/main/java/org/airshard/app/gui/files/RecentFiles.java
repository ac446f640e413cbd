package org.airshard.app.gui.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.json.Json;

/** Most-recently used topology files, newest first, kept as one path per line in a small text file. */
public final class RecentFiles {

    public static final int DEFAULT_MAX = 10;

    private final Path store;
    private final int max;

    public RecentFiles(Path store, int max) {
        this.store = store;
        this.max = max;
    }

    /** The list, newest first; files that no longer exist are left out. Never throws. */
    public List<Path> list() {
        List<Path> out = new ArrayList<>();
        try {
            if (!Files.isRegularFile(store)) {
                return out;
            }
            for (String line : Files.readAllLines(store, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Path p = Path.of(line.trim());
                    if (Files.isRegularFile(p) && !out.contains(p) && out.size() < max) {
                        out.add(p);
                    }
                } catch (java.nio.file.InvalidPathException e) {
                    // skip a corrupt line
                }
            }
        } catch (IOException e) {
            // an unreadable list is an empty list
        }
        return out;
    }

    /** Puts {@code file} first; returns false when the list could not be written. */
    public boolean add(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        List<Path> l = list();
        l.remove(abs);
        l.add(0, abs);
        while (l.size() > max) {
            l.remove(l.size() - 1);
        }
        StringBuilder sb = new StringBuilder();
        l.forEach(p -> sb.append(p).append('\n'));
        try {
            Json.writeAtomically(store, sb.toString());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public void clear() {
        try {
            Files.deleteIfExists(store);
        } catch (IOException e) {
            // nothing to do
        }
    }
}
