package org.airshard.app.gui.topology;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.airshard.planner.channel.LinkBudget;
import org.airshard.planner.model.ModelPresets;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.AgentAddress;
import org.airshard.planner.topology.ChannelParams;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.DigitalLink;
import org.airshard.planner.topology.EdgeServer;
import org.airshard.planner.topology.ModelRef;
import org.airshard.planner.topology.PlanningSettings;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.Units;

/**
 * The property sheet's content: rows for an {@link EditTarget} (values converted to display units) and
 * the reverse, applying a typed value. Values the file reader would reject (not a number, out of the
 * reader's range, a malformed agent address, a duplicate id) are refused here with a message; everything
 * else is applied and judged by the same {@code TopologyValidator} the CLI uses, whose findings the view
 * shows next to the row whose {@link PropertyRow#path()} they name.
 */
public final class TopologyProperties {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final double GIB = 1L << 30;

    private TopologyProperties() {
    }

    /** A numeric range check with the message the user sees. */
    private record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {
        static Range positive() {
            return new Range(0, false, Double.POSITIVE_INFINITY, false);
        }

        static Range nonNegative() {
            return new Range(0, true, Double.POSITIVE_INFINITY, false);
        }

        static Range between(double a, double b) {
            return new Range(a, true, b, true);
        }

        boolean contains(double v) {
            return (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
        }

        String describe(double factor, String unit) {
            String u = unit.isEmpty() ? "" : " " + unit;
            if (Double.isInfinite(max)) {
                return (minInclusive ? "zero or more" : "more than " + fmt(min / factor)) + u;
            }
            return "between " + fmt(min / factor) + " and " + fmt(max / factor) + u;
        }
    }

    /** A numeric field of an object of type T. */
    private record Num<T>(String key, String group, String label, String unit, double factor, boolean integer,
                          Range range, String jsonField, String help, Function<T, Double> get,
                          BiFunction<T, Double, T> set) {
    }

    // ---------------------------------------------------------------- devices

    private static final List<Num<Device>> DEVICE_NUMS = List.of(
            new Num<>("antennas", "Radio", "Antennas N_t", "", 1, true, Range.between(1, 1024), "antennas",
                    "Transmit antennas; AirComp needs N_t ≥ L streams", d -> (double) d.antennas(),
                    (d, v) -> dev(d, v.intValue(), d.flopsPerSecond(), d.memoryBytes(), d.energyBudgetJPerLayer(),
                            d.energyPerParameterJ(), d.maxTxPowerDbm())),
            new Num<>("maxTxPowerDbm", "Radio", "Max TX power", "dBm", 1, false, new Range(-100, false, 100, false),
                    "maxTxPowerDbm", "Regulatory / hardware cap on radio transmit power", Device::maxTxPowerDbm,
                    (d, v) -> dev(d, d.antennas(), d.flopsPerSecond(), d.memoryBytes(), d.energyBudgetJPerLayer(),
                            d.energyPerParameterJ(), v)),
            new Num<>("flopsPerSecond", "Compute", "Compute rate", "GFLOP/s", 1e9, false, Range.positive(),
                    "flopsPerSecond", "Sustained FLOP rate an LLM runtime reaches on this board",
                    Device::flopsPerSecond, (d, v) -> dev(d, d.antennas(), v, d.memoryBytes(),
                            d.energyBudgetJPerLayer(), d.energyPerParameterJ(), d.maxTxPowerDbm())),
            new Num<>("memoryBytes", "Compute", "Memory", "GiB", GIB, false, Range.positive(), "memoryBytes",
                    "Memory available to AirShard on the device", d -> (double) d.memoryBytes(),
                    (d, v) -> dev(d, d.antennas(), d.flopsPerSecond(), Math.max(1, Math.round(v)),
                            d.energyBudgetJPerLayer(), d.energyPerParameterJ(), d.maxTxPowerDbm())),
            new Num<>("memoryBandwidthBytesPerSecond", "Compute", "Memory bandwidth", "GB/s", 1e9, false, Range.positive(),
                    "memoryBandwidthBytesPerSecond", "Sustained memory bandwidth; decoding reads every weight once per token",
                    Device::memoryBandwidthBytesPerSecond, Device::withMemoryBandwidthBytesPerSecond),
            new Num<>("energyBudgetJPerLayer", "Energy", "Energy budget", "J / layer", 1, false,
                    Range.positive(), "energyBudgetJPerLayer",
                    "P_n^max: energy the device may spend per decoder layer per token (compute + radio)",
                    Device::energyBudgetJPerLayer, (d, v) -> dev(d, d.antennas(), d.flopsPerSecond(), d.memoryBytes(),
                            v, d.energyPerParameterJ(), d.maxTxPowerDbm())),
            new Num<>("energyPerParameterJ", "Energy", "Energy / param e_n", "pJ / param", 1e-12, false,
                    Range.nonNegative(), "energyPerParameterJ", "Compute energy per parameter processed per token",
                    Device::energyPerParameterJ, (d, v) -> dev(d, d.antennas(), d.flopsPerSecond(), d.memoryBytes(),
                            d.energyBudgetJPerLayer(), v, d.maxTxPowerDbm())),
            new Num<>("x", "Placement", "Position x", "m", 1, false, Range.between(-1e6, 1e6), "position.xM",
                    "Floor-plan x coordinate", d -> d.position().xM(),
                    (d, v) -> d.withPosition(new Position(v, d.position().yM()))),
            new Num<>("y", "Placement", "Position y", "m", 1, false, Range.between(-1e6, 1e6), "position.yM",
                    "Floor-plan y coordinate", d -> d.position().yM(),
                    (d, v) -> d.withPosition(new Position(d.position().xM(), v))));

