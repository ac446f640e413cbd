package org.airshard.planner.aircomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.airshard.planner.io.InputException;
import org.airshard.planner.io.InputProblem;
import org.ejml.data.ZMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problem/solution file formats and every kind of bad input. */
class AircompProblemIoTest {

    @TempDir
    Path tmp;

    /** A valid 2-device problem, N_r = 3, N_t = 2, L = 2, as JSON with placeholders replaced by callers. */
    static String problem(String d1Budget, String d1Compute, String d2H, int streams) {
        return """
            {"format": "airshard.aircomp-problem/1", "noisePower": 1e-3, "streams": %d, "payloadSymbols": 1024,
             "devices": [
               {"id": "alpha", "budget": %s, "computeEnergy": %s,
                "H": {"re": [[1.0, 0.2], [0.1, 0.9], [0.3, 0.4]], "im": [[0.0, 0.1], [0.2, 0.0], [0.1, 0.3]]}},
               {"id": "beta", "budget": 1.5, "computeEnergy": 0.2, "H": %s}
             ]}
            """.formatted(streams, d1Budget, d1Compute, d2H);
    }

    static final String GOOD_H = "{\"re\": [[0.5, 0.1], [0.2, 0.7], [0.9, 0.3]], \"im\": [[0.1, 0.0], [0.0, 0.2], [0.3, 0.1]]}";

    InputException bad(String json) {
        return assertThrows(InputException.class, () -> AircompProblemIo.parse(json, "p.json"));
    }

    static void assertMentions(InputException e, String... words) {
        String all = String.join(" | ", e.problems().stream().map(InputProblem::toString).toList());
        for (String w : words) {
            assertTrue(all.contains(w), "message should mention '" + w + "': " + all);
        }
        assertTrue(all.startsWith("p.json: "), all);
    }

    @Test
    void readsAValidProblem() throws Exception {
        AircompProblem p = AircompProblemIo.parse(problem("1.2", "0.3", GOOD_H, 2), "p.json");
        assertEquals(2, p.devices().size());
        assertEquals(3, p.receiveAntennas());
        assertEquals(0.9, p.devices().get(0).transmitBudget(), 1e-15);
        assertEquals(0.2, p.devices().get(0).channel().getImag(1, 0), 0.0);
        assertEquals(512.0, p.channelUsesPerAllReduce(), 0.0);
        assertTrue(p.sdrApplicable());
    }

    @Test
    void infeasibleBudgetNamesTheDevice() {
        InputException e = bad(problem("0.3", "0.3", GOOD_H, 2));
        assertMentions(e, "device 'alpha'", "$.devices[0].budget", "E_n = 0.0");
        bad(problem("0.2", "0.3", GOOD_H, 2));
    }

    @Test
    void nonNumericAndNonFiniteValues() {
        assertMentions(bad(problem("\"lots\"", "0.3", GOOD_H, 2)), "device 'alpha'", "$.devices[0].budget", "\"lots\"");
        String nanH = "{\"re\": [[0.5, \"NaN\"], [0.2, 0.7], [0.9, 0.3]], \"im\": [[0.1, 0.0], [0.0, 0.2], [0.3, 0.1]]}";
        assertMentions(bad(problem("1.2", "0.3", nanH, 2)), "device 'beta'", "$.devices[1].H.re[0][1]", "\"NaN\"");
        // NaN/Inf reaching the model directly (not through JSON)
        ZMatrixRMaj h = new ZMatrixRMaj(3, 1);
        h.set(0, 0, 1, 0);
        h.set(1, 0, Double.POSITIVE_INFINITY, 0);
        InputException e = assertThrows(InputException.class, () -> AircompProblem.of("p.json", 1e-3, 1, 8,
                List.of(new AircompDevice("gamma", h, 1, 0.1))));
        assertMentions(e, "device 'gamma'", "non-finite", "$.devices[0].H[1][0]");
    }

    @Test
    void mismatchedDimensions() {
        String ragged = "{\"re\": [[0.5, 0.1], [0.2], [0.9, 0.3]], \"im\": [[0.1, 0.0], [0.0, 0.2], [0.3, 0.1]]}";
        assertMentions(bad(problem("1.2", "0.3", ragged, 2)), "device 'beta'", "$.devices[1].H.re[1]", "mismatched");
        String reIm = "{\"re\": [[0.5, 0.1], [0.2, 0.7], [0.9, 0.3]], \"im\": [[0.1, 0.0], [0.0, 0.2]]}";
        assertMentions(bad(problem("1.2", "0.3", reIm, 2)), "device 'beta'", "$.devices[1].H", "re is 3x2 but im is 2x2");
        String fourRows = "{\"re\": [[0.5, 0.1], [0.2, 0.7], [0.9, 0.3], [1, 1]], \"im\": [[0, 0], [0, 0], [0, 0], [0, 0]]}";
        assertMentions(bad(problem("1.2", "0.3", fourRows, 2)), "device 'beta'", "4 rows", "receive antennas");
    }

