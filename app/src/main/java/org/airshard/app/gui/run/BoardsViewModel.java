package org.airshard.app.gui.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.executor.board.BoardClient;
import org.airshard.executor.board.KnownBoards;
import org.airshard.planner.topology.AgentAddress;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/**
 * The boards panel: every topology device with an agent address plus boards added by hand; "Start local
 * boards" runs agents in this process for the devices whose agent is on 127.0.0.1; "Check" asks each board
 * for its capabilities (hello, with a short FLOP-rate measurement); "Pair" stores a board's token for this
 * session (its certificate is pinned on first contact in {@link KnownBoards}); "Write back" puts the measured
 * FLOP rate and memory into the topology as one undoable edit.
 */
public final class BoardsViewModel {

    private final TopologyEditorViewModel editor;
    private final TaskRunner tasks;
    private final KnownBoards known;
    private final Path localBoardsDir;
    private final ObservableList<BoardRow> rows = FXCollections.observableArrayList();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Device id -> address its local agent actually listens on (differs when the topology's port was taken). */
    private final Map<String, String> localAddress = new LinkedHashMap<>();
    private final List<String> manual = new ArrayList<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private LocalBoards local;
    private List<java.net.InetSocketAddress> discoveryTargets = List.of(
            new java.net.InetSocketAddress("255.255.255.255", org.airshard.app.discovery.BoardBeacon.DEFAULT_PORT),
            new java.net.InetSocketAddress("127.0.0.1", org.airshard.app.discovery.BoardBeacon.DEFAULT_PORT));

    /**
     * @param known          certificate pins (the application: {@code ~/.airshard/known-boards}; tests: in memory)
     * @param localBoardsDir where local agents keep identity and tensor cache
     */
    public BoardsViewModel(TopologyEditorViewModel editor, TaskRunner tasks, KnownBoards known, Path localBoardsDir) {
        this.editor = editor;
        this.tasks = tasks;
        this.known = known;
        this.localBoardsDir = localBoardsDir;
        editor.topologyProperty().addListener((o, a, b) -> syncFromTopology());
        syncFromTopology();
    }

    public ObservableList<BoardRow> rows() {
        return rows;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public TopologyEditorViewModel editor() {
        return editor;
    }

    public KnownBoards knownBoards() {
        return known;
    }

    /** Token for a board address, if paired. */
    public Optional<String> token(String address) {
        return Optional.ofNullable(tokens.get(address));
    }

    /** Address to use for a device: its local agent's when started here, else the topology's. */
    public Optional<String> addressOf(String deviceId) {
        return rows.stream().filter(r -> deviceId.equals(r.deviceId())).map(BoardRow::address).findFirst();
    }

    public Optional<BoardRow> row(String address) {
        return rows.stream().filter(r -> r.address().equals(address)).findFirst();
    }

    /** Rebuilds the list from the topology, keeping what is known about each address. */
    public void syncFromTopology() {
        Map<String, BoardRow> old = new LinkedHashMap<>();
        rows.forEach(r -> old.put(r.address(), r));
        List<BoardRow> next = new ArrayList<>();
        for (Device d : editor.topology().devices()) {
            if (d.agent() == null) {
                continue;
            }
            String addr = localAddress.getOrDefault(d.id(), d.agent().host() + ":" + d.agent().port());
            BoardRow prev = old.remove(addr);
            BoardRow r = prev != null ? new BoardRow(d.id(), prev.name(), addr, prev.state(), prev.version(), prev.cpus(),
                    prev.memoryBytes(), prev.flopsPerSecond(), prev.fingerprint(), prev.paired(), prev.local(), prev.message())
                    : BoardRow.of(d.id(), d.name(), addr).withPaired(tokens.containsKey(addr), isLocal(addr));
            next.add(r);
        }
        for (String m : manual) {
            BoardRow prev = old.get(m);
            if (next.stream().noneMatch(r -> r.address().equals(m))) {
                next.add(prev != null ? new BoardRow(null, prev.name(), m, prev.state(), prev.version(), prev.cpus(), prev.memoryBytes(),
                        prev.flopsPerSecond(), prev.fingerprint(), prev.paired(), prev.local(), prev.message())
                        : BoardRow.of(null, m, m).withPaired(tokens.containsKey(m), isLocal(m)));
            }
        }
        rows.setAll(next);
    }

    private boolean isLocal(String addr) {
        return local != null && local.isLocal(addr);
    }

    /** Adds a board by host:port; returns an error message for bad input. */
    public Optional<String> addHost(String text) {
        AgentAddress a;
        try {
            a = AgentAddress.parse(text == null ? "" : text.trim());
        } catch (RuntimeException e) {
            return Optional.of("expected host:port, e.g. 192.168.1.20:7400 (" + e.getMessage() + ")");
        }
        String addr = a.host() + ":" + a.port();
        if (!manual.contains(addr) && rows.stream().noneMatch(r -> r.address().equals(addr))) {
            manual.add(addr);
            syncFromTopology();
        }
        status.set("Added " + addr + ": pair it with its token, then Check.");
        return Optional.empty();
    }

    /** Where "Discover" sends its probe (default: the broadcast address and 127.0.0.1, UDP 7399). */
    public void setDiscoveryTargets(List<java.net.InetSocketAddress> targets) {
        discoveryTargets = List.copyOf(targets);
    }

    /**
     * Broadcasts a discovery probe and adds every board that answers (not paired yet: Pair gives its token
     * once; compare the certificate fingerprint shown with the one the agent printed).
     */
    public void discover() {
        List<java.net.InetSocketAddress> targets = discoveryTargets;
        busy.set(true);
        status.set("Looking for boards on the local network\u2026");
        tasks.submit("discover boards", () -> org.airshard.app.discovery.BoardDiscovery.probe(targets, 800), found -> {
            busy.set(false);
            int added = 0;
            for (org.airshard.app.discovery.BoardDiscovery.Found f : found) {
                String addr = f.address();
                if (isLocal(addr) || rows.stream().anyMatch(r -> r.address().equals(addr))) {
                    update(addr, r -> r.fingerprint().isEmpty() ? r.withHello(f.name(), r.version(), r.cpus(), r.memoryBytes(),
                            r.flopsPerSecond(), f.fingerprint()).withState(r.state(), r.message()) : r);
                    continue;
                }
                manual.add(addr);
                added++;
            }
            syncFromTopology();
            for (org.airshard.app.discovery.BoardDiscovery.Found f : found) {
                update(f.address(), r -> r.fingerprint().isEmpty()
                        ? new BoardRow(r.deviceId(), f.name().isEmpty() ? r.name() : f.name(), r.address(), r.state(), r.version(),
                        r.cpus(), r.memoryBytes(), r.flopsPerSecond(), f.fingerprint(), r.paired(), r.local(), "found by discovery")
                        : r);
            }
            status.set("Discovery: " + found.size() + " board" + (found.size() == 1 ? "" : "s") + " answered, " + added
                    + " new" + (added > 0 ? ": select one and Pair" : ""));
        }, err -> {
            busy.set(false);
            status.set("Discovery failed: " + err.getMessage());
        });
    }

    /** Devices whose agent is on this machine (127.0.0.1 / localhost) and not running yet. */
    public List<Device> localDevices() {
        List<Device> out = new ArrayList<>();
        for (Device d : editor.topology().devices()) {
            if (d.agent() != null && isLoopback(d.agent().host()) && !localAddress.containsKey(d.id())) {
                out.add(d);
            }
        }
        return out;
    }

    static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("::1");
    }

    /**
     * Starts agents in this process: one per topology device whose agent address is on 127.0.0.1 (on that
     * port when free), or, when there is none, {@code extra} unnamed boards added as hand-added hosts. Then
     * checks them.
     */
    public void startLocalBoards(int extra) {
        if (busy.get()) {
            return;
        }
        List<Device> devices = localDevices();
        boolean topologyHasLocal = editor.topology().devices().stream()
                .anyMatch(d -> d.agent() != null && isLoopback(d.agent().host()));
        if (devices.isEmpty() && topologyHasLocal) {
            status.set("The topology's local boards are already running.");
            return;
        }
        if (local == null) {
            local = new LocalBoards(localBoardsDir);
        }
        LocalBoards lb = local;
        busy.set(true);
        status.set("Starting local boards\u2026");
        tasks.submit("start local boards", () -> {
            Map<String, LocalBoards.Started> started = new LinkedHashMap<>();
            if (!devices.isEmpty()) {
                for (Device d : devices) {
                    started.put(d.id(), lb.start(d.id(), d.agent().port()));
                }
            } else {
                for (int i = 0; i < extra; i++) {
                    started.put("#" + i, lb.start("local-" + (lb.size() + 1), 0));
                }
            }
            return started;
        }, started -> {
            busy.set(false);
            for (Map.Entry<String, LocalBoards.Started> e : started.entrySet()) {
                String addr = e.getValue().address();
                tokens.put(addr, lb.token());
                if (e.getKey().startsWith("#")) {
                    manual.add(addr);
                } else {
                    localAddress.put(e.getKey(), addr);
                }
            }
            syncFromTopology();
            rows.replaceAll(r -> r.withPaired(tokens.containsKey(r.address()), isLocal(r.address())));
            status.set("Started " + started.size() + " local board" + (started.size() == 1 ? "" : "s") + " on 127.0.0.1");
            check(false);
        }, err -> {
            busy.set(false);
            status.set("Cannot start local boards: " + err.getMessage());
        });
    }

    /** The agents started here (null before "Start local boards"). */
    public LocalBoards localBoards() {
        return local;
    }

    /** Stores {@code token} for {@code address} after one successful hello (which pins the certificate). */
    public void pair(String address, String token) {
        if (token == null || token.isBlank()) {
            status.set("Pairing needs the board's token (printed by `airshard agent`, in its pairing-token file).");
            return;
        }
        String t = token.trim();
        busy.set(true);
        status.set("Pairing " + address + "\u2026");
        tasks.submit("pair " + address, () -> hello(address, t, false), hello -> {
            busy.set(false);
            tokens.put(address, t);
            update(address, r -> apply(r, hello).withPaired(true, r.local()));
            status.set("Paired " + address + " (certificate " + shortFp(hello.path("fingerprint").asText("")) + " pinned)");
        }, err -> {
            busy.set(false);
            update(address, r -> r.withState(BoardRow.State.OFFLINE, err.getMessage()));
            status.set("Pairing " + address + " failed: " + err.getMessage());
        });
    }

    /** Asks every paired board for its capabilities ({@code measureFlops}: also a ~0.2 s FLOP-rate test). */
    public void check(boolean measureFlops) {
        List<BoardRow> snapshot = List.copyOf(rows);
        busy.set(true);
        status.set("Checking " + snapshot.size() + " boards\u2026");
        tasks.submit("check boards", () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (BoardRow r : snapshot) {
                String t = tokens.get(r.address());
                if (t == null) {
                    out.put(r.address(), "not paired");
                    continue;
                }
                try {
                    out.put(r.address(), hello(r.address(), t, measureFlops));
                } catch (RuntimeException e) {
                    out.put(r.address(), e);
                }
            }
            return out;
        }, results -> {
            busy.set(false);
            int online = 0;
            for (Map.Entry<String, Object> e : results.entrySet()) {
                Object v = e.getValue();
                if (v instanceof ObjectNode h) {
                    online++;
                    update(e.getKey(), r -> apply(r, h));
                } else if (v instanceof Exception ex) {
                    update(e.getKey(), r -> r.withState(BoardRow.State.OFFLINE, ex.getMessage()));
                } else {
                    update(e.getKey(), r -> r.withState(BoardRow.State.UNKNOWN, String.valueOf(v)));
                }
            }
            status.set(online + " of " + results.size() + " boards online");
        }, err -> {
            busy.set(false);
            status.set("Check failed: " + err.getMessage());
        });
    }