    private static Device dev(Device d, int antennas, double flops, long mem, double budget, double en, double txDbm) {
        return d.withAntennas(antennas).withFlopsPerSecond(flops).withMemoryBytes(mem).withEnergyBudgetJPerLayer(budget)
                .withEnergyPerParameterJ(en).withMaxTxPowerDbm(txDbm);
    }

    // ---------------------------------------------------------------- server

    private static final List<Num<EdgeServer>> SERVER_NUMS = List.of(
            new Num<>("antennas", "Radio", "Antennas N_r", "", 1, true, Range.between(1, 1024), "antennas",
                    "Receive antennas of the access point; zero-forcing needs N_r ≥ L", s -> (double) s.antennas(),
                    (s, v) -> srv(s, v.intValue(), s.noisePowerDbm(), s.txPowerDbm(), s.flopsPerSecond(), s.memoryBytes(), s.position())),
            new Num<>("noisePowerDbm", "Radio", "Noise power σ²", "dBm", 1, false, new Range(-250, false, 100, false),
                    "noisePowerDbm", "Receiver noise over the whole bandwidth", EdgeServer::noisePowerDbm,
                    (s, v) -> srv(s, s.antennas(), v, s.txPowerDbm(), s.flopsPerSecond(), s.memoryBytes(), s.position())),
            new Num<>("txPowerDbm", "Radio", "Downlink power", "dBm", 1, false, new Range(-100, false, 100, false),
                    "txPowerDbm", "Broadcast transmit power", EdgeServer::txPowerDbm,
                    (s, v) -> srv(s, s.antennas(), s.noisePowerDbm(), v, s.flopsPerSecond(), s.memoryBytes(), s.position())),
            new Num<>("flopsPerSecond", "Compute", "Compute rate", "GFLOP/s", 1e9, false, Range.positive(),
                    "flopsPerSecond", "Sustained FLOP rate for the server-side work", EdgeServer::flopsPerSecond,
                    (s, v) -> srv(s, s.antennas(), s.noisePowerDbm(), s.txPowerDbm(), v, s.memoryBytes(), s.position())),
            new Num<>("memoryBytes", "Compute", "Memory", "GiB", GIB, false, Range.positive(), "memoryBytes",
                    "Memory for the server-side weights", s -> (double) s.memoryBytes(),
                    (s, v) -> srv(s, s.antennas(), s.noisePowerDbm(), s.txPowerDbm(), s.flopsPerSecond(),
                            Math.max(1, Math.round(v)), s.position())),
            new Num<>("memoryBandwidthBytesPerSecond", "Compute", "Memory bandwidth", "GB/s", 1e9, false, Range.positive(),
                    "memoryBandwidthBytesPerSecond", "Sustained memory bandwidth for the LM head and other server-side work",
                    EdgeServer::memoryBandwidthBytesPerSecond, EdgeServer::withMemoryBandwidthBytesPerSecond),
            new Num<>("x", "Placement", "Position x", "m", 1, false, Range.between(-1e6, 1e6), "position.xM",
                    "Floor-plan x coordinate", s -> s.position().xM(),
                    (s, v) -> TopologyEdits.withPosition(s, new Position(v, s.position().yM()))),
            new Num<>("y", "Placement", "Position y", "m", 1, false, Range.between(-1e6, 1e6), "position.yM",
                    "Floor-plan y coordinate", s -> s.position().yM(),
                    (s, v) -> TopologyEdits.withPosition(s, new Position(s.position().xM(), v))));

