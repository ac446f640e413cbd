package org.airshard.planner.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.airshard.planner.channel.LinkBudget;
import org.airshard.planner.energy.AircompBudget;
import org.airshard.planner.io.InputException;
import org.airshard.planner.io.InputProblem;
import org.airshard.planner.model.ModelSpec;

/**
 * Semantic checks of a topology: references, uniqueness, antenna counts that make zero-forcing
 * impossible, memory and energy that cannot hold the model, measured-CSI shapes. Every finding is
 * collected with the JSON path and the id of the node concerned; nothing stops at the first problem.
 * The same validator backs the CLI's {@code validate} and the editor's inline messages.
 */
public final class TopologyValidator {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private TopologyValidator() {
    }

    /** The outcome: findings and, when the model could be resolved, its dimensions. */
    public record Outcome(ValidationReport report, ModelSpec model) {
    }

    /**
     * Validates {@code t}. {@code baseDir} resolves a relative checkpoint path (may be null).
     */
    public static Outcome validate(Topology t, Path baseDir) {
        List<ValidationIssue> out = new ArrayList<>();
        checkNodes(t, out);
        checkLinks(t, out);
        checkStreams(t, out);
        ModelSpec spec = null;
        try {
            spec = ModelResolver.resolve(t.model(), baseDir);
        } catch (InputException e) {
            for (InputProblem p : e.problems()) {
                String where = p.path().isEmpty() ? "$.model" : p.path();
                String msg = p.source().isEmpty() ? p.message() : p.source() + ": " + p.message();
                out.add(ValidationIssue.error(where, msg, ""));
            }
        }
        if (spec != null) {
            checkModelFits(t, spec, out);
            checkEnergy(t, spec, out);
        }
        checkMeasured(t, out);
        checkSnr(t, out);
        return new Outcome(new ValidationReport(out), spec);
    }

    private static boolean finite(double v) {
        return Double.isFinite(v);
    }

    private static void checkNodes(Topology t, List<ValidationIssue> out) {
        Map<String, String> seen = new HashMap<>();
        EdgeServer s = t.server();
        if (!ID.matcher(s.id()).matches()) {
            out.add(ValidationIssue.error("$.server.id", "id '" + s.id() + "' must be 1–64 letters, digits, '-', '_' or '.'", s.id()));
        }
        seen.put(s.id(), "$.server");
        if (t.devices().isEmpty()) {
            out.add(ValidationIssue.error("$.devices", "a topology needs at least one device", ""));
        }
        Map<String, String> agents = new HashMap<>();
        if (s.agent() != null) {
            agents.put(s.agent().toString(), s.id());
        }
        for (int i = 0; i < t.devices().size(); i++) {
            Device d = t.devices().get(i);
            String p = "$.devices[" + i + "]";
            if (d.id().isEmpty()) {
                continue; // reported by the reader
            }
            if (!ID.matcher(d.id()).matches()) {
                out.add(ValidationIssue.error(p + ".id", "id '" + d.id() + "' must be 1–64 letters, digits, '-', '_' or '.'", d.id()));
            }
            String prev = seen.putIfAbsent(d.id(), p);
            if (prev != null) {
                out.add(ValidationIssue.error(p + ".id", "duplicate id '" + d.id() + "' (also used at " + prev + ")", d.id()));
            }
            if (d.agent() != null) {
                String other = agents.putIfAbsent(d.agent().toString(), d.id());
                if (other != null) {
                    out.add(ValidationIssue.error(p + ".agent", "agent address " + d.agent() + " is also used by '" + other + "'", d.id()));
                }
            }
            if (finite(d.position().xM()) && finite(d.position().yM()) && finite(s.position().xM())
                    && finite(s.position().yM()) && t.distanceToServerM(d) < t.channel().referenceDistanceM()) {
                out.add(ValidationIssue.warning(p + ".position", String.format(Locale.ROOT,
                        "device '%s' is %.2f m from the server, closer than the reference distance %.2f m; the path loss is clamped there",
                        d.id(), t.distanceToServerM(d), t.channel().referenceDistanceM()), d.id()));
            }
        }
    }