    /** Marks a board lost (a run failed on it). */
    public void markLost(String addressOrName, String reason) {
        rows.replaceAll(r -> addressOrName != null && (addressOrName.contains(r.address()) || addressOrName.contains(r.name()))
                ? r.withState(BoardRow.State.LOST, reason) : r);
        long online = rows.stream().filter(BoardRow::online).count();
        status.set("Lost " + addressOrName + "; " + online + " of " + rows.size() + " boards online");
    }

    /**
     * Writes measured capabilities (FLOP/s × cores, physical memory) of online topology boards into their
     * devices: one undoable edit. Returns the number of devices changed.
     */
    public int writeBackCapabilities() {
        Map<String, BoardRow> byDevice = new LinkedHashMap<>();
        for (BoardRow r : rows) {
            if (r.deviceId() != null && r.online()) {
                byDevice.put(r.deviceId(), r);
            }
        }
        int[] changed = {0};
        boolean done = editor.edit("Write measured capabilities", t -> {
            List<Device> ds = new ArrayList<>();
            for (Device d : t.devices()) {
                BoardRow r = byDevice.get(d.id());
                Device n = d;
                if (r != null && r.flopsPerSecond() > 0) {
                    n = n.withFlopsPerSecond(r.flopsPerSecond() * Math.max(1, r.cpus()));
                }
                if (r != null && r.memoryBytes() > 0) {
                    n = n.withMemoryBytes(r.memoryBytes());
                }
                if (!n.equals(d)) {
                    changed[0]++;
                }
                ds.add(n);
            }
            return t.withDevices(ds);
        }, null);
        status.set(done ? "Wrote measured capabilities into " + changed[0] + " device" + (changed[0] == 1 ? "" : "s")
                + " (Undo reverts)" : "Nothing to write: Check with \u201cmeasure\u201d first");
        return done ? changed[0] : 0;
    }

    /** Stops the local agents (application exit). */
    public void close() {
        if (local != null) {
            local.close();
        }
    }

    private ObjectNode hello(String address, String token, boolean measure) {
        try (BoardClient c = new BoardClient(address, token, known)) {
            return c.hello(measure);
        }
    }

    private static BoardRow apply(BoardRow r, ObjectNode h) {
        String v = "Java " + h.path("java").asText("?") + ", ORT " + h.path("onnxRuntime").asText("?");
        return r.withHello(h.path("name").asText(r.name()), v, h.path("cpus").asInt(0), h.path("physicalMemoryBytes").asLong(
                h.path("maxHeapBytes").asLong(0)), h.path("flopsPerSecond").asDouble(0), h.path("fingerprint").asText(""));
    }

    private void update(String address, java.util.function.UnaryOperator<BoardRow> f) {
        rows.replaceAll(r -> r.address().equals(address) ? f.apply(r) : r);
    }

    static String shortFp(String fp) {
        return fp.length() > 17 ? fp.substring(0, 8) + "\u2026" + fp.substring(fp.length() - 8) : fp;
    }

    /** For tests and the run view: the topology in the editor. */
    Topology topology() {
        return editor.topology();
    }
}
