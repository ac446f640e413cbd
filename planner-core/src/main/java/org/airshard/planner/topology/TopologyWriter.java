package org.airshard.planner.topology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.airshard.planner.json.Json;

/** Writes {@code airshard.topology/1} files with every field explicit. Writes are atomic. */
public final class TopologyWriter {

    private TopologyWriter() {
    }

    public static void write(Topology t, Path file) throws IOException {
        Json.writeAtomically(file, toJson(t) + "\n");
    }

    public static String toJson(Topology t) {
        try {
            return Json.mapper().writeValueAsString(toTree(t));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise topology", e);
        }
    }

    public static ObjectNode toTree(Topology t) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", Topology.FORMAT);
        root.put("name", t.name());
        if (!t.description().isEmpty()) {
            root.put("description", t.description());
        }
        EdgeServer s = t.server();
        ObjectNode sn = root.putObject("server");
        sn.put("id", s.id());
        sn.put("name", s.name());
        sn.put("antennas", s.antennas());
        sn.put("noisePowerDbm", s.noisePowerDbm());
        sn.put("txPowerDbm", s.txPowerDbm());
        sn.put("flopsPerSecond", s.flopsPerSecond());
        sn.put("memoryBytes", s.memoryBytes());
        sn.put("memoryBandwidthBytesPerSecond", s.memoryBandwidthBytesPerSecond());
        position(sn, s.position());
        if (s.agent() != null) {
            sn.put("agent", s.agent().toString());
        }
        ChannelParams c = t.channel();
        ObjectNode cn = root.putObject("channel");
        cn.put("ricianKDb", c.ricianKDb());
        cn.put("pathLossExponent", c.pathLossExponent());
        cn.put("referenceLossDb", c.referenceLossDb());
        cn.put("referenceDistanceM", c.referenceDistanceM());
        cn.put("carrierHz", c.carrierHz());
        cn.put("bandwidthHz", c.bandwidthHz());
        cn.put("coherenceTimeS", c.coherenceTimeS());
        cn.put("antennaSpacingWavelengths", c.antennaSpacingWavelengths());
        ArrayNode devs = root.putArray("devices");
        for (Device d : t.devices()) {
            ObjectNode dn = devs.addObject();
            dn.put("id", d.id());
            dn.put("name", d.name());
            dn.put("kind", d.kind().id());
            dn.put("antennas", d.antennas());
            dn.put("flopsPerSecond", d.flopsPerSecond());
            dn.put("memoryBytes", d.memoryBytes());
            dn.put("memoryBandwidthBytesPerSecond", d.memoryBandwidthBytesPerSecond());
            dn.put("energyBudgetJPerLayer", d.energyBudgetJPerLayer());
            dn.put("energyPerParameterJ", d.energyPerParameterJ());
            dn.put("maxTxPowerDbm", d.maxTxPowerDbm());
            position(dn, d.position());
            if (d.agent() != null) {
                dn.put("agent", d.agent().toString());
            }
        }
        if (!t.links().isEmpty()) {
            ArrayNode ln = root.putArray("links");
            for (DigitalLink l : t.links()) {
                ObjectNode o = ln.addObject();
                o.put("from", l.from());
                o.put("to", l.to());
                o.put("rateBitsPerSecond", l.rateBitsPerSecond());
                o.put("latencyS", l.latencyS());
            }
        }
        ObjectNode mn = root.putObject("model");
        ModelRef m = t.model();
        if (m.preset() != null) {
            mn.put("preset", m.preset());
        }
        if (m.checkpoint() != null) {
            mn.put("checkpoint", m.checkpoint());
        }
        if (m.bytesPerParameter() != null) {
            mn.put("bytesPerParameter", m.bytesPerParameter());
        }
        if (m.contextTokens() != null) {
            mn.put("contextTokens", m.contextTokens());
        }
        PlanningSettings ps = t.settings();
        ObjectNode pn = root.putObject("settings");
        pn.put("streams", ps.streams());
        pn.put("sequences", ps.sequences());
        pn.put("activationBytes", ps.activationBytes());
        pn.put("memoryHeadroomFraction", ps.memoryHeadroomFraction());
        if (!t.measuredChannels().isEmpty()) {
            ArrayNode mc = root.putArray("measuredChannels");
            for (MeasuredChannel ch : t.measuredChannels()) {
                ArrayNode dl = mc.addObject().putArray("devices");
                for (MeasuredChannel.DeviceMatrix dm : ch.perDevice()) {
                    ObjectNode o = dl.addObject();
                    o.put("device", dm.deviceId());
                    matrix(o.putArray("re"), dm.re());
                    matrix(o.putArray("im"), dm.im());
                }
            }
        }
        return root;
    }

    private static void position(ObjectNode parent, Position p) {
        ObjectNode pn = parent.putObject("position");
        pn.put("xM", p.xM());
        pn.put("yM", p.yM());
    }

    private static void matrix(ArrayNode arr, double[][] m) {
        for (double[] row : m) {
            ArrayNode r = arr.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
    }
}
