package org.airshard.planner.topology;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;
import org.airshard.planner.json.JsonFields;

/**
 * Reads {@code airshard.topology/1} files (schema: {@code sample-topologies/topology.schema.json}).
 * Collects every structural problem (wrong types, missing fields, out-of-range values) with its JSON
 * path instead of stopping at the first; semantic checks are {@link TopologyValidator}'s job.
 */
public final class TopologyReader {

    /** What reading produced: the topology (null if the file is not a topology at all) and the findings. */
    public record Result(Topology topology, ValidationReport report) {
    }

    private static final Set<String> TOP = Set.of("format", "name", "description", "server", "channel", "devices",
            "links", "model", "settings", "measuredChannels");
    private static final Set<String> SERVER = Set.of("id", "name", "antennas", "noisePowerDbm", "txPowerDbm",
            "flopsPerSecond", "memoryBytes", "memoryBandwidthBytesPerSecond", "position", "agent");
    private static final Set<String> CHANNEL = Set.of("ricianKDb", "pathLossExponent", "referenceLossDb",
            "referenceDistanceM", "carrierHz", "bandwidthHz", "coherenceTimeS", "antennaSpacingWavelengths");
    private static final Set<String> DEVICE = Set.of("id", "name", "kind", "antennas", "flopsPerSecond", "memoryBytes",
            "memoryBandwidthBytesPerSecond", "energyBudgetJPerLayer", "energyPerParameterJ", "maxTxPowerDbm", "position", "agent");
    private static final Set<String> LINK = Set.of("from", "to", "rateBitsPerSecond", "latencyS");
    private static final Set<String> MODEL = Set.of("preset", "checkpoint", "bytesPerParameter", "contextTokens");
    private static final Set<String> SETTINGS = Set.of("streams", "sequences", "activationBytes",
            "memoryHeadroomFraction");
    private static final Set<String> POSITION = Set.of("xM", "yM");

    private static final int MAX_ANTENNAS = 1024;
    private static final int MAX_DEVICES = 256;

    private TopologyReader() {
    }

    /** Reads a file. I/O and JSON syntax errors are thrown; content problems are returned in the report. */
    public static Result read(Path file) throws InputException {
        return read(Json.readTree(file));
    }

    /** Reads a parsed tree. */
    public static Result read(JsonNode root) {
        JsonFields f = new JsonFields();
        if (!root.isObject()) {
            f.error("$", "a topology must be a JSON object, got " + JsonFields.describe(root), "");
            return new Result(null, new ValidationReport(f.issues()));
        }
        String format = f.string(root, "$", "format", Topology.FORMAT, "");
        if (!Topology.FORMAT.equals(format)) {
            f.error("$.format", "unsupported format '" + format + "', expected '" + Topology.FORMAT + "'", "");
        }
        f.unknownFields(root, "$", TOP, "");
        String name = f.string(root, "$", "name", "Untitled topology", "");
        String description = f.string(root, "$", "description", "", "");

        EdgeServer server = readServer(f, root);
        ChannelParams channel = readChannel(f, root);
        List<Device> devices = readDevices(f, root);
        List<DigitalLink> links = readLinks(f, root);
        ModelRef model = readModel(f, root);
        PlanningSettings settings = readSettings(f, root);
        List<MeasuredChannel> measured = readMeasured(f, root);

        Topology t = new Topology(name, description, server, channel, devices, links, model, settings, measured);
        return new Result(t, new ValidationReport(f.issues()));
    }

    private static Position readPosition(JsonFields f, JsonNode parent, String path, String subject) {
        JsonNode p = f.object(parent, path, "position", true);
        if (p == null) {
            return new Position(Double.NaN, Double.NaN);
        }
        String pp = path + ".position";
        f.unknownFields(p, pp, POSITION, subject);
        return new Position(f.number(p, pp, "xM", null, null, null, subject),
                f.number(p, pp, "yM", null, null, null, subject));
    }