    private static EdgeServer srv(EdgeServer s, int antennas, double noise, double tx, double flops, long mem, Position p) {
        return s.withAntennas(antennas).withNoisePowerDbm(noise).withTxPowerDbm(tx).withFlopsPerSecond(flops)
                .withMemoryBytes(mem).withPosition(p);
    }

    // ---------------------------------------------------------------- links

    private static final List<Num<DigitalLink>> LINK_NUMS = List.of(
            new Num<>("rateBitsPerSecond", "Link", "Rate", "Mbit/s", 1e6, false, Range.positive(), "rateBitsPerSecond",
                    "Sustained throughput, both directions", DigitalLink::rateBitsPerSecond,
                    (l, v) -> new DigitalLink(l.from(), l.to(), v, l.latencyS())),
            new Num<>("latencyS", "Link", "Latency", "ms", 1e-3, false, new Range(0, true, 3600, false), "latencyS",
                    "One-way latency per message", DigitalLink::latencyS,
                    (l, v) -> new DigitalLink(l.from(), l.to(), l.rateBitsPerSecond(), v)));

    // ---------------------------------------------------------------- document

    private static final List<Num<ChannelParams>> CHANNEL_NUMS = List.of(
            new Num<>("ricianKDb", "Channel", "Rician K-factor", "dB", 1, false, Range.between(-100, 100), "ricianKDb",
                    "LoS-to-scattered power ratio; very negative = Rayleigh", ChannelParams::ricianKDb,
                    (c, v) -> ch(c, v, c.pathLossExponent(), c.referenceLossDb(), c.referenceDistanceM(), c.carrierHz(), c.bandwidthHz(), c.coherenceTimeS(), c.antennaSpacingWavelengths())),
            new Num<>("pathLossExponent", "Channel", "Path-loss exp. η", "", 1, false, Range.between(1, 10),
                    "pathLossExponent", "Large-scale loss grows with 10·η·log10(d/d0)", ChannelParams::pathLossExponent,
                    (c, v) -> ch(c, c.ricianKDb(), v, c.referenceLossDb(), c.referenceDistanceM(), c.carrierHz(), c.bandwidthHz(), c.coherenceTimeS(), c.antennaSpacingWavelengths())),
            new Num<>("referenceLossDb", "Channel", "Reference loss", "dB", 1, false, Range.between(0, 200),
                    "referenceLossDb", "Path loss at the reference distance", ChannelParams::referenceLossDb,
                    (c, v) -> ch(c, c.ricianKDb(), c.pathLossExponent(), v, c.referenceDistanceM(), c.carrierHz(), c.bandwidthHz(), c.coherenceTimeS(), c.antennaSpacingWavelengths())),
            new Num<>("referenceDistanceM", "Channel", "Reference dist. d0", "m", 1, false, Range.positive(),
                    "referenceDistanceM", "Distance of the reference loss; closer devices are clamped to it",
                    ChannelParams::referenceDistanceM,
                    (c, v) -> ch(c, c.ricianKDb(), c.pathLossExponent(), c.referenceLossDb(), v, c.carrierHz(), c.bandwidthHz(), c.coherenceTimeS(), c.antennaSpacingWavelengths())),
            new Num<>("carrierHz", "Channel", "Carrier", "GHz", 1e9, false, Range.positive(), "carrierHz",
                    "Carrier frequency (sets the wavelength of the array)", ChannelParams::carrierHz,
                    (c, v) -> ch(c, c.ricianKDb(), c.pathLossExponent(), c.referenceLossDb(), c.referenceDistanceM(), v, c.bandwidthHz(), c.coherenceTimeS(), c.antennaSpacingWavelengths())),
            new Num<>("bandwidthHz", "Channel", "Bandwidth B", "MHz", 1e6, false, Range.positive(), "bandwidthHz",
                    "Uplink bandwidth; one complex channel use per 1/B", ChannelParams::bandwidthHz,
                    (c, v) -> ch(c, c.ricianKDb(), c.pathLossExponent(), c.referenceLossDb(), c.referenceDistanceM(), c.carrierHz(), v, c.coherenceTimeS(), c.antennaSpacingWavelengths())),
            new Num<>("coherenceTimeS", "Channel", "Coherence time", "ms", 1e-3, false, Range.positive(),
                    "coherenceTimeS", "Duration of one fading block", ChannelParams::coherenceTimeS,
                    (c, v) -> ch(c, c.ricianKDb(), c.pathLossExponent(), c.referenceLossDb(), c.referenceDistanceM(), c.carrierHz(), c.bandwidthHz(), v, c.antennaSpacingWavelengths())),
            new Num<>("antennaSpacingWavelengths", "Channel", "Antenna spacing", "λ", 1, false,
                    new Range(0, false, 100, true), "antennaSpacingWavelengths", "ULA element spacing in wavelengths",
                    ChannelParams::antennaSpacingWavelengths,
                    (c, v) -> ch(c, c.ricianKDb(), c.pathLossExponent(), c.referenceLossDb(), c.referenceDistanceM(), c.carrierHz(), c.bandwidthHz(), c.coherenceTimeS(), v)));

