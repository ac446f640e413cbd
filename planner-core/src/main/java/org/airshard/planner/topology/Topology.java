package org.airshard.planner.topology;

import java.util.List;
import java.util.Optional;

/**
 * A deployment scenario: one edge server / access point, the devices around it, the channel between
 * them, digital links for pipeline hops, the model and planning settings. Immutable; editors produce
 * modified copies. Use {@link TopologyValidator} before planning.
 *
 * @param name              display name
 * @param description       free text
 * @param server            the edge server (AirComp receiver, tensor-parallel aggregator)
 * @param channel           channel parameters
 * @param devices           devices in file order
 * @param links             digital links
 * @param model             which model runs
 * @param settings          planning settings
 * @param measuredChannels  optional measured CSI realisations (used instead of sampled fading when present)
 */
public record Topology(
        String name,
        String description,
        EdgeServer server,
        ChannelParams channel,
        List<Device> devices,
        List<DigitalLink> links,
        ModelRef model,
        PlanningSettings settings,
        List<MeasuredChannel> measuredChannels) {

    /** File format identifier written in {@code "format"}. */
    public static final String FORMAT = "airshard.topology/1";

    public Topology {
        devices = List.copyOf(devices);
        links = List.copyOf(links);
        measuredChannels = List.copyOf(measuredChannels);
    }

    public Optional<Device> device(String id) {
        return devices.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** The direct link between a and b, if the file declares one. */
    public Optional<DigitalLink> link(String a, String b) {
        return links.stream().filter(l -> l.joins(a, b)).findFirst();
    }

    /**
     * L actually used: the configured value, or min(N_r, min_n N_t) when the settings leave it at 0.
     */
    public int effectiveStreams() {
        if (settings.streams() > 0) {
            return settings.streams();
        }
        int l = server.antennas();
        for (Device d : devices) {
            l = Math.min(l, d.antennas());
        }
        return Math.max(1, l);
    }

    /** Distance from device to the server, metres. */
    public double distanceToServerM(Device d) {
        return d.position().distanceM(server.position());
    }

    public Topology withDevices(List<Device> newDevices) {
        return new Topology(name, description, server, channel, newDevices, links, model, settings, measuredChannels);
    }

    public Topology withLinks(List<DigitalLink> newLinks) {
        return new Topology(name, description, server, channel, devices, newLinks, model, settings, measuredChannels);
    }

    public Topology withModel(ModelRef newModel) {
        return new Topology(name, description, server, channel, devices, links, newModel, settings, measuredChannels);
    }

    public Topology withServer(EdgeServer newServer) {
        return new Topology(name, description, newServer, channel, devices, links, model, settings, measuredChannels);
    }

    public Topology withChannel(ChannelParams newChannel) {
        return new Topology(name, description, server, newChannel, devices, links, model, settings, measuredChannels);
    }

    public Topology withSettings(PlanningSettings newSettings) {
        return new Topology(name, description, server, channel, devices, links, model, newSettings, measuredChannels);
    }

    public Topology withName(String newName) {
        return new Topology(newName, description, server, channel, devices, links, model, settings, measuredChannels);
    }
}
