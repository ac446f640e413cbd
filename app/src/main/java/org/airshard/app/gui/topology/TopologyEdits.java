package org.airshard.app.gui.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.airshard.planner.model.ModelPresets;
import org.airshard.planner.topology.ChannelParams;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.DigitalLink;
import org.airshard.planner.topology.EdgeServer;
import org.airshard.planner.topology.MeasuredChannel;
import org.airshard.planner.topology.ModelRef;
import org.airshard.planner.topology.PlanningSettings;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;

/**
 * Pure editing operations on immutable {@link Topology} values. Every method returns a new topology (or
 * the same instance when nothing changes); the ViewModel records them for undo.
 */
public final class TopologyEdits {

    /** Default digital link: gigabit Ethernet-like, 0.2 ms one way. */
    public static final double DEFAULT_LINK_RATE_BPS = 1.0e9;
    public static final double DEFAULT_LINK_LATENCY_S = 2.0e-4;

    private TopologyEdits() {
    }

    /** A fresh topology: a 4-antenna access point and two Raspberry Pi 5 boards, synthetic tiny model. */
    public static Topology newTopology() {
        EdgeServer server = new EdgeServer("server", "Edge server", 4, -90.0, 30.0, 1.0e12, 16L << 30, 100e9,
                new Position(0, 0), null);
        List<Device> devices = List.of(
                Device.ofKind("pi5-1", "Pi 5 #1", DeviceKind.RASPBERRY_PI_5, new Position(-3, 3)),
                Device.ofKind("pi5-2", "Pi 5 #2", DeviceKind.RASPBERRY_PI_5, new Position(3, 3)));
        return new Topology("Untitled topology", "", server, ChannelParams.defaults(), devices, List.of(),
                ModelRef.ofPreset(ModelPresets.all().stream().filter(m -> m.id().equals("synthetic-tiny")).findFirst()
                        .map(m -> m.id()).orElse(ModelPresets.ids().get(0))),
                PlanningSettings.defaults(), List.of());
    }

    /** All node ids: the server and the devices. */
    public static Set<String> nodeIds(Topology t) {
        Set<String> ids = new HashSet<>();
        ids.add(t.server().id());
        t.devices().forEach(d -> ids.add(d.id()));
        return ids;
    }

    /** A new id {@code base-N} not used by any node. */
    public static String freshId(Topology t, String base, Set<String> alsoTaken) {
        Set<String> taken = nodeIds(t);
        taken.addAll(alsoTaken);
        String b = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^-+|-+$", "");
        if (b.isEmpty()) {
            b = "device";
        }
        for (int n = 1; ; n++) {
            String id = b + "-" + n;
            if (!taken.contains(id)) {
                return id;
            }
        }
    }

    /** Short id prefix per kind. */
    public static String idBase(DeviceKind k) {
        return switch (k) {
            case JETSON_ORIN_NANO -> "orin";
            case JETSON_TX2 -> "tx2";
            case RASPBERRY_PI_5 -> "pi5";
            case RASPBERRY_PI_4 -> "pi4";
            case LAPTOP -> "laptop";
            case PHONE -> "phone";
            case CUSTOM -> "device";
        };
    }

    public static Topology addDevice(Topology t, Device d) {
        List<Device> ds = new ArrayList<>(t.devices());
        ds.add(d);
        return t.withDevices(ds);
    }

    /** Moves the given nodes (devices and/or the server) by (dx, dy) metres. */
    public static Topology move(Topology t, Collection<String> ids, double dxM, double dyM) {
        if (ids.isEmpty() || (dxM == 0 && dyM == 0)) {
            return t;
        }
        Set<String> set = new HashSet<>(ids);
        List<Device> ds = new ArrayList<>(t.devices().size());
        for (Device d : t.devices()) {
            ds.add(set.contains(d.id()) ? d.withPosition(shift(d.position(), dxM, dyM)) : d);
        }
        Topology out = t.withDevices(ds);
        if (set.contains(t.server().id())) {
            out = out.withServer(withPosition(t.server(), shift(t.server().position(), dxM, dyM)));
        }
        return out;
    }

    /** Places one node at an absolute position. */
    public static Topology place(Topology t, String id, Position p) {
        if (t.server().id().equals(id)) {
            return t.withServer(withPosition(t.server(), p));
        }
        List<Device> ds = new ArrayList<>();
        for (Device d : t.devices()) {
            ds.add(d.id().equals(id) ? d.withPosition(p) : d);
        }
        return t.withDevices(ds);
    }

    private static Position shift(Position p, double dx, double dy) {
        return new Position(p.xM() + dx, p.yM() + dy);
    }

    public static EdgeServer withPosition(EdgeServer s, Position p) {
        return s.withPosition(p);
    }