    private static ChannelParams ch(ChannelParams c, double k, double eta, double ref, double d0, double fc, double bw,
                                    double tc, double spacing) {
        return new ChannelParams(k, eta, ref, d0, fc, bw, tc, spacing);
    }

    private static final List<Num<PlanningSettings>> SETTINGS_NUMS = List.of(
            new Num<>("streams", "Planning", "AirComp streams L", "0 = auto", 1, true, Range.between(0, 1024),
                    "streams", "Data streams per channel use; 0 = min(N_r, min N_t)", s -> (double) s.streams(),
                    (s, v) -> new PlanningSettings(v.intValue(), s.sequences(), s.activationBytes(), s.memoryHeadroomFraction())),
            new Num<>("sequences", "Planning", "Sequences S", "", 1, true, Range.between(1, 4096),
                    "sequences", "Sequences generated at once", s -> (double) s.sequences(),
                    (s, v) -> new PlanningSettings(s.streams(), v.intValue(), s.activationBytes(), s.memoryHeadroomFraction())),
            new Num<>("activationBytes", "Planning", "Activation size", "bytes", 1, false, new Range(0, false, 8, true),
                    "activationBytes", "Bytes per activation value on the wire (4 = fp32)",
                    PlanningSettings::activationBytes,
                    (s, v) -> new PlanningSettings(s.streams(), s.sequences(), v, s.memoryHeadroomFraction())),
            new Num<>("memoryHeadroomFraction", "Planning", "Memory headroom", "%", 0.01, false,
                    new Range(0, true, 1, false), "memoryHeadroomFraction",
                    "Share of each device's memory kept free for runtime and OS", PlanningSettings::memoryHeadroomFraction,
                    (s, v) -> new PlanningSettings(s.streams(), s.sequences(), s.activationBytes(), v)));

