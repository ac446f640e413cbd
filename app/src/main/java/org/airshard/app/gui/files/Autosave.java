package org.airshard.app.gui.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyReader;
import org.airshard.planner.topology.TopologyWriter;

/**
 * Crash insurance: unsaved work is written (atomically) to one autosave file every few seconds while the
 * document is dirty, and removed on save or a deliberate discard. If the app dies, the file survives and
 * the next start offers to recover it.
 *
 * <p>File format: {@code {"format": "airshard.autosave/1", "savedAt": ISO-8601, "original": path or
 * null, "topology": {...airshard.topology/1...}}}.
 */
public final class Autosave {

    public static final String FORMAT = "airshard.autosave/1";

    /** A recoverable autosave. */
    public record Recovered(Topology topology, Path original, Instant savedAt) {
    }

    private final Path file;

    public Autosave(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Writes the snapshot. Call off the UI thread. */
    public void write(Topology t, Path original) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("savedAt", Instant.now().toString());
        if (original == null) {
            root.putNull("original");
        } else {
            root.put("original", original.toAbsolutePath().toString());
        }
        root.set("topology", TopologyWriter.toTree(t));
        Json.writeAtomically(file, Json.mapper().writeValueAsString(root) + "\n");
    }

    /** The autosave left behind, if there is a readable one. */
    public Optional<Recovered> find() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = Json.readTree(file);
            if (!FORMAT.equals(root.path("format").asText())) {
                return Optional.empty();
            }
            TopologyReader.Result r = TopologyReader.read(root.path("topology"));
            if (r.topology() == null) {
                return Optional.empty();
            }
            JsonNode o = root.path("original");
            Path original = o.isTextual() ? Path.of(o.asText()) : null;
            Instant at;
            try {
                at = Instant.parse(root.path("savedAt").asText());
            } catch (java.time.format.DateTimeParseException e) {
                at = Files.getLastModifiedTime(file).toInstant();
            }
            return Optional.of(new Recovered(r.topology(), original, at));
        } catch (InputException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Removes the autosave (after a save, a discard or a recovery). */
    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort
        }
    }
}
