package org.airshard.planner.aircomp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.airshard.planner.io.InputException;

/** The CVXOPT reference instances in src/test/resources/aircomp (see src/test/python/gen_aircomp_fixtures.py). */
public final class Fixtures {

    /** One instance: its problem file, the parsed problem and the CVXOPT optimum of the SDR. */
    public record Instance(String name, Path file, AircompProblem problem, double sdpValue, double cvxoptPrimalSeconds,
            double cvxoptDualSeconds) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Fixtures() {
    }

    public static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/aircomp/references.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Instance> all() {
        try {
            JsonNode refs = new ObjectMapper().readTree(dir().resolve("references.json").toFile());
            List<Instance> out = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = refs.get("instances").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Path file = dir().resolve(e.getKey() + ".json");
                out.add(new Instance(e.getKey(), file, AircompProblemIo.read(file), e.getValue().get("sdpValue").asDouble(),
                        e.getValue().get("cvxoptPrimalSeconds").asDouble(), e.getValue().get("cvxoptDualSeconds").asDouble()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InputException e) {
            throw new IllegalStateException("fixture does not parse: " + e.getMessage(), e);
        }
    }
}