    // ---------------------------------------------------------------- rows

    /** Rows for {@code target} in {@code t}; empty when the target no longer exists. */
    public static List<PropertyRow> rows(Topology t, EditTarget target) {
        return rows(t, target, null);
    }

    /**
     * Rows for {@code target}; with the resolved model ({@code model}, may be null) the document rows also
     * show its dimensions read-only, so a checkpoint picked on disk shows what was read from it.
     */
    public static List<PropertyRow> rows(Topology t, EditTarget target, ModelSpec model) {
        List<PropertyRow> rows = new ArrayList<>();
        if (target instanceof EditTarget.Document) {
            rows.add(text("name", "Topology", "Name", "$.name", t.name(), "Display name of the topology"));
            rows.add(text("description", "Topology", "Description", "$.description", t.description(), "Free text"));
            List<String> presets = new ArrayList<>();
            presets.add("");
            presets.addAll(ModelPresets.ids());
            ModelRef m = t.model();
            rows.add(new PropertyRow("model.preset", "Model", "Preset", "", m.preset() == null ? "" : m.preset(), presets,
                    true, "$.model.preset", "A named model with exact dimensions"));
            rows.add(new PropertyRow("model.checkpoint", "Model", "Checkpoint", "", m.checkpoint() == null ? "" : m.checkpoint(),
                    List.of(), true, "$.model.checkpoint",
                    "Hugging Face checkpoint folder or config.json (dimensions only); relative to the topology file",
                    "folder or config.json"));
            rows.add(new PropertyRow("model.bytesPerParameter", "Model", "Bytes / parameter", "bytes",
                    m.bytesPerParameter() == null ? "" : fmt(m.bytesPerParameter()), List.of(), true,
                    "$.model.bytesPerParameter", "Storage precision override (2 = fp16, 1 = int8); blank = the model's own",
                    "model's own"));
            rows.add(new PropertyRow("model.contextTokens", "Model", "Context length", "tokens",
                    m.contextTokens() == null ? "" : Integer.toString(m.contextTokens()), List.of(), true,
                    "$.model.contextTokens", "Context-length override used for KV-cache sizing; blank = the model's own",
                    "model's own"));
            if (model != null) {
                rows.add(derived("model.name", "Model", "Resolved model", "", model.displayName()));
                rows.add(derived("model.shape", "Model", "Layers \u00b7 width", "",
                        model.layers() + " \u00b7 d " + model.hiddenSize() + " \u00b7 FFN " + model.ffnSize()));
                rows.add(derived("model.heads", "Model", "Heads / KV heads", "", model.heads() + " / " + model.kvHeads()));
                rows.add(derived("model.params", "Model", "Parameters", "M", fmt(model.totalParameters() / 1e6)));
                rows.add(derived("model.size", "Model", "Weights", "", Units.formatBytes(model.totalBytes())));
            }
            for (Num<ChannelParams> n : CHANNEL_NUMS) {
                rows.add(numRow(n, t.channel(), "$.channel"));
            }
            for (Num<PlanningSettings> n : SETTINGS_NUMS) {
                rows.add(numRow(n, t.settings(), "$.settings"));
            }
        } else if (target instanceof EditTarget.Node node) {
            if (t.server().id().equals(node.id())) {
                EdgeServer s = t.server();
                rows.add(text("id", "Identity", "Id", "$.server.id", s.id(), "Unique id: letters, digits, '-', '_', '.'"));
                rows.add(text("name", "Identity", "Name", "$.server.name", s.name(), "Display name"));
                rows.add(new PropertyRow("role", "Identity", "Role", "", "Edge server / access point", List.of(), false, "",
                        "AirComp receiver and tensor-parallel aggregator"));
                for (Num<EdgeServer> n : SERVER_NUMS) {
                    rows.add(numRow(n, s, "$.server"));
                }
                rows.add(text("agent", "Agent", "Agent address", "$.server.agent",
                        s.agent() == null ? "" : s.agent().toString(), "host:port of its agent; blank = none"));
            } else {
                int i = indexOf(t, node.id());
                if (i < 0) {
                    return rows;
                }
                Device d = t.devices().get(i);
                String p = "$.devices[" + i + "]";
                rows.add(text("id", "Identity", "Id", p + ".id", d.id(), "Unique id: letters, digits, '-', '_', '.'"));
                rows.add(text("name", "Identity", "Name", p + ".name", d.name(), "Display name"));
                rows.add(new PropertyRow("kind", "Identity", "Kind", "", d.kind().displayName(),
                        Arrays.stream(DeviceKind.values()).map(DeviceKind::displayName).toList(), true, p + ".kind",
                        "Device kind (changing it keeps the values below)"));
                for (Num<Device> n : DEVICE_NUMS) {
                    rows.add(numRow(n, d, p));
                }
                rows.add(text("agent", "Agent", "Agent address", p + ".agent",
                        d.agent() == null ? "" : d.agent().toString(), "host:port of its agent; blank = none"));
                rows.add(new PropertyRow("distance", "Link budget", "Distance to server", "m",
                        fmt(t.distanceToServerM(d)), List.of(), false, "", "Derived from the positions"));
                rows.add(new PropertyRow("snr", "Link budget", "Uplink SNR (avg.)", "dB",
                        fmtFixed(LinkBudget.uplinkSnrDb(t, d)), List.of(), false, "",
                        "P_tx · β / σ² per receive antenna at full power (path loss only, no fading)"));
            }
        } else if (target instanceof EditTarget.Link lt) {
            int i = linkIndex(t, lt.key());
            if (i < 0) {
                return rows;
            }
            DigitalLink l = t.links().get(i);
            String p = "$.links[" + i + "]";
            rows.add(new PropertyRow("from", "Link", "From", "", l.from(), List.of(), false, p + ".from", "One endpoint"));
            rows.add(new PropertyRow("to", "Link", "To", "", l.to(), List.of(), false, p + ".to", "The other endpoint"));
            for (Num<DigitalLink> n : LINK_NUMS) {
                rows.add(numRow(n, l, p));
            }
        } else if (target instanceof EditTarget.Many many) {
            rows.add(new PropertyRow("count", "Selection", "Selected items", "", Integer.toString(many.count()), List.of(),
                    false, "", "Select a single item to edit it"));
        }
        return rows;
    }

