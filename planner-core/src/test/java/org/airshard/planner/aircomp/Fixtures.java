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
        /** CVXOPT's time with its faster formulation (a formulation not run or failed is NaN). */
        public double cvxoptBestSeconds() {
            if (Double.isNaN(cvxoptPrimalSeconds)) {
                return cvxoptDualSeconds;
            }
            return Double.isNaN(cvxoptDualSeconds) ? cvxoptPrimalSeconds : Math.min(cvxoptPrimalSeconds, cvxoptDualSeconds);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Fixtures() {
    }

    private static double numberOrNaN(JsonNode n) {
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }

    public static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/aircomp/references.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Instance> all() {
        return load(dir());
    }

    /** Instances of a directory laid out like the fixtures (problem files + references.json). */
    public static List<Instance> load(Path dir) {
        try {
            JsonNode refs = new ObjectMapper().readTree(dir.resolve("references.json").toFile());
            List<Instance> out = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = refs.get("instances").properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Path file = dir.resolve(e.getKey() + ".json");
                out.add(new Instance(e.getKey(), file, AircompProblemIo.read(file), e.getValue().get("sdpValue").asDouble(),
                        numberOrNaN(e.getValue().get("cvxoptPrimalSeconds")),
                        numberOrNaN(e.getValue().get("cvxoptDualSeconds"))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InputException e) {
            throw new IllegalStateException("fixture does not parse: " + e.getMessage(), e);
        }
    }
}
