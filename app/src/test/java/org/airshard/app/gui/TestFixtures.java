package org.airshard.app.gui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyReader;

/** The test topology (an access point, three boards, one link) as a resource, a file or a value. */
public final class TestFixtures {

    public static final String RESOURCE = "org/airshard/app/gui/fixture-lab.json";

    private TestFixtures() {
    }

    /** Copies the fixture into {@code dir} and returns the file. */
    public static Path copyTo(Path dir) {
        try (InputStream in = TestFixtures.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            Path p = dir.resolve("fixture-lab.json");
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Topology topology(Path tmp) {
        try {
            return TopologyReader.read(copyTo(tmp)).topology();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