    private static PropertyRow derived(String key, String group, String label, String unit, String value) {
        return new PropertyRow(key, group, label, unit, value, List.of(), false, "", "Read from the model");
    }

    private static PropertyRow text(String key, String group, String label, String path, String value, String help) {
        return new PropertyRow(key, group, label, "", value, List.of(), true, path, help);
    }

    private static <T> PropertyRow numRow(Num<T> n, T obj, String parentPath) {
        double raw = n.get().apply(obj);
        String value = n.integer() ? Long.toString(Math.round(raw)) : fmt(raw / n.factor());
        return new PropertyRow(n.key(), n.group(), n.label(), n.unit(), value, List.of(), true,
                parentPath + "." + n.jsonField(), n.help() + " (" + n.range().describe(n.factor(), n.unit()) + ")");
    }

    // ---------------------------------------------------------------- apply

    /**
     * Applies a typed value.
     *
     * @return the edited topology (the same instance when the value does not change anything)
     * @throws IllegalArgumentException with a message for the user when the text is not acceptable
     */
    public static Topology apply(Topology t, EditTarget target, String key, String text) {
        String v = text == null ? "" : text.trim();
        if (target instanceof EditTarget.Document) {
            return applyDocument(t, key, v);
        }
        if (target instanceof EditTarget.Node node) {
            if (t.server().id().equals(node.id())) {
                return applyServer(t, key, v);
            }
            int i = indexOf(t, node.id());
            if (i < 0) {
                throw new IllegalArgumentException("device '" + node.id() + "' no longer exists");
            }
            return applyDevice(t, t.devices().get(i), key, v);
        }
        if (target instanceof EditTarget.Link lt) {
            int i = linkIndex(t, lt.key());
            if (i < 0) {
                throw new IllegalArgumentException("link " + lt.key() + " no longer exists");
            }
            DigitalLink l = t.links().get(i);
            Num<DigitalLink> n = find(LINK_NUMS, key);
            return TopologyEdits.replaceLink(t, lt.key(), n.set().apply(l, parse(n, v)));
        }
        throw new IllegalArgumentException("select a single item to edit it");
    }

