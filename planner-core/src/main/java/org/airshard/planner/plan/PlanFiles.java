package org.airshard.planner.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;
import org.airshard.planner.json.JsonFields;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyWriter;
import org.airshard.planner.topology.ValidationReport;

/** Reads and writes {@code airshard.plan/1} files. Reading reports every structural problem with its path. */
public final class PlanFiles {

    private PlanFiles() {
    }

    /** SHA-256 of the topology's canonical JSON (formatting of the file does not matter). */
    public static String topologyHash(Topology t) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(TopologyWriter.toJson(t).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Plan p, Path file) throws IOException {
        Json.writeAtomically(file, Json.mapper().writeValueAsString(toTree(p)) + "\n");
    }

    public static ObjectNode toTree(Plan p) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", Plan.FORMAT);
        root.put("mode", p.mode().id());
        ObjectNode t = root.putObject("topology");
        t.put("name", p.topology().name());
        t.put("sha256", p.topology().sha256());
        ObjectNode m = root.putObject("model");
        m.put("id", p.modelId());
        m.put("layers", p.layers());
        if (p.pipeline() != null) {
            ObjectNode pn = root.putObject("pipeline");
            pn.put("sequences", p.pipeline().sequences());
            ArrayNode st = pn.putArray("stages");
            for (Plan.Stage s : p.pipeline().stages()) {
                st.addObject().put("device", s.device()).put("layerStart", s.layerStart()).put("layerEnd", s.layerEnd());
            }
        }
        if (p.tensor() != null) {
            ObjectNode tn = root.putObject("tensor");
            tn.put("aggregator", p.tensor().aggregator());
            tn.put("streams", p.tensor().streams());
            ArrayNode sh = tn.putArray("shares");
            for (Plan.Share s : p.tensor().shares()) {
                sh.addObject().put("device", s.device()).put("share", s.share()).put("kvGroups", s.kvGroups())
                        .put("ffnColumns", s.ffnColumns());
            }
            if (p.tensor().details() != null) {
                tn.set("details", p.tensor().details());
            }
        }
        if (p.predicted() != null) {
            ObjectNode pr = root.putObject("predicted");
            pr.put("tokensPerSecond", p.predicted().tokensPerSecond());
            pr.put("msPerToken", p.predicted().msPerToken());
            if (p.predicted().mse() != null) {
                pr.put("mse", p.predicted().mse());
            }
            ArrayNode pd = pr.putArray("perDevice");
            for (Plan.DevicePrediction d : p.predicted().perDevice()) {
                pd.addObject().put("device", d.device()).put("memoryBytes", d.memoryBytes()).put("computeMs", d.computeMs())
                        .put("hopMs", d.hopMs());
            }
        }
        ArrayNode bl = root.putArray("baselines");
        for (Plan.BaselineSummary b : p.baselines()) {
            bl.addObject().put("name", b.name()).put("tokensPerSecond", b.tokensPerSecond()).put("fits", b.fits())
                    .put("note", b.note());
        }
        if (p.provenance() != null) {
            ObjectNode pv = root.putObject("provenance");
            pv.put("tool", p.provenance().tool());
            pv.put("createdAt", p.provenance().createdAt());
            if (p.provenance().seed() != null) {
                pv.put("seed", p.provenance().seed());
            }
            if (p.provenance().solver() != null) {
                pv.set("solver", p.provenance().solver());
            }
        }
        return root;
    }

    private static final Set<String> TOP = Set.of("format", "mode", "topology", "model", "pipeline", "tensor", "predicted",
            "baselines", "provenance");

    /** Reads a plan; structural problems (types, missing fields) are thrown together, naming their paths. */
    public static Plan read(Path file) throws InputException {
        JsonNode root = Json.readTree(file);
        JsonFields f = new JsonFields();
        Plan p = read(root, f);
        ValidationReport r = new ValidationReport(f.issues());
        if (r.hasErrors()) {
            throw r.toException(file.toString());
        }
        return p;
    }

    static Plan read(JsonNode root, JsonFields f) {
        if (!root.isObject()) {
            f.error("$", "a plan must be a JSON object, got " + JsonFields.describe(root), "");
            return null;
        }
        f.unknownFields(root, "$", TOP, "");
        String format = f.string(root, "$", "format", null, "");
        if (!format.isEmpty() && !Plan.FORMAT.equals(format)) {
            f.error("$.format", "unsupported format '" + format + "', expected '" + Plan.FORMAT + "'", "");
        }
        String modeText = f.string(root, "$", "mode", null, "");
        Plan.Mode mode = switch (modeText) {
            case "pipeline" -> Plan.Mode.PIPELINE;
            case "tensor" -> Plan.Mode.TENSOR;
            default -> {
                if (!modeText.isEmpty()) {
                    f.error("$.mode", "unknown mode '" + modeText + "' (pipeline or tensor; hybrid plans are not supported yet)", "");
                }
                yield Plan.Mode.PIPELINE;
            }
        };
        JsonNode tn = f.object(root, "$", "topology", false);
        Plan.TopologyRef tref = tn == null ? new Plan.TopologyRef("", "")
                : new Plan.TopologyRef(f.string(tn, "$.topology", "name", "", ""), f.string(tn, "$.topology", "sha256", "", ""));
        JsonNode mn = f.object(root, "$", "model", true);
        String modelId = mn == null ? "" : f.string(mn, "$.model", "id", "", "");
        int layers = mn == null ? 0 : (int) f.integer(mn, "$.model", "layers", null, 1, 1_000_000, "");
        Plan.PipelinePart pipeline = null;
        Plan.TensorPart tensor = null;
        if (mode == Plan.Mode.PIPELINE) {
            JsonNode pn = f.object(root, "$", "pipeline", true);
            if (pn != null) {
                pipeline = readPipeline(pn, f);
            }
        } else {
            JsonNode tp = f.object(root, "$", "tensor", true);
            if (tp != null) {
                tensor = readTensor(tp, f);
            }
        }
        List<Plan.BaselineSummary> baselines = new ArrayList<>();
        JsonNode bl = f.array(root, "$", "baselines", false);
        if (bl != null) {
            for (int i = 0; i < bl.size(); i++) {
                JsonNode b = bl.get(i);
                String p = "$.baselines[" + i + "]";
                if (!b.isObject()) {
                    f.error(p, "expected an object", "");
                    continue;
                }
                baselines.add(new Plan.BaselineSummary(f.string(b, p, "name", "", ""),
                        f.number(b, p, "tokensPerSecond", 0.0, null, null, ""), f.bool(b, p, "fits", true, ""),
                        f.string(b, p, "note", "", "")));
            }
        }
        Plan.Provenance prov = null;
        JsonNode pv = f.object(root, "$", "provenance", false);
        if (pv != null) {
            Long seed = pv.has("seed") ? f.integer(pv, "$.provenance", "seed", null, Long.MIN_VALUE, Long.MAX_VALUE, "") : null;
            prov = new Plan.Provenance(f.string(pv, "$.provenance", "tool", "", ""), f.string(pv, "$.provenance", "createdAt", "", ""),
                    seed, pv.get("solver"));
        }
        // predictions are re-computed by the validator; keep what the file says for reference
        Plan.Predicted predicted = null;
        JsonNode pr = f.object(root, "$", "predicted", false);
        if (pr != null) {
            List<Plan.DevicePrediction> per = new ArrayList<>();
            JsonNode pd = f.array(pr, "$.predicted", "perDevice", false);
            if (pd != null) {
                for (int i = 0; i < pd.size(); i++) {
                    JsonNode d = pd.get(i);
                    String q = "$.predicted.perDevice[" + i + "]";
                    if (!d.isObject()) {
                        f.error(q, "expected an object", "");
                        continue;
                    }
                    per.add(new Plan.DevicePrediction(f.string(d, q, "device", "", ""), f.number(d, q, "memoryBytes", 0.0, null, null, ""),
                            f.number(d, q, "computeMs", 0.0, null, null, ""), f.number(d, q, "hopMs", 0.0, null, null, "")));
                }
            }
            predicted = new Plan.Predicted(f.number(pr, "$.predicted", "tokensPerSecond", 0.0, null, null, ""),
                    f.number(pr, "$.predicted", "msPerToken", 0.0, null, null, ""),
                    pr.has("mse") ? f.number(pr, "$.predicted", "mse", null, null, null, "") : null, per);
        }
        return new Plan(mode, tref, modelId, layers, pipeline, tensor, predicted, baselines, prov);
    }

    private static Plan.PipelinePart readPipeline(JsonNode pn, JsonFields f) {
        int s = (int) f.integer(pn, "$.pipeline", "sequences", 1L, 1, 4096, "");
        List<Plan.Stage> stages = new ArrayList<>();
        JsonNode arr = f.array(pn, "$.pipeline", "stages", true);
        if (arr != null) {
            for (int i = 0; i < arr.size(); i++) {
                JsonNode st = arr.get(i);
                String p = "$.pipeline.stages[" + i + "]";
                if (!st.isObject()) {
                    f.error(p, "expected {device, layerStart, layerEnd}, got " + JsonFields.describe(st), "");
                    continue;
                }
                f.unknownFields(st, p, Set.of("device", "layerStart", "layerEnd"), "");
                String dev = f.string(st, p, "device", null, "");
                stages.add(new Plan.Stage(dev, (int) f.integer(st, p, "layerStart", null, 0, 1_000_000, dev),
                        (int) f.integer(st, p, "layerEnd", null, 0, 1_000_000, dev)));
            }
        }
        return new Plan.PipelinePart(s, stages);
    }

    private static Plan.TensorPart readTensor(JsonNode tp, JsonFields f) {
        String agg = f.string(tp, "$.tensor", "aggregator", null, "");
        int streams = (int) f.integer(tp, "$.tensor", "streams", 1L, 1, 1024, "");
        List<Plan.Share> shares = new ArrayList<>();
        JsonNode arr = f.array(tp, "$.tensor", "shares", true);
        if (arr != null) {
            for (int i = 0; i < arr.size(); i++) {
                JsonNode sh = arr.get(i);
                String p = "$.tensor.shares[" + i + "]";
                if (!sh.isObject()) {
                    f.error(p, "expected {device, share, kvGroups, ffnColumns}, got " + JsonFields.describe(sh), "");
                    continue;
                }
                f.unknownFields(sh, p, Set.of("device", "share", "kvGroups", "ffnColumns"), "");
                String dev = f.string(sh, p, "device", null, "");
                shares.add(new Plan.Share(dev, f.number(sh, p, "share", null, v -> v >= 0 && v <= 1, "in [0, 1]", dev),
                        (int) f.integer(sh, p, "kvGroups", null, 0, 1_000_000, dev),
                        (int) f.integer(sh, p, "ffnColumns", null, 0, 100_000_000, dev)));
            }
        }
        return new Plan.TensorPart(agg, streams, shares, tp.get("details"));
    }
}