    @Test
    void tooFewReceiveOrTransmitAntennas() {
        assertMentions(bad(problem("1.2", "0.3", GOOD_H, 4)), "device 'alpha'", "N_r = 3", "L = 4");
        assertMentions(bad(problem("1.2", "0.3", GOOD_H, 3)), "device 'alpha'", "N_t = 2", "L = 3");
    }

    @Test
    void rankDeficientChannel() {
        String rank1 = "{\"re\": [[1, 2], [2, 4], [3, 6]], \"im\": [[0, 0], [0, 0], [0, 0]]}";
        assertMentions(bad(problem("1.2", "0.3", rank1, 2)), "device 'beta'", "rank-deficient", "rank 1 < L = 2");
        // rank 1 is enough for one stream
        assertTrue(assertDoesNotThrowParse(problem("1.2", "0.3", rank1, 1)).devices().size() == 2);
    }

    static AircompProblem assertDoesNotThrowParse(String json) {
        try {
            return AircompProblemIo.parse(json, "p.json");
        } catch (InputException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void structuralErrors() {
        assertMentions(bad("{\"format\": \"something/2\", \"noisePower\": 1, \"streams\": 1, \"payloadSymbols\": 1, \"devices\": []}"),
                "$.format", "something/2");
        assertMentions(bad("{\"format\": \"airshard.aircomp-problem/1\", \"noisePower\": 1e-3, \"streams\": 1.5,"
                + " \"payloadSymbols\": 10, \"devices\": []}"), "$.streams", "1.5");
        assertMentions(bad("{\"format\": \"airshard.aircomp-problem/1\", \"noisePower\": 1e-3, \"streams\": 1,"
                + " \"payloadSymbols\": 10, \"devices\": []}"), "$.devices", "at least one device");
        assertMentions(bad("{\"format\": \"airshard.aircomp-problem/1\", \"noisePower\": -1, \"streams\": 1,"
                + " \"payloadSymbols\": 10, \"devices\": [{\"id\": \"x\", \"budget\": 1, \"computeEnergy\": 0,"
                + " \"H\": {\"re\": [[1]], \"im\": [[0]]}}]}"), "$.noisePower", "-1");
        assertMentions(bad("{\"format\": \"airshard.aircomp-problem/1\", \"devices\": [{\"id\": \"x\"}]}"),
                "$.noisePower", "$.devices[0].budget", "device 'x'", "$.devices[0].H", "missing");
        InputException e = bad("{\"format\": ");
        assertMentions(e, "not valid JSON", "line 1");
        String dup = problem("1.2", "0.3", GOOD_H, 2).replace("\"beta\"", "\"alpha\"");
        assertMentions(bad(dup), "duplicate id");
    }

    @Test
    void missingFileIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> AircompProblemIo.read(tmp.resolve("nope.json")));
        assertTrue(e.getMessage().contains("nope.json") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void writesTheSolutionFormatAtomically() throws Exception {
        AircompProblem p = AircompProblemIo.parse(problem("1.2", "0.3", GOOD_H, 2), "p.json");
        ShortTermResult r = ShortTermSolver.solve(p, ShortTermOptions.DEFAULT.withRandomizationSamples(50));
        Path out = tmp.resolve("sub/S.json");
        AircompProblemIo.write(p, r, out);
        AircompProblemIo.write(p, r, out); // overwrite works
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no temporary files left behind");
        }
        JsonNode s = AircompProblemIo.readTree(out);
        assertEquals("airshard.aircomp-solution/1", s.get("format").asText());
        assertEquals("OPTIMAL", s.get("status").asText());
        for (String f : List.of("sdpValue", "alphaPrincipal", "alphaRandomized", "alpha", "mse", "solveMillis")) {
            assertTrue(s.get(f).isNumber(), f);
        }
        assertEquals(r.alpha(), s.get("alpha").asDouble(), 0.0);
        ZMatrixRMaj a = AircompProblemIo.matrixFromJson(s.get("A"));
        assertEquals(3, a.numRows);
        assertEquals(2, a.numCols);
        assertEquals(r.a().getImag(2, 1), a.getImag(2, 1), 0.0);
        assertEquals(2, s.get("B").size());
        ZMatrixRMaj b1 = AircompProblemIo.matrixFromJson(s.get("B").get(1));
        assertEquals(r.b().get(1).getReal(1, 0), b1.getReal(1, 0), 0.0);
        assertEquals("beta", s.get("devices").get(1).get("id").asText());
        assertFalse(s.get("fallback").asBoolean());
    }

    @Test
    void fixtureFilesParse() throws IOException {
        assertEquals(13, Fixtures.all().size());
    }
}
