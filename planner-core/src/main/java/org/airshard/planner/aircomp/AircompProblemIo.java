package org.airshard.planner.aircomp;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.airshard.planner.io.InputException;
import org.airshard.planner.io.InputProblem;
import org.ejml.data.ZMatrixRMaj;

/**
 * Reads {@code airshard.aircomp-problem/1} and writes {@code airshard.aircomp-solution/1} files (formats in
 * spec/architecture.md). Complex matrices are {@code {"re": [[...]...], "im": [[...]...]}}, row major, one
 * inner array per row. Bad input gives an {@link InputException} naming the file, the JSON path and the value;
 * every problem found in one pass is reported. Unknown fields are ignored.
 */
public final class AircompProblemIo {

    public static final String PROBLEM_FORMAT = "airshard.aircomp-problem/1";
    public static final String SOLUTION_FORMAT = "airshard.aircomp-solution/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AircompProblemIo() {
    }

    /** Reads and validates a problem file. */
    public static AircompProblem read(Path file) throws InputException {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputException(source, "", "file not found");
        } catch (IOException e) {
            throw new InputException(List.of(new InputProblem(source, "", "cannot read file: " + e.getMessage())), e);
        }
        return parse(text, source);
    }

    /**
     * Parses and validates a problem from JSON text.
     *
     * @param source name used in messages (e.g. the file name)
     */
    public static AircompProblem parse(String json, String source) throws InputException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InputException(List.of(new InputProblem(source, "", "not valid JSON" + where + ": "
                    + e.getOriginalMessage())), e);
        }
        if (root == null || !root.isObject()) {
            throw new InputException(source, "$", "expected a JSON object with \"format\": \"" + PROBLEM_FORMAT + "\"");
        }
        List<InputProblem> problems = new ArrayList<>();
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !PROBLEM_FORMAT.equals(format.asText())) {
            problems.add(new InputProblem(source, "$.format", "expected \"" + PROBLEM_FORMAT + "\", got " + show(format)));
        }
        double noise = number(root, "noisePower", "$.noisePower", source, problems);
        long streams = integer(root, "streams", "$.streams", source, problems);
        long payload = integer(root, "payloadSymbols", "$.payloadSymbols", source, problems);
        if (streams > 64) {
            problems.add(new InputProblem(source, "$.streams", "streams L = " + streams + " is implausibly large (max 64)"));
        }
        JsonNode devs = root.get("devices");
        List<AircompDevice> devices = new ArrayList<>();
        if (devs == null || !devs.isArray()) {
            problems.add(new InputProblem(source, "$.devices", "expected an array of devices, got " + show(devs)));
        } else {
            for (int n = 0; n < devs.size(); n++) {
                JsonNode d = devs.get(n);
                String path = "$.devices[" + n + "]";
                if (!d.isObject()) {
                    problems.add(new InputProblem(source, path, "expected a device object, got " + show(d)));
                    continue;
                }
                JsonNode idNode = d.get("id");
                String id = idNode != null && idNode.isTextual() ? idNode.asText() : null;
                if (id == null) {
                    problems.add(new InputProblem(source, path + ".id", "device " + n + ": expected a string id, got " + show(idNode)));
                    id = "#" + n;
                }
                String who = "device '" + id + "'";
                double budget = number(d, "budget", path + ".budget", source, problems, who);
                double compute = number(d, "computeEnergy", path + ".computeEnergy", source, problems, who);
                ZMatrixRMaj h = complexMatrix(d.get("H"), path + ".H", source, problems, who);
                devices.add(new AircompDevice(id, h, budget, compute));
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        return AircompProblem.of(source, noise, (int) streams, payload, devices);
    }

    private static double number(JsonNode obj, String field, String path, String source, List<InputProblem> problems) {
        return number(obj, field, path, source, problems, null);
    }

    private static double number(JsonNode obj, String field, String path, String source, List<InputProblem> problems,
            String who) {
        JsonNode v = obj.get(field);
        if (v == null || !v.isNumber()) {
            problems.add(new InputProblem(source, path, prefix(who) + "expected a number for \"" + field + "\", got " + show(v)));
            return Double.NaN;
        }
        return v.asDouble();
    }

    private static long integer(JsonNode obj, String field, String path, String source, List<InputProblem> problems) {
        JsonNode v = obj.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            problems.add(new InputProblem(source, path, "expected a whole number for \"" + field + "\", got " + show(v)));
            return 1;
        }
        return v.asLong();
    }

    private static ZMatrixRMaj complexMatrix(JsonNode node, String path, String source, List<InputProblem> problems,
            String who) {
        if (node == null || !node.isObject()) {
            problems.add(new InputProblem(source, path, prefix(who) + "expected {\"re\": [[...]], \"im\": [[...]]}, got " + show(node)));
            return null;
        }
        double[][] re = realMatrix(node.get("re"), path + ".re", source, problems, who);
        double[][] im = realMatrix(node.get("im"), path + ".im", source, problems, who);
        if (re == null || im == null) {
            return null;
        }
        if (re.length != im.length || re[0].length != im[0].length) {
            problems.add(new InputProblem(source, path, prefix(who) + "re is " + re.length + "x" + re[0].length
                    + " but im is " + im.length + "x" + im[0].length));
            return null;
        }
        ZMatrixRMaj m = new ZMatrixRMaj(re.length, re[0].length);
        for (int i = 0; i < re.length; i++) {
            for (int j = 0; j < re[0].length; j++) {
                m.set(i, j, re[i][j], im[i][j]);
            }
        }
        return m;
    }

    private static double[][] realMatrix(JsonNode node, String path, String source, List<InputProblem> problems, String who) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add(new InputProblem(source, path, prefix(who) + "expected a non-empty array of rows, got " + show(node)));
            return null;
        }
        int rows = node.size();
        int cols = -1;
        double[][] out = new double[rows][];
        boolean ok = true;
        for (int i = 0; i < rows; i++) {
            JsonNode row = node.get(i);
            if (!row.isArray() || row.isEmpty()) {
                problems.add(new InputProblem(source, path + "[" + i + "]", prefix(who) + "expected a non-empty row array, got " + show(row)));
                ok = false;
                continue;
            }
            if (cols < 0) {
                cols = row.size();
            } else if (row.size() != cols) {
                problems.add(new InputProblem(source, path + "[" + i + "]", prefix(who) + "row has " + row.size()
                        + " entries but row 0 has " + cols + " (mismatched dimensions)"));
                ok = false;
                continue;
            }
            out[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                JsonNode v = row.get(j);
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    problems.add(new InputProblem(source, path + "[" + i + "][" + j + "]",
                            prefix(who) + "expected a finite number, got " + show(v)));
                    ok = false;
                } else {
                    out[i][j] = v.asDouble();
                }
            }
        }
        return ok ? out : null;
    }

    private static String prefix(String who) {
        return who == null ? "" : who + ": ";
    }

    private static String show(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing (missing)";
        }
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** The solution as a JSON tree ({@code airshard.aircomp-solution/1}). */
    public static ObjectNode toJson(AircompProblem problem, ShortTermResult s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", SOLUTION_FORMAT);
        root.put("status", s.status());
        putNumber(root, "sdpValue", s.sdpValue());
        putNumber(root, "alphaPrincipal", s.alphaPrincipal());
        putNumber(root, "alphaRandomized", s.alphaRandomized());
        putNumber(root, "alpha", s.alpha());
        putNumber(root, "mse", s.mse());
        root.set("A", matrixJson(s.a()));
        ArrayNode bs = root.putArray("B");
        for (ZMatrixRMaj b : s.b()) {
            bs.add(matrixJson(b));
        }
        root.put("solveMillis", s.totalNanos() / 1e6);
        if (s.sdpStatus() != null) {
            root.put("sdpStatus", s.sdpStatus().name());
            root.put("sdpIterations", s.sdpIterations());
            putNumber(root, "sdpRelativeGap", s.sdpRelativeGap());
        }
        root.put("fallback", s.fallback());
        if (s.fallback()) {
            root.put("fallbackReason", s.fallbackReason());
        }
        root.put("polishImproved", s.alpha() < s.alphaRandomized());
        ObjectNode timing = root.putObject("timingMillis");
        timing.put("sdp", s.sdpNanos() / 1e6);
        timing.put("randomization", s.randomizationNanos() / 1e6);
        timing.put("polish", s.polishNanos() / 1e6);
        ArrayNode devices = root.putArray("devices");
        for (int n = 0; n < problem.devices().size(); n++) {
            AircompDevice d = problem.devices().get(n);
            ObjectNode o = devices.addObject();
            o.put("id", d.id());
            o.put("transmitBudget", d.transmitBudget());
            o.put("transmitEnergy", s.transmitEnergy()[n]);
            o.put("binding", n == s.bindingDevice());
        }
        ObjectNode settings = root.putObject("settings");
        settings.put("randomizationSamples", s.options().randomizationSamples());
        settings.put("seed", s.options().seed());
        settings.put("polish", s.options().polish());
        return root;
    }

    private static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private static ObjectNode matrixJson(ZMatrixRMaj m) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode re = o.putArray("re");
        ArrayNode im = o.putArray("im");
        for (int i = 0; i < m.numRows; i++) {
            ArrayNode r = re.addArray();
            ArrayNode c = im.addArray();
            for (int j = 0; j < m.numCols; j++) {
                r.add(m.getReal(i, j));
                c.add(m.getImag(i, j));
            }
        }
        return o;
    }

    /** Reads a {@code {re, im}} matrix from a solution tree (used by tests and tools reading solutions back). */
    public static ZMatrixRMaj matrixFromJson(JsonNode node) {
        List<InputProblem> problems = new ArrayList<>();
        ZMatrixRMaj m = complexMatrix(node, "$", "", problems, null);
        if (m == null) {
            throw new IllegalArgumentException(problems.toString());
        }
        return m;
    }

    /**
     * Writes the solution atomically: to a temporary file in the same directory, then moved over {@code file}.
     */
    public static void write(AircompProblem problem, ShortTermResult solution, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            MAPPER.writeValue(tmp.toFile(), toJson(problem, solution));
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a solution file as a tree (for tests and tools). */
    public static JsonNode readTree(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

}
