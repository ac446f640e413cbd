package org.airshard.app.gui.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;
import org.airshard.planner.topology.TopologyReader;

/**
 * Sample topologies packaged on the class path under {@code org/airshard/samples/*.json}. The folder is
 * listed from the jar or the classes directory it lives in, so adding a sample needs no code change.
 */
public final class Samples {

    public static final String FOLDER = "org/airshard/samples/";
    /** The sample the GUI opens when started without a file. */
    public static final String DEFAULT = FOLDER + "local-demo.json";

    /** A sample: its resource name and a display name derived from the file name. */
    public record Sample(String resource, String displayName) {
    }

    private Samples() {
    }

    private static volatile List<Sample> cached;

    /** Samples found on the class path, sorted by file name; empty when none are packaged. Cached. */
    public static List<Sample> list() {
        List<Sample> c = cached;
        if (c == null) {
            c = List.copyOf(scan());
            cached = c;
        }
        return c;
    }

    private static List<Sample> scan() {
        List<Sample> out = new ArrayList<>();
        ClassLoader cl = Samples.class.getClassLoader();
        try {
            var urls = cl.getResources(FOLDER);
            while (urls.hasMoreElements()) {
                URL u = urls.nextElement();
                for (String name : listFolder(u)) {
                    if (name.endsWith(".json") && !name.endsWith(".schema.json")
                            && out.stream().noneMatch(s -> s.resource().equals(FOLDER + name))) {
                        out.add(new Sample(FOLDER + name, displayName(name)));
                    }
                }
            }
        } catch (IOException e) {
            // no samples
        }
        out.sort((a, b) -> a.resource().compareTo(b.resource()));
        return out;
    }

    private static List<String> listFolder(URL u) {
        List<String> names = new ArrayList<>();
        try {
            URI uri = u.toURI();
            if ("file".equals(uri.getScheme())) {
                try (Stream<Path> s = Files.list(Path.of(uri))) {
                    s.forEach(p -> names.add(p.getFileName().toString()));
                }
            } else if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                boolean close = false;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                    close = true;
                }
                try (Stream<Path> s = Files.list(fs.getPath(FOLDER))) {
                    s.forEach(p -> names.add(p.getFileName().toString().replace("/", "")));
                } finally {
                    if (close) {
                        fs.close();
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // leave it empty
        }
        return names;
    }

    static String displayName(String fileName) {
        String base = fileName.replaceAll("\\.json$", "").replace('-', ' ').replace('_', ' ');
        return base.isEmpty() ? fileName : Character.toUpperCase(base.charAt(0)) + base.substring(1);
    }

    /** Whether a resource exists on the class path. */
    public static boolean exists(String resource) {
        return Samples.class.getClassLoader().getResource(resource) != null;
    }

    /** Reads a sample. */
    public static TopologyReader.Result read(String resource) throws InputException {
        try (InputStream in = Samples.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new InputException(resource, "", "sample not found on the class path");
            }
            return TopologyReader.read(Json.parse(resource, in.readAllBytes()));
        } catch (IOException e) {
            throw new InputException(resource, "", "cannot read sample: " + e.getMessage());
        }
    }

    public static Optional<Sample> byResource(String resource) {
        return list().stream().filter(s -> s.resource().equals(resource)).findFirst();
    }
}