    private static AgentAddress readAgent(JsonFields f, JsonNode parent, String path, String subject) {
        JsonNode a = parent.get("agent");
        if (a == null || a.isNull()) {
            return null;
        }
        if (!a.isTextual()) {
            f.error(path + ".agent", "expected \"host:port\", got " + JsonFields.describe(a), subject);
            return null;
        }
        try {
            return AgentAddress.parse(a.textValue());
        } catch (IllegalArgumentException e) {
            f.error(path + ".agent", e.getMessage(), subject);
            return null;
        }
    }

    private static EdgeServer readServer(JsonFields f, JsonNode root) {
        JsonNode s = f.object(root, "$", "server", true);
        if (s == null) {
            return new EdgeServer("server", "Edge server", 0, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN,
                    new Position(Double.NaN, Double.NaN), null);
        }
        String p = "$.server";
        String id = f.string(s, p, "id", "server", "");
        f.unknownFields(s, p, SERVER, id);
        return new EdgeServer(
                id,
                f.string(s, p, "name", "Edge server", id),
                (int) f.integer(s, p, "antennas", null, 1, MAX_ANTENNAS, id),
                f.number(s, p, "noisePowerDbm", -90.0, v -> v > -250 && v < 100, "a power in dBm between -250 and 100", id),
                f.number(s, p, "txPowerDbm", 30.0, v -> v > -100 && v < 100, "a power in dBm between -100 and 100", id),
                f.number(s, p, "flopsPerSecond", 1.0e12, v -> v > 0, "positive (FLOP/s)", id),
                f.integer(s, p, "memoryBytes", 16L << 30, 1, Long.MAX_VALUE, id),
                f.number(s, p, "memoryBandwidthBytesPerSecond", 100e9, v -> v > 0, "positive (B/s)", id),
                readPosition(f, s, p, id),
                readAgent(f, s, p, id));
    }

    private static ChannelParams readChannel(JsonFields f, JsonNode root) {
        ChannelParams d = ChannelParams.defaults();
        JsonNode c = f.object(root, "$", "channel", false);
        if (c == null) {
            return d;
        }
        String p = "$.channel";
        f.unknownFields(c, p, CHANNEL, "");
        return new ChannelParams(
                f.number(c, p, "ricianKDb", d.ricianKDb(), v -> v >= -100 && v <= 100, "between -100 and 100 dB", ""),
                f.number(c, p, "pathLossExponent", d.pathLossExponent(), v -> v >= 1 && v <= 10, "between 1 and 10", ""),
                f.number(c, p, "referenceLossDb", d.referenceLossDb(), v -> v >= 0 && v <= 200, "between 0 and 200 dB", ""),
                f.number(c, p, "referenceDistanceM", d.referenceDistanceM(), v -> v > 0, "positive (m)", ""),
                f.number(c, p, "carrierHz", d.carrierHz(), v -> v > 0, "positive (Hz)", ""),
                f.number(c, p, "bandwidthHz", d.bandwidthHz(), v -> v > 0, "positive (Hz)", ""),
                f.number(c, p, "coherenceTimeS", d.coherenceTimeS(), v -> v > 0, "positive (s)", ""),
                f.number(c, p, "antennaSpacingWavelengths", d.antennaSpacingWavelengths(), v -> v > 0 && v <= 100,
                        "positive (wavelengths)", ""));
    }

