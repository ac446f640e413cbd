package org.airshard.planner.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.airshard.planner.json.Json;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.TensorParallelEstimate;
import org.airshard.planner.model.ModelSpec;

/** JSON form of a {@link TopologyAnalysis} ({@code airshard.analysis/1}); units are in the field names. */
public final class AnalysisJson {

    public static final String FORMAT = "airshard.analysis/1";

    private AnalysisJson() {
    }

    public static ObjectNode toTree(TopologyAnalysis a) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("topology", a.topologyName());
        ModelSpec m = a.model();
        ObjectNode mn = root.putObject("model");
        mn.put("id", m.id());
        mn.put("name", m.displayName());
        mn.put("layers", m.layers());
        mn.put("hiddenSize", m.hiddenSize());
        mn.put("heads", m.heads());
        mn.put("kvHeads", m.kvHeads());
        mn.put("ffnSize", m.ffnSize());
        mn.put("vocabSize", m.vocabSize());
        mn.put("parameters", m.totalParameters());
        mn.put("parametersPerLayer", m.parametersPerLayer());
        mn.put("weightBytes", m.totalBytes());
        mn.put("kvBytesPerToken", m.kvBytesPerToken());
        mn.put("allReduceSymbolsPerToken", m.allReduceSymbolsPerToken());
        mn.put("contextTokens", m.contextTokens());
        ArrayNode devs = root.putArray("devices");
        for (int i = 0; i < a.links().size(); i++) {
            TopologyAnalysis.DeviceLink l = a.links().get(i);
            ObjectNode d = devs.addObject();
            d.put("id", l.deviceId());
            d.put("distanceM", l.distanceM());
            d.put("pathLossDb", l.pathLossDb());
            d.put("uplinkSnrDb", l.uplinkSnrDb());
            d.put("downlinkSnrDb", l.downlinkSnrDb());
            d.put("uplinkRateBitsPerSecond", l.uplinkRateBps());
            d.put("usableMemoryBytes", a.usableMemory().get(i));
        }
        ObjectNode tp = root.putObject("tensorParallel");
        ArrayNode shares = tp.putArray("shares");
        for (double s : a.tensorShares()) {
            shares.add(s);
        }
        tp.put("sharesKind", "equal");
        tp.put("aggregatorBytes", a.aggregatorBytes());
        ArrayNode mem = tp.putArray("deviceMemoryBytes");
        a.tensorMemory().forEach(mem::add);
        ArrayNode schemes = tp.putArray("schemes");
        for (TensorParallelEstimate e : a.tensor()) {
            ObjectNode s = schemes.addObject();
            s.put("scheme", e.scheme().id());
            s.put("msPerToken", e.perTokenS() * 1e3);
            s.put("tokensPerSecond", e.tokensPerSecond());
            s.put("computeMs", e.computeS() * 1e3);
            s.put("allReduceMs", e.allReduceS() * 1e3);
            s.put("broadcastMs", e.broadcastS() * 1e3);
            s.put("serverMs", e.serverS() * 1e3);
            s.put("uplinkPerAllReduceUs", e.uplinkPerAllReduceS() * 1e6);
        }
        PipelineEstimate p = a.pipeline();
        ObjectNode pn = root.putObject("pipeline");
        pn.put("split", "equal");
        ArrayNode members = pn.putArray("ring");
        for (int k = 0; k < p.ring().size(); k++) {
            ObjectNode o = members.addObject();
            o.put("device", p.ring().get(k));
            o.put("layers", p.layerCounts().get(k));
            o.put("stageMs", p.stageS().get(k) * 1e3);
            o.put("hopMs", p.hopS().get(k) * 1e3);
            o.put("memoryBytes", a.pipelineMemory().get(k));
        }
        pn.put("ringMs", p.ringS() * 1e3);
        pn.put("bottleneckMs", p.bottleneckS() * 1e3);
        pn.put("kneeSequences", p.kneeSequences());
        pn.put("sequences", a.sequences());
        ArrayNode tps = pn.putArray("tokensPerSecondBySequences");
        for (int s = 1; s <= 2 * p.ring().size(); s++) {
            tps.addObject().put("sequences", s).put("tokensPerSecond", p.tokensPerSecond(s));
        }
        return root;
    }
}
