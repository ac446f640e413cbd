package org.airshard.executor.board;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trust-on-first-use store of board certificate fingerprints: one line {@code host:port fingerprint} per
 * board, by default in {@code ~/.airshard/known-boards}.
 */
public final class KnownBoards {

    private final Path file;
    private final Map<String, String> pins = new LinkedHashMap<>();

    public KnownBoards(Path file) throws IOException {
        this.file = file;
        if (file != null && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 2 && !line.startsWith("#")) {
                    pins.put(p[0], p[1]);
                }
            }
        }
    }

    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".airshard", "known-boards");
    }

    /** In-memory only (tests). */
    public static KnownBoards inMemory() {
        try {
            return new KnownBoards(null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized String pin(String address) {
        return pins.get(address);
    }

    public synchronized void remember(String address, String fingerprint) {
        if (fingerprint.equals(pins.put(address, fingerprint)) || file == null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            StringBuilder sb = new StringBuilder("# AirShard board certificate pins (trust on first use)\n");
            pins.forEach((a, f) -> sb.append(a).append(' ').append(f).append('\n'));
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