    private static void checkLinks(Topology t, List<ValidationIssue> out) {
        Set<String> ids = new HashSet<>();
        ids.add(t.server().id());
        t.devices().forEach(d -> ids.add(d.id()));
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < t.links().size(); i++) {
            DigitalLink l = t.links().get(i);
            String p = "$.links[" + i + "]";
            boolean ok = true;
            if (!l.from().isEmpty() && !ids.contains(l.from())) {
                out.add(ValidationIssue.error(p + ".from", "unknown node '" + l.from() + "' (not a device or the server)", l.from()));
                ok = false;
            }
            if (!l.to().isEmpty() && !ids.contains(l.to())) {
                out.add(ValidationIssue.error(p + ".to", "unknown node '" + l.to() + "' (not a device or the server)", l.from()));
                ok = false;
            }
            if (ok && l.from().equals(l.to()) && !l.from().isEmpty()) {
                out.add(ValidationIssue.error(p, "a link must join two different nodes, got '" + l.from() + "' twice", l.from()));
            }
            String key = l.from().compareTo(l.to()) < 0 ? l.from() + "\u0000" + l.to() : l.to() + "\u0000" + l.from();
            if (ok && !pairs.add(key)) {
                out.add(ValidationIssue.warning(p, "second link between '" + l.from() + "' and '" + l.to()
                        + "'; only the first is used", l.from()));
            }
        }
    }

    private static void checkStreams(Topology t, List<ValidationIssue> out) {
        int nr = t.server().antennas();
        if (nr <= 0 || t.devices().isEmpty()) {
            return;
        }
        int l = t.effectiveStreams();
        if (l > nr) {
            out.add(ValidationIssue.error("$.settings.streams", "zero-forcing is impossible: " + l
                    + " streams need at least " + l + " server antennas (N_r = " + nr + ")", t.server().id()));
        }
        Set<Integer> nts = new HashSet<>();
        for (int i = 0; i < t.devices().size(); i++) {
            Device d = t.devices().get(i);
            if (d.antennas() <= 0) {
                continue;
            }
            nts.add(d.antennas());
            if (l > d.antennas()) {
                out.add(ValidationIssue.error("$.devices[" + i + "].antennas", "zero-forcing is impossible: device '" + d.id()
                        + "' has N_t = " + d.antennas() + " antennas but L = " + l + " streams are configured", d.id()));
            }
        }
        if (nts.size() > 1) {
            out.add(ValidationIssue.warning("$.devices", "devices have unequal antenna counts " + nts
                    + "; the SDR bound does not apply and the AirComp optimizer uses randomised starts + polish", ""));
        }
    }

    private static void checkModelFits(Topology t, ModelSpec m, List<ValidationIssue> out) {
        double usable = 0;
        for (Device d : t.devices()) {
            usable += d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
        }
        double need = m.totalBytes();
        if (!t.devices().isEmpty() && need > usable) {
            out.add(ValidationIssue.error("$.model", String.format(Locale.ROOT,
                    "model %s needs %s of weights but all devices together have %s usable (%.0f %% headroom kept)",
                    m.displayName(), Units.formatBytes(need), Units.formatBytes(usable),
                    100 * t.settings().memoryHeadroomFraction()), ""));
        }
        if (t.devices().size() > m.kvHeads()) {
            out.add(ValidationIssue.warning("$.devices", "tensor parallelism splits attention by KV groups: " + t.devices().size()
                    + " devices but " + m.displayName() + " has " + m.kvHeads() + " KV groups, so some devices get no attention share", ""));
        }
        int l = t.effectiveStreams();
        if (l > m.allReduceSymbolsPerToken()) {
            out.add(ValidationIssue.warning("$.settings.streams", "L = " + l + " streams exceed the all-reduce payload of "
                    + m.allReduceSymbolsPerToken() + " symbols per token", ""));
        }
    }

    private static void checkEnergy(Topology t, ModelSpec m, List<ValidationIssue> out) {
        // Largest share m_n with e_n m_n s_tot < P_n^max; the shares must be able to sum to 1.
        double sTot = m.parametersPerLayer();
        double reachable = 0;
        for (int i = 0; i < t.devices().size(); i++) {
            Device d = t.devices().get(i);
            if (!finite(d.energyBudgetJPerLayer()) || !finite(d.energyPerParameterJ())) {
                return;
            }
            double compute = d.energyPerParameterJ() * sTot;
            double maxShare = AircompBudget.maxFeasibleShare(d, m);
            reachable += maxShare;
            double equal = compute / t.devices().size();
            if (equal >= d.energyBudgetJPerLayer()) {
                out.add(ValidationIssue.warning("$.devices[" + i + "].energyBudgetJPerLayer", String.format(Locale.ROOT,
                        "device '%s': an equal share (1/%d of a layer) costs %.3g J of compute, over its budget %.3g J; it can take at most %.1f %% of a layer",
                        d.id(), t.devices().size(), equal, d.energyBudgetJPerLayer(), 100 * maxShare), d.id()));
            }
        }
        if (!t.devices().isEmpty() && reachable < 1) {
            out.add(ValidationIssue.error("$.devices", String.format(Locale.ROOT,
                    "energy budgets cannot cover a layer: together the devices can compute at most %.1f %% of each layer of %s within P_n^max",
                    100 * reachable, m.displayName()), ""));
        }
    }

    private static void checkMeasured(Topology t, List<ValidationIssue> out) {
        for (int r = 0; r < t.measuredChannels().size(); r++) {
            MeasuredChannel mc = t.measuredChannels().get(r);
            String p = "$.measuredChannels[" + r + "]";
            Set<String> have = new HashSet<>();
            for (int j = 0; j < mc.perDevice().size(); j++) {
                MeasuredChannel.DeviceMatrix dm = mc.perDevice().get(j);
                String q = p + ".devices[" + j + "]";
                Device d = t.device(dm.deviceId()).orElse(null);
                if (d == null) {
                    out.add(ValidationIssue.error(q + ".device", "unknown device '" + dm.deviceId() + "'", dm.deviceId()));
                    continue;
                }
                if (!have.add(d.id())) {
                    out.add(ValidationIssue.error(q + ".device", "second matrix for device '" + d.id() + "'", d.id()));
                }
                int rows = dm.re().length, cols = dm.re()[0].length;
                if (rows != t.server().antennas() || cols != d.antennas()) {
                    out.add(ValidationIssue.error(q, "H for '" + d.id() + "' is " + rows + "×" + cols + " but must be N_r×N_t = "
                            + t.server().antennas() + "×" + d.antennas(), d.id()));
                }
            }
            for (Device d : t.devices()) {
                if (!have.contains(d.id())) {
                    out.add(ValidationIssue.error(p + ".devices", "no channel matrix for device '" + d.id() + "'", d.id()));
                }
            }
        }
    }

    private static void checkSnr(Topology t, List<ValidationIssue> out) {
        if (!finite(t.server().noisePowerDbm())) {
            return;
        }
        for (int i = 0; i < t.devices().size(); i++) {
            Device d = t.devices().get(i);
            if (!finite(d.position().xM()) || !finite(d.position().yM()) || !finite(d.maxTxPowerDbm())) {
                continue;
            }
            double snrDb = LinkBudget.uplinkSnrDb(t, d);
            if (snrDb < 0) {
                out.add(ValidationIssue.warning("$.devices[" + i + "].position", String.format(Locale.ROOT,
                        "device '%s' has an average uplink SNR of %.1f dB per antenna; over-the-air aggregation will be very noisy",
                        d.id(), snrDb), d.id()));
            }
        }
    }
}