    private static Topology applyDocument(Topology t, String key, String v) {
        ModelRef m = t.model();
        switch (key) {
            case "name":
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("a topology needs a name");
                }
                return t.withName(v);
            case "description":
                return new Topology(t.name(), v, t.server(), t.channel(), t.devices(), t.links(), t.model(), t.settings(),
                        t.measuredChannels());
            case "model.preset":
                if (v.isEmpty()) {
                    if (m.checkpoint() == null) {
                        throw new IllegalArgumentException("choose a preset or give a checkpoint path");
                    }
                    return t;
                }
                if (ModelPresets.byId(v).isEmpty()) {
                    throw new IllegalArgumentException("unknown preset '" + v + "'");
                }
                return t.withModel(new ModelRef(v, null, m.bytesPerParameter(), m.contextTokens()));
            case "model.checkpoint":
                if (v.isEmpty()) {
                    if (m.preset() == null) {
                        throw new IllegalArgumentException("give a checkpoint path or choose a preset");
                    }
                    return t;
                }
                return t.withModel(new ModelRef(null, v, m.bytesPerParameter(), m.contextTokens()));
            case "model.bytesPerParameter": {
                Double b = null;
                if (!v.isEmpty()) {
                    b = parseNumber(v, "bytes per parameter");
                    if (!(b > 0 && b <= 8)) {
                        throw new IllegalArgumentException("bytes per parameter must be between 0 and 8");
                    }
                }
                return t.withModel(new ModelRef(m.preset(), m.checkpoint(), b, m.contextTokens()));
            }
            case "model.contextTokens": {
                Integer c = null;
                if (!v.isEmpty()) {
                    double d = parseNumber(v, "context length");
                    if (d != Math.rint(d) || d < 1 || d > 10_000_000) {
                        throw new IllegalArgumentException("context length must be a whole number between 1 and 10000000");
                    }
                    c = (int) d;
                }
                return t.withModel(new ModelRef(m.preset(), m.checkpoint(), m.bytesPerParameter(), c));
            }
            default:
                break;
        }
        for (Num<ChannelParams> n : CHANNEL_NUMS) {
            if (n.key().equals(key)) {
                return t.withChannel(n.set().apply(t.channel(), parse(n, v)));
            }
        }
        Num<PlanningSettings> n = find(SETTINGS_NUMS, key);
        return t.withSettings(n.set().apply(t.settings(), parse(n, v)));
    }