    private static List<Device> readDevices(JsonFields f, JsonNode root) {
        List<Device> out = new ArrayList<>();
        JsonNode arr = f.array(root, "$", "devices", true);
        if (arr == null) {
            return out;
        }
        if (arr.size() > MAX_DEVICES) {
            f.error("$.devices", "at most " + MAX_DEVICES + " devices are supported, got " + arr.size(), "");
            return out;
        }
        for (int i = 0; i < arr.size(); i++) {
            JsonNode d = arr.get(i);
            String p = "$.devices[" + i + "]";
            if (!d.isObject()) {
                f.error(p, "expected a device object, got " + JsonFields.describe(d), "");
                continue;
            }
            String id = f.string(d, p, "id", null, "");
            f.unknownFields(d, p, DEVICE, id);
            String kindText = f.string(d, p, "kind", DeviceKind.CUSTOM.id(), id);
            DeviceKind kind = DeviceKind.fromId(kindText).orElse(null);
            if (kind == null) {
                f.error(p + ".kind", "unknown device kind '" + kindText + "' (known: " + DeviceKind.allIds() + ")", id);
                kind = DeviceKind.CUSTOM;
            }
            out.add(new Device(
                    id,
                    f.string(d, p, "name", id, id),
                    kind,
                    (int) f.integer(d, p, "antennas", (long) kind.defaultAntennas(), 1, MAX_ANTENNAS, id),
                    f.number(d, p, "flopsPerSecond", kind.defaultFlopsPerSecond(), v -> v > 0, "positive (FLOP/s)", id),
                    f.integer(d, p, "memoryBytes", kind.defaultMemoryBytes(), 1, Long.MAX_VALUE, id),
                    f.number(d, p, "memoryBandwidthBytesPerSecond", kind.defaultMemoryBandwidthBytesPerSecond(), v -> v > 0,
                            "positive (B/s)", id),
                    f.number(d, p, "energyBudgetJPerLayer", kind.defaultEnergyBudgetJPerLayer(), v -> v > 0,
                            "positive (J per layer)", id),
                    f.number(d, p, "energyPerParameterJ", kind.defaultEnergyPerParameterJ(), v -> v >= 0,
                            "zero or positive (J per parameter)", id),
                    f.number(d, p, "maxTxPowerDbm", 20.0, v -> v > -100 && v < 100, "a power in dBm between -100 and 100", id),
                    readPosition(f, d, p, id),
                    readAgent(f, d, p, id)));
        }
        return out;
    }

    private static List<DigitalLink> readLinks(JsonFields f, JsonNode root) {
        List<DigitalLink> out = new ArrayList<>();
        JsonNode arr = f.array(root, "$", "links", false);
        if (arr == null) {
            return out;
        }
        for (int i = 0; i < arr.size(); i++) {
            JsonNode l = arr.get(i);
            String p = "$.links[" + i + "]";
            if (!l.isObject()) {
                f.error(p, "expected a link object, got " + JsonFields.describe(l), "");
                continue;
            }
            f.unknownFields(l, p, LINK, "");
            String from = f.string(l, p, "from", null, "");
            out.add(new DigitalLink(from,
                    f.string(l, p, "to", null, from),
                    f.number(l, p, "rateBitsPerSecond", null, v -> v > 0, "positive (bit/s)", from),
                    f.number(l, p, "latencyS", 0.0, v -> v >= 0 && v < 3600, "between 0 and 3600 s", from)));
        }
        return out;
    }

    private static ModelRef readModel(JsonFields f, JsonNode root) {
        JsonNode m = f.object(root, "$", "model", true);
        if (m == null) {
            return new ModelRef(null, null, null, null);
        }
        String p = "$.model";
        f.unknownFields(m, p, MODEL, "");
        String preset = m.has("preset") ? f.string(m, p, "preset", "", "") : null;
        String checkpoint = m.has("checkpoint") ? f.string(m, p, "checkpoint", "", "") : null;
        if (preset == null && checkpoint == null) {
            f.error(p, "give either \"preset\" (a model preset id) or \"checkpoint\" (a path)", "");
        } else if (preset != null && checkpoint != null) {
            f.error(p, "give either \"preset\" or \"checkpoint\", not both", "");
        }
        Double bytes = m.has("bytesPerParameter")
                ? f.number(m, p, "bytesPerParameter", null, v -> v > 0 && v <= 8, "between 0 and 8 bytes", "") : null;
        Integer ctx = m.has("contextTokens")
                ? (int) f.integer(m, p, "contextTokens", null, 1, 10_000_000, "") : null;
        return new ModelRef(preset, checkpoint, bytes != null && Double.isNaN(bytes) ? null : bytes,
                ctx != null && ctx == 0 ? null : ctx);
    }