    /**
     * Deletes devices and links. The server cannot be deleted (it is ignored). Links touching a deleted
     * device go too, as do measured-channel matrices of deleted devices.
     */
    public static Topology delete(Topology t, Collection<String> nodeIds, Collection<LinkKey> linkKeys) {
        Set<String> gone = new HashSet<>(nodeIds);
        gone.remove(t.server().id());
        List<Device> ds = t.devices().stream().filter(d -> !gone.contains(d.id())).toList();
        List<DigitalLink> ls = t.links().stream()
                .filter(l -> !gone.contains(l.from()) && !gone.contains(l.to()))
                .filter(l -> linkKeys.stream().noneMatch(k -> k.matches(l)))
                .toList();
        List<MeasuredChannel> mc = t.measuredChannels();
        if (!gone.isEmpty() && !mc.isEmpty()) {
            mc = mc.stream().map(m -> new MeasuredChannel(m.perDevice().stream()
                    .filter(dm -> !gone.contains(dm.deviceId())).toList())).toList();
        }
        if (ds.size() == t.devices().size() && ls.size() == t.links().size()) {
            return t;
        }
        return new Topology(t.name(), t.description(), t.server(), t.channel(), ds, ls, t.model(), t.settings(), mc);
    }

    /** Adds a link between a and b with default rate and latency, unless one exists or a == b. */
    public static Topology addLink(Topology t, String a, String b) {
        if (a.equals(b) || t.link(a, b).isPresent()) {
            return t;
        }
        List<DigitalLink> ls = new ArrayList<>(t.links());
        ls.add(new DigitalLink(a, b, DEFAULT_LINK_RATE_BPS, DEFAULT_LINK_LATENCY_S));
        return t.withLinks(ls);
    }

    public static Topology replaceLink(Topology t, LinkKey key, DigitalLink replacement) {
        List<DigitalLink> ls = new ArrayList<>();
        for (DigitalLink l : t.links()) {
            ls.add(key.matches(l) ? replacement : l);
        }
        return t.withLinks(ls);
    }

    public static Topology replaceDevice(Topology t, String id, Device replacement) {
        List<Device> ds = new ArrayList<>();
        for (Device d : t.devices()) {
            ds.add(d.id().equals(id) ? replacement : d);
        }
        return t.withDevices(ds);
    }

    /**
     * Renames a node everywhere it is referenced (links, measured channels). The caller checks that
     * {@code newId} is free.
     */
    public static Topology renameNode(Topology t, String oldId, String newId) {
        if (oldId.equals(newId)) {
            return t;
        }
        EdgeServer s = t.server();
        if (s.id().equals(oldId)) {
            s = s.withId(newId);
        }
        List<Device> ds = new ArrayList<>();
        for (Device d : t.devices()) {
            ds.add(d.id().equals(oldId) ? d.withId(newId) : d);
        }
        List<DigitalLink> ls = new ArrayList<>();
        for (DigitalLink l : t.links()) {
            ls.add(new DigitalLink(l.from().equals(oldId) ? newId : l.from(), l.to().equals(oldId) ? newId : l.to(),
                    l.rateBitsPerSecond(), l.latencyS()));
        }
        List<MeasuredChannel> mc = t.measuredChannels().stream().map(m -> new MeasuredChannel(m.perDevice().stream()
                .map(dm -> dm.deviceId().equals(oldId) ? new MeasuredChannel.DeviceMatrix(newId, dm.re(), dm.im()) : dm)
                .toList())).toList();
        return new Topology(t.name(), t.description(), s, t.channel(), ds, ls, t.model(), t.settings(), mc);
    }

    /** What was copied: devices and the links among them. */
    public record Clip(List<Device> devices, List<DigitalLink> links) {
        public boolean isEmpty() {
            return devices.isEmpty();
        }
    }

    /** Copies the selected devices and the links whose both ends are selected. The server is not copied. */
    public static Clip copy(Topology t, Collection<String> ids) {
        Set<String> set = new HashSet<>(ids);
        List<Device> ds = t.devices().stream().filter(d -> set.contains(d.id())).toList();
        List<DigitalLink> ls = t.links().stream().filter(l -> set.contains(l.from()) && set.contains(l.to())).toList();
        return new Clip(ds, ls);
    }

    /** Result of a paste: the topology and the ids of the new devices. */
    public record Pasted(Topology topology, List<String> newIds) {
    }

    /** Pastes a clip with fresh ids, offset by (dx, dy) metres. */
    public static Pasted paste(Topology t, Clip clip, double dxM, double dyM) {
        Map<String, String> rename = new HashMap<>();
        Set<String> taken = new HashSet<>();
        List<Device> ds = new ArrayList<>(t.devices());
        List<String> newIds = new ArrayList<>();
        for (Device d : clip.devices()) {
            String base = d.id().replaceAll("-\\d+$", "");
            String id = freshId(t, base, taken);
            taken.add(id);
            rename.put(d.id(), id);
            newIds.add(id);
            ds.add(d.withId(id).withName(d.name() + " (copy)").withPosition(shift(d.position(), dxM, dyM)).withAgent(null));
        }
        List<DigitalLink> ls = new ArrayList<>(t.links());
        for (DigitalLink l : clip.links()) {
            ls.add(new DigitalLink(rename.get(l.from()), rename.get(l.to()), l.rateBitsPerSecond(), l.latencyS()));
        }
        return new Pasted(t.withDevices(ds).withLinks(ls), newIds);
    }

    /** Rounds a coordinate to the nearest multiple of {@code gridM} (no-op when gridM ≤ 0). */
    public static double snap(double v, double gridM) {
        return gridM > 0 ? Math.round(v / gridM) * gridM : v;
    }

    /** Position of a node, or null when the id is unknown. */
    public static Position positionOf(Topology t, String id) {
        if (t.server().id().equals(id)) {
            return t.server().position();
        }
        return t.device(id).map(Device::position).orElse(null);
    }
}