    private static Topology applyServer(Topology t, String key, String v) {
        EdgeServer s = t.server();
        switch (key) {
            case "id":
                checkNewId(t, s.id(), v);
                return TopologyEdits.renameNode(t, s.id(), v);
            case "name":
                return t.withServer(s.withName(v.isEmpty() ? s.id() : v));
            case "agent":
                return t.withServer(s.withAgent(parseAgent(v)));
            default:
                Num<EdgeServer> n = find(SERVER_NUMS, key);
                return t.withServer(n.set().apply(s, parse(n, v)));
        }
    }

    private static Topology applyDevice(Topology t, Device d, String key, String v) {
        switch (key) {
            case "id":
                checkNewId(t, d.id(), v);
                return TopologyEdits.renameNode(t, d.id(), v);
            case "name":
                return TopologyEdits.replaceDevice(t, d.id(), d.withName(v.isEmpty() ? d.id() : v));
            case "kind": {
                DeviceKind k = Arrays.stream(DeviceKind.values())
                        .filter(x -> x.displayName().equals(v) || x.id().equals(v)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown device kind '" + v + "'"));
                return TopologyEdits.replaceDevice(t, d.id(), d.withKind(k));
            }
            case "agent":
                return TopologyEdits.replaceDevice(t, d.id(), d.withAgent(parseAgent(v)));
            default:
                Num<Device> n = find(DEVICE_NUMS, key);
                return TopologyEdits.replaceDevice(t, d.id(), n.set().apply(d, parse(n, v)));
        }
    }

    private static void checkNewId(Topology t, String oldId, String v) {
        if (v.equals(oldId)) {
            return;
        }
        if (!ID.matcher(v).matches()) {
            throw new IllegalArgumentException("an id is 1–64 letters, digits, '-', '_' or '.', starting with a letter or digit");
        }
        if (TopologyEdits.nodeIds(t).contains(v)) {
            throw new IllegalArgumentException("id '" + v + "' is already used");
        }
    }

    private static AgentAddress parseAgent(String v) {
        return v.isEmpty() ? null : AgentAddress.parse(v);
    }

    private static <T> Num<T> find(List<Num<T>> nums, String key) {
        return nums.stream().filter(n -> n.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no property '" + key + "' here"));
    }

    private static <T> double parse(Num<T> n, String v) {
        double display = parseNumber(v, n.label());
        double raw = display * n.factor();
        if (n.integer() && display != Math.rint(display)) {
            throw new IllegalArgumentException(n.label() + " must be a whole number");
        }
        if (!n.range().contains(raw)) {
            throw new IllegalArgumentException(n.label() + " must be " + n.range().describe(n.factor(), n.unit()));
        }
        return raw;
    }

    /** Parses a number as typed: accepts a decimal comma and exponents; rejects NaN and infinities. */
    static double parseNumber(String v, String what) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException(what + " needs a value");
        }
        String s = v.replace('\u2212', '-').replace(" ", "");
        if (s.indexOf(',') >= 0 && s.indexOf('.') < 0) {
            s = s.replace(',', '.');
        }
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a number");
        }
        if (!Double.isFinite(d) || s.matches("(?i).*[a-z&&[^e]].*")) {
            throw new IllegalArgumentException("'" + v + "' is not a finite number");
        }
        return d;
    }

    static int indexOf(Topology t, String deviceId) {
        for (int i = 0; i < t.devices().size(); i++) {
            if (t.devices().get(i).id().equals(deviceId)) {
                return i;
            }
        }
        return -1;
    }

    static int linkIndex(Topology t, LinkKey k) {
        for (int i = 0; i < t.links().size(); i++) {
            if (k.matches(t.links().get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Up to 6 significant digits, no trailing zeros, no exponent for everyday magnitudes. */
    public static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal b = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        double a = Math.abs(v);
        return (a >= 1e-4 && a < 1e12) ? b.toPlainString() : b.toString();
    }

    /** One decimal, for dB values. */
    public static String fmtFixed(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "n/a";
    }
}