    private static PlanningSettings readSettings(JsonFields f, JsonNode root) {
        PlanningSettings d = PlanningSettings.defaults();
        JsonNode s = f.object(root, "$", "settings", false);
        if (s == null) {
            return d;
        }
        String p = "$.settings";
        f.unknownFields(s, p, SETTINGS, "");
        return new PlanningSettings(
                (int) f.integer(s, p, "streams", (long) d.streams(), 0, MAX_ANTENNAS, ""),
                (int) f.integer(s, p, "sequences", (long) d.sequences(), 1, 4096, ""),
                f.number(s, p, "activationBytes", d.activationBytes(), v -> v > 0 && v <= 8, "between 0 and 8 bytes", ""),
                f.number(s, p, "memoryHeadroomFraction", d.memoryHeadroomFraction(), v -> v >= 0 && v < 1,
                        "in [0, 1)", ""));
    }

    private static List<MeasuredChannel> readMeasured(JsonFields f, JsonNode root) {
        List<MeasuredChannel> out = new ArrayList<>();
        JsonNode arr = f.array(root, "$", "measuredChannels", false);
        if (arr == null) {
            return out;
        }
        for (int i = 0; i < arr.size(); i++) {
            String p = "$.measuredChannels[" + i + "]";
            JsonNode r = arr.get(i);
            if (!r.isObject()) {
                f.error(p, "expected an object with \"devices\", got " + JsonFields.describe(r), "");
                continue;
            }
            f.unknownFields(r, p, Set.of("devices"), "");
            JsonNode devs = f.array(r, p, "devices", true);
            if (devs == null) {
                continue;
            }
            List<MeasuredChannel.DeviceMatrix> mats = new ArrayList<>();
            for (int j = 0; j < devs.size(); j++) {
                String q = p + ".devices[" + j + "]";
                JsonNode dm = devs.get(j);
                if (!dm.isObject()) {
                    f.error(q, "expected {device, re, im}, got " + JsonFields.describe(dm), "");
                    continue;
                }
                f.unknownFields(dm, q, Set.of("device", "re", "im"), "");
                String dev = f.string(dm, q, "device", null, "");
                double[][] re = matrix(f, dm, q, "re", dev);
                double[][] im = matrix(f, dm, q, "im", dev);
                if (re != null && im != null) {
                    if (re.length != im.length || (re.length > 0 && re[0].length != im[0].length)) {
                        f.error(q, "re is " + re.length + "×" + (re.length > 0 ? re[0].length : 0) + " but im is "
                                + im.length + "×" + (im.length > 0 ? im[0].length : 0), dev);
                    } else {
                        mats.add(new MeasuredChannel.DeviceMatrix(dev, re, im));
                    }
                }
            }
            out.add(new MeasuredChannel(mats));
        }
        return out;
    }

    private static double[][] matrix(JsonFields f, JsonNode parent, String path, String field, String subject) {
        JsonNode rows = f.array(parent, path, field, true);
        if (rows == null) {
            return null;
        }
        String p = path + "." + field;
        if (rows.size() == 0) {
            f.error(p, "matrix has no rows", subject);
            return null;
        }
        double[][] m = new double[rows.size()][];
        int cols = -1;
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            if (!row.isArray() || row.size() == 0) {
                f.error(p + "[" + r + "]", "expected a non-empty array of numbers, got " + JsonFields.describe(row), subject);
                return null;
            }
            if (cols >= 0 && row.size() != cols) {
                f.error(p + "[" + r + "]", "row has " + row.size() + " entries, the first row has " + cols, subject);
                return null;
            }
            cols = row.size();
            m[r] = new double[cols];
            for (int c = 0; c < cols; c++) {
                JsonNode v = row.get(c);
                if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                    f.error(p + "[" + r + "][" + c + "]", "expected a finite number, got " + JsonFields.describe(v), subject);
                    return null;
                }
                m[r][c] = v.doubleValue();
            }
        }
        return m;
    }
}
