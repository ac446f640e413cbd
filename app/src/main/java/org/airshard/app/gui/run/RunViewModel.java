package org.airshard.app.gui.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.report.HtmlReport;
import org.airshard.app.report.PdfReport;
import org.airshard.app.report.ReportContent;
import org.airshard.app.report.ReportData;
import org.airshard.app.report.TraceEvents;
import org.airshard.executor.board.BoardFailure;
import org.airshard.executor.board.ChromeTrace;
import org.airshard.executor.board.DistributedRun;
import org.airshard.executor.board.RunListener;
import org.airshard.executor.board.RunLogic;
import org.airshard.executor.cli.SynthCommandLogic;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.cli.GenerateRunner;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.io.InputException;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.pipeline.PipelinePartitioner;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.plan.PlanBuilder;
import org.airshard.planner.plan.PlanValidator;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.topology.Topology;

/**
 * Deploy and run: one click deploys the current plan (the pipeline tab's, else near-equal ranges) to the
 * paired online boards and generates; tokens of every sequence stream in; the {@link TimelineModel} fills
 * from the run's {@link RunListener} events. The view calls {@link #refresh()} on a timer (about 10 Hz), so
 * run threads never touch the UI. Stop ends the run at every sequence's next token. A board lost mid-run
 * either ends the run cleanly with a notification naming the board, or, with {@link #autoReplanProperty()}
 * (pipeline mode, on by default), the executor re-partitions over the remaining boards (the same re-planner
 * as {@code airshard run --replan}), redeploys and resumes every sequence from the tokens chosen so far; the
 * notification then says where it resumed.
 */
public final class RunViewModel {

    /** Report formats. */
    public enum ReportFormat {
        HTML("html"), PDF("pdf"), CSV("csv"), TRACE("json");

        public final String extension;

        ReportFormat(String extension) {
            this.extension = extension;
        }
    }

    /** Thrown inside run threads to stop at the next token. */
    static final class RunStopped extends RuntimeException {
        RunStopped() {
            super("stopped by the user", null, false, false);
        }
    }

    private final BoardsViewModel boards;
    private final TaskRunner tasks;
    private final Supplier<Plan> planSupplier;
    private final Path modelsDir;
    private final TimelineModel timeline = new TimelineModel();

    private final StringProperty prompt = new SimpleStringProperty(this, "prompt", "Once upon a time");
    private final BooleanProperty promptIsIds = new SimpleBooleanProperty(this, "promptIsIds", false);
    private final IntegerProperty sequences = new SimpleIntegerProperty(this, "sequences", 3);
    private final IntegerProperty maxTokens = new SimpleIntegerProperty(this, "maxTokens", 64);
    private final BooleanProperty greedy = new SimpleBooleanProperty(this, "greedy", false);
    private final StringProperty mode = new SimpleStringProperty(this, "mode", "pipeline");
    private final StringProperty allReduce = new SimpleStringProperty(this, "allReduce", "exact");
    private final javafx.beans.property.DoubleProperty emulatedSpeed = new javafx.beans.property.SimpleDoubleProperty(this,
            "emulatedSpeed", 1.0);
    private final ObjectProperty<Path> modelOverride = new SimpleObjectProperty<>(this, "modelOverride");
    private final BooleanProperty autoReplan = new SimpleBooleanProperty(this, "autoReplan", true);

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper notification = new ReadOnlyStringWrapper(this, "notification", "");
    private final ReadOnlyStringWrapper modelNote = new ReadOnlyStringWrapper(this, "modelNote", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyObjectWrapper<DistributedRun.Result> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyObjectWrapper<TimelineModel.Snapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot",
            timeline.snapshot());
    private final ObservableList<String> texts = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<List<LatencyComparison.Row>> latency =
            new ReadOnlyObjectWrapper<>(this, "latency", List.of());
    private volatile Map<String, String> runDeviceByAddress = Map.of();
    private final ReadOnlyStringWrapper lostDevice = new ReadOnlyStringWrapper(this, "lostDevice", "");
    private final ReadOnlyObjectWrapper<Plan> replanned = new ReadOnlyObjectWrapper<>(this, "replanned");
    private final ReadOnlyStringWrapper replanText = new ReadOnlyStringWrapper(this, "replanText", "");
    private final ReadOnlyBooleanWrapper replanning = new ReadOnlyBooleanWrapper(this, "replanning");
    private final ReadOnlyBooleanWrapper resumed = new ReadOnlyBooleanWrapper(this, "resumed");
    private final ReadOnlyStringWrapper latencyNote = new ReadOnlyStringWrapper(this, "latencyNote", "");
    private final ObservableList<DistributedRun.Replan> replans = FXCollections.observableArrayList();

    // written by run threads, read by refresh()
    private final List<StringBuilder> streamed = new ArrayList<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicReference<String> progress = new AtomicReference<>();
    private final AtomicReference<String> note = new AtomicReference<>();
    private volatile long streamedVersion;
    private long shownVersion = -1;
    private long shownTimeline = -1;
    private TaskRunner.Cancellable task;
    private ChromeTrace trace;
    private volatile Plan runPlan;
    /** Set by the re-planner (run thread) when it starts, read when the executor reports the re-plan. */
    private volatile long replanStartedNanos;
    /** The planner's plan of the last re-plan, null for near-equal ranges. */
    private volatile Plan replanPlan;
    private Topology runTopology;
    private ModelSpec runModel;

    /**
     * @param planSupplier the current plan (the pipeline tab's), or null when there is none
     * @param modelsDir    where synthetic checkpoints for {@code synthetic-*} presets are written once
     */
    public RunViewModel(BoardsViewModel boards, TaskRunner tasks, Supplier<Plan> planSupplier, Path modelsDir) {
        this.boards = boards;
        this.tasks = tasks;
        this.planSupplier = planSupplier;
        this.modelsDir = modelsDir;
        boards.rows().addListener((javafx.collections.ListChangeListener<BoardRow>) c -> idleStatus());
        idleStatus();
    }

    /** Before the first run: says whether the boards are ready. */
    private void idleStatus() {
        if (running.get() || result.get() != null || trace != null) {
            return;
        }
        long ready = boards.rows().stream().filter(r -> r.online() && r.paired()).count();
        status.set(ready == 0 ? "Start local boards (or add and pair yours, then Check), then Deploy & run."
                : ready + " board" + (ready == 1 ? "" : "s") + " ready: Deploy & run sends each its shard and starts generating.");
    }

    // ------------------------------------------------------------ properties

    public StringProperty promptProperty() { return prompt; }

    public BooleanProperty promptIsIdsProperty() { return promptIsIds; }

    public IntegerProperty sequencesProperty() { return sequences; }

    public IntegerProperty maxTokensProperty() { return maxTokens; }

    public BooleanProperty greedyProperty() { return greedy; }

    /** "pipeline" or "tensor". */
    public StringProperty modeProperty() { return mode; }

    /** "exact" or "aircomp" (tensor only). */
    public StringProperty allReduceProperty() { return allReduce; }

    /**
     * Emulated board speed in (0, 1]: boards sleep after computing so they behave as this fraction of their speed
     * (1 = real speed; statistics and traces mark emulated boards).
     */
    public javafx.beans.property.DoubleProperty emulatedSpeedProperty() { return emulatedSpeed; }

    /** A checkpoint to use instead of the topology's model. */
    public ObjectProperty<Path> modelOverrideProperty() { return modelOverride; }

    /**
     * Pipeline mode: when a board is lost mid-run, re-partition over the remaining boards, redeploy and resume
     * (as {@code airshard run --replan}); off, a lost board ends the run. Tensor runs ignore it.
     */
    public BooleanProperty autoReplanProperty() { return autoReplan; }

    /**
     * Why measured and predicted latencies differ by design (local boards measure this machine, emulated speed
     * slows boards down; the plan predicts the topology's devices), "" when they are comparable.
     */
    public ReadOnlyStringProperty latencyNoteProperty() { return latencyNote.getReadOnlyProperty(); }

    /**
     * Re-plans of the current (or last) run so far, as the listener reported them ({@code seconds} measured by
     * the window until the run ends, then the executor's).
     */
    public ObservableList<DistributedRun.Replan> replans() { return FXCollections.unmodifiableObservableList(replans); }

    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }

    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }

    /** The last notification (a board lost), "" when none. */
    public ReadOnlyStringProperty notificationProperty() { return notification.getReadOnlyProperty(); }

    /** "synthetic random weights: the text is meaningless" for synthetic models, else "". */
    public ReadOnlyStringProperty modelNoteProperty() { return modelNote.getReadOnlyProperty(); }

    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<DistributedRun.Result> resultProperty() { return result.getReadOnlyProperty(); }

    /** The timeline as of the last {@link #refresh()}. */
    public ReadOnlyObjectProperty<TimelineModel.Snapshot> snapshotProperty() { return snapshot.getReadOnlyProperty(); }

    /** Generated text of each sequence so far. */
    public ObservableList<String> texts() { return texts; }

    public TimelineModel timeline() { return timeline; }

    /**
     * Measured vs predicted latency per token per board of the current (or last) run, updated live by
     * {@link #refresh()}; predictions come from the run's plan (empty columns without one).
     */
    public ReadOnlyObjectProperty<List<LatencyComparison.Row>> latencyProperty() { return latency.getReadOnlyProperty(); }

    public BoardsViewModel boards() { return boards; }

    public void dismissNotification() {
        notification.set("");
        resumed.set(false);
    }

    /** True while the notification reports re-plans the run survived (not a run that ended). */
    public ReadOnlyBooleanProperty resumedProperty() { return resumed.getReadOnlyProperty(); }

    /** Topology device id of the board lost in the last run, "" when none (or the board was not a topology device). */
    public ReadOnlyStringProperty lostDeviceProperty() { return lostDevice.getReadOnlyProperty(); }

    /** The plan re-made without the lost board; the next Deploy & run uses it. Null when there is none. */
    public ReadOnlyObjectProperty<Plan> replannedProperty() { return replanned.getReadOnlyProperty(); }

    /** The re-made plan in words (ring, ranges, predicted tokens/s), or why there is none; "" before. */
    public ReadOnlyStringProperty replanTextProperty() { return replanText.getReadOnlyProperty(); }

    public ReadOnlyBooleanProperty replanningProperty() { return replanning.getReadOnlyProperty(); }

    /**
     * Re-runs the pipeline partitioner in the background on the topology without the lost board (and its
     * links). The new plan is shown ({@link #replanTextProperty()}) and used by the next {@link #start()},
     * which deploys it on the remaining boards.
     */
    public void replanWithoutLost() {
        String id = lostDevice.get();
        if (id.isEmpty() || running.get() || replanning.get()) {
            if (id.isEmpty()) {
                status.set("No lost board to plan without.");
            }
            return;
        }
        Topology t = boards.editor().topology();
        ModelSpec spec = boards.editor().modelProperty().get();
        if (spec == null) {
            status.set("The topology has no model to plan for.");
            return;
        }
        Topology without = without(t, id);
        replanning.set(true);
        status.set("Re-planning without " + id + " on " + without.devices().size() + " boards…");
        tasks.submit("re-plan without " + id, () -> new PipelinePartitioner(without, spec, new RadioRates(without))
                .partition(PipelinePartitioner.Options.of(Math.max(1, without.settings().sequences())), Cancellation.none()), r -> {
                    replanning.set(false);
                    if (r.best() == null) {
                        replanned.set(null);
                        replanText.set("No ring fits without " + id + ": " + String.join("; ", r.notes()));
                        status.set(replanText.get());
                        return;
                    }
                    Plan p = PlanBuilder.fromPartition(r, without, spec, "airshard-gui (re-planned without " + id + ")");
                    replanned.set(p);
                    replanText.set(describe(p, id));
                    status.set("Re-planned without " + id + ": Deploy & run starts the new plan on the remaining boards.");
                }, err -> {
                    replanning.set(false);
                    replanned.set(null);
                    replanText.set("Cannot re-plan without " + id + ": " + err.getMessage());
                    status.set(replanText.get());
                });
    }

    /** {@code t} without device {@code id} and the digital links that touch it. */
    static Topology without(Topology t, String id) {
        return t.withDevices(t.devices().stream().filter(d -> !d.id().equals(id)).toList())
                .withLinks(t.links().stream().filter(l -> !l.from().equals(id) && !l.to().equals(id)).toList());
    }

    /** e.g. "Plan without pi5-2: orin-1 L0–9 → pi5-1 L10–15, predicted 12.3 tokens/s at S = 3". */
    static String describe(Plan p, String without) {
        StringBuilder sb = new StringBuilder("Plan without " + without + ": ");
        var st = p.pipeline().stages();
        for (int k = 0; k < st.size(); k++) {
            var s = st.get(k);
            sb.append(k == 0 ? "" : " \u2192 ").append(s.device()).append(' ')
                    .append(s.layerCount() == 0 ? "(embedding + head)" : s.layerCount() == 1 ? "L" + s.layerStart()
                            : "L" + s.layerStart() + "\u2013" + (s.layerEnd() - 1));
        }
        if (p.predicted() != null) {
            sb.append(String.format(Locale.ROOT, ", predicted %.1f tokens/s at S = %d", p.predicted().tokensPerSecond(),
                    p.pipeline().sequences()));
        }
        return sb.toString();
    }

    /** True when a finished or stopped run left a trace to export. */
    public boolean hasTrace() {
        return trace != null && trace.size() > 0;
    }

    // ------------------------------------------------------------ run

    /** Deploys and runs in the background. */
    public void start() {
        if (running.get()) {
            return;
        }
        Topology t = boards.editor().topology();
        ModelSpec spec = boards.editor().modelProperty().get();
        Plan plan = replanned.get() != null && !tensorMode() ? replanned.get() : planSupplier == null ? null : planSupplier.get();
        List<BoardRow> online = boards.rows().stream().filter(BoardRow::online).filter(BoardRow::paired).toList();
        if (online.isEmpty()) {
            status.set("No paired online boards: Start local boards, or add and pair yours, then Check.");
            return;
        }
        String token = boards.token(online.get(0).address()).orElse("");
        if (online.stream().anyMatch(r -> !token.equals(boards.token(r.address()).orElse("")))) {
            status.set("The boards have different pairing tokens; one run needs one token.");
            return;
        }
        Map<String, String> addressByDevice = new java.util.HashMap<>();
        online.stream().filter(r -> r.deviceId() != null).forEach(r -> addressByDevice.put(r.deviceId(), r.address()));
        List<String> onlineAddresses = online.stream().map(BoardRow::address).toList();
        Path modelPath;
        try {
            modelPath = modelPath(t);
        } catch (InputException e) {
            status.set(e.getMessage());
            return;
        }
        boolean tensor = "tensor".equals(mode.get());
        boolean aircomp = tensor && "aircomp".equals(allReduce.get());
        int s = Math.max(1, sequences.get());
        int n = Math.max(0, maxTokens.get());
        String promptText = prompt.get() == null ? "" : prompt.get();
        boolean ids = promptIsIds.get();
        boolean isGreedy = greedy.get();
        double speed = emulatedSpeed.get();
        if (!(speed > 0 && speed <= 1)) {
            status.set("Emulated board speed must be in (0, 1].");
            return;
        }

        timeline.clear();
        synchronized (streamed) {
            streamed.clear();
            for (int i = 0; i < s; i++) {
                streamed.add(new StringBuilder());
            }
            streamedVersion++;
        }
        texts.setAll(java.util.Collections.nCopies(s, ""));
        stopRequested.set(false);
        notification.set("");
        resumed.set(false);
        summary.set("");
        result.set(null);
        replans.clear();
        replanStartedNanos = 0;
        replanPlan = null;
        boolean replan = autoReplan.get() && !aircomp;
        latencyNote.set(latencyNote(online.stream().anyMatch(BoardRow::local), speed, -1));
        ChromeTrace ct = new ChromeTrace();
        trace = ct;
        runPlan = plan;
        runTopology = t;
        runModel = spec;
        Map<String, String> deviceByAddress = new java.util.HashMap<>();
        addressByDevice.forEach((d, a) -> deviceByAddress.put(a, d));
        runDeviceByAddress = Map.copyOf(deviceByAddress);
        latency.set(List.of());
        running.set(true);
        status.set("Preparing the model\u2026");
        RunListener live = new RunListener() {
            int boardsNamed;

            @Override
            public void process(int pid, String name) {
                if (pid != COORDINATOR) {
                    boardsNamed++;
                    String n = TimelineView.laneLabel(name)[0];
                    int paren = n.indexOf(" (");
                    names.put(pid, paren > 0 ? n.substring(0, paren) : n);
                    progress.set("Deploying to " + name + " (" + boardsNamed + ")\u2026");
                }
            }

            final java.util.Map<Integer, long[]> deploy = new java.util.concurrent.ConcurrentHashMap<>();
            final java.util.Map<Integer, String> names = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public void counter(int pid, String name, long atMicros, double value) {
                boolean sent = DistributedRun.DEPLOY_SENT.equals(name);
                if (!sent && !DistributedRun.DEPLOY_SKIPPED.equals(name)) {
                    return;
                }
                deploy.computeIfAbsent(pid, k -> new long[2])[sent ? 0 : 1] = (long) value;
                StringBuilder sb = new StringBuilder("Deploying: ");
                new java.util.TreeMap<>(deploy).forEach((p, b) -> sb.append(names.getOrDefault(p, "board " + p)).append(' ')
                        .append(bytes(b[0])).append(" sent, ").append(bytes(b[1])).append(" unchanged; "));
                progress.set(sb.substring(0, sb.length() - 2) + "\u2026");
            }

            /** Per sequence, the index of the next token: a token seen twice (never expected) is not appended twice. */
            final int[] nextIndex = new int[s];

            @Override
            public void token(int sequence, int index, int token, String text) {
                synchronized (streamed) {
                    if (sequence < streamed.size() && index >= nextIndex[sequence]) {
                        streamed.get(sequence).append(text);
                        nextIndex[sequence] = index + 1;
                    }
                    streamedVersion++;
                }
                if (stopRequested.get()) {
                    throw new RunStopped();
                }
            }

            @Override
            public void replan(String lostBoard, String reason, List<String> ranges, int tokenIndex, long atMicros) {
                long started = replanStartedNanos;
                double secs = started == 0 ? Double.NaN : (System.nanoTime() - started) / 1e9;
                Plan p = replanPlan;
                progress.set("Generating (resumed on " + ranges.size() + (ranges.size() == 1 ? " board" : " boards")
                        + " after losing " + lostBoard + ")\u2026");
                tasks.runOnUi(() -> onReplan(new DistributedRun.Replan(lostBoard, reason, List.copyOf(ranges), tokenIndex,
                        List.of(), secs), p, speed));
            }
        };
        RunListener all = RunListener.all(ct, timeline, live);
        task = tasks.submit("run", () -> {
            Path model = ensureModel(modelPath);
            try (Checkpoint ck = Checkpoint.open(model)) {
                ModelConfig c = ck.config();
                note.set(ck.synthetic() ? "Synthetic model with random weights: the generated text is meaningless." : "");
                Plan use = plan != null || tensor ? plan : partition(t, spec);
                Layout lay = layout(c, tensor, use, addressByDevice, onlineAddresses);
                runPlan = lay.fromPlan() ? use : plan;
                int[] promptIds = ids ? GenerateRunner.parseIds(promptText) : encode(ck, promptText);
                SamplingOptions so = isGreedy ? SamplingOptions.greedy(n).withStopTokens(c.eosTokenIds())
                        : new SamplingOptions(0.8, 40, 0.95, 1, n, c.eosTokenIds());
                DistributedRun.Options o = new DistributedRun.Options(tensor ? DistributedRun.Mode.TENSOR : DistributedRun.Mode.PIPELINE,
                        aircomp, s, 1, 2048, speed < 1 ? List.of(speed) : List.of(), 60_000);
                try (DistributedRun run = new DistributedRun(ck, lay.addresses, lay.shards, o, token, boards.knownBoards(), all)) {
                    if (replan) {
                        run.enableReplan(replanner(t, spec, c, addressByDevice, s, tensor));
                    }
                    progress.set("Connecting to " + lay.addresses.size() + " boards\u2026");
                    run.setUp();
                    progress.set("Generating (" + lay.description + ")\u2026");
                    return run.generate(promptIds, so);
                }
            }
        }, r -> {
            running.set(false);
            refresh();
            for (DistributedRun.SequenceResult q : r.sequences()) { // with the decoder's last bytes, flushed at the end
                if (q.sequence() < texts.size() && !texts.get(q.sequence()).equals(q.text())) {
                    texts.set(q.sequence(), q.text());
                }
            }
            result.set(r);
            status.set(String.format(Locale.ROOT, "Done: %.1f tokens/s over %d sequence%s (set-up %.1f s)%s. Export a report or run again.",
                    r.tokensPerSecond(), r.sequences().size(), r.sequences().size() == 1 ? "" : "s", r.setupSeconds(),
                    r.replans().isEmpty() ? "" : ", re-planned " + (r.replans().size() == 1 ? "once" : r.replans().size() + " times")
                            + " after losing " + String.join(", ", r.replans().stream().map(DistributedRun.Replan::lostBoard).toList())));
            if (!r.replans().isEmpty()) { // the executor's own account (exact re-plan times)
                replans.setAll(r.replans());
                notification.set(replanNotice(r.replans()));
                resumed.set(true);
                replanText.set(replanRanges(r.replans().get(r.replans().size() - 1)));
            }
            summary.set(summarise(r, runPlan));
        }, err -> {
            running.set(false);
            refresh();
            Throwable e = rootRunError(err);
            if (e instanceof RunStopped) {
                status.set("Stopped. The boards are free; the trace so far can be exported.");
            } else if (e instanceof BoardFailure bf) {
                String why = reason(bf);
                timeline.boardLost(bf.board(), why);
                boards.markLost(bf.board(), why);
                lostDevice.set(boards.rows().stream().filter(row -> row.state() == BoardRow.State.LOST && row.deviceId() != null
                        && (bf.board().contains(row.address()) || bf.board().contains(row.name()))).map(BoardRow::deviceId)
                        .findFirst().orElse(""));
                replanned.set(null);
                replanText.set("");
                notification.set("Board " + bf.board() + " lost: " + why);
                resumed.set(false);
                status.set("The run ended: board " + bf.board() + " was lost. The other boards are free; "
                        + (lostDevice.get().isEmpty() ? "Check, then run again." : "Re-plan without " + lostDevice.get()
                        + ", or Check, then run again."));
                refresh();
            } else {
                status.set("Run failed: " + e.getMessage());
            }
        });
    }

    /**
     * The executor's re-planner for this run (runs on the run thread): {@link RunLogic#relayout} — the pipeline
     * partitioner over the topology's remaining devices when every remaining board is a topology device
     * (addresses as this window knows them, so local boards on other ports map too), else near-equal ranges; in
     * tensor mode near-equal KV-group / FFN slices over the remaining boards ({@link RunLogic#tensorRelayout}).
     */
    private DistributedRun.Replanner replanner(Topology t, ModelSpec spec, ModelConfig c, Map<String, String> addressByDevice,
                                               int samples, boolean tensor) {
        ModelSpec fits = spec != null && spec.layers() == c.layers() ? spec : null; // another checkpoint: no plan
        return (remaining, lost) -> {
            replanStartedNanos = System.nanoTime();
            if (tensor) {
                progress.set("Board " + lost + " lost: re-slicing onto " + remaining.size() + " boards\u2026");
                replanPlan = null;
                return RunLogic.tensorRelayout(c, remaining);
            }
            progress.set("Board " + lost + " lost: re-planning onto " + remaining.size() + " boards\u2026");
            RunLogic.Replanned r = RunLogic.relayout(t, fits, addressByDevice, "topology", samples, c, remaining, lost,
                    "airshard-gui (re-planned during the run without " + lost + ")");
            replanPlan = r.plan();
            return r.relayout();
        };
    }

    /** A re-plan reported by the executor (on the UI thread): the run goes on; the window says where. */
    private void onReplan(DistributedRun.Replan r, Plan plan, double speed) {
        replans.add(r);
        boards.markLost(r.lostBoard(), reason(r.lostBoard(), r.reason()));
        List<String> ids = boards.rows().stream().filter(row -> row.state() == BoardRow.State.LOST && row.deviceId() != null
                && r.lostBoard().contains(row.address())).map(BoardRow::deviceId).toList();
        runPlan = plan; // predictions of the new layout (null: near-equal ranges, none)
        // the run's re-plan covers the boards it was using; for the next run "Re-plan without BOARD" plans over
        // every remaining device of the topology
        replanned.set(null);
        lostDevice.set(ids.isEmpty() ? "" : ids.get(0));
        notification.set(replanNotice(replans));
        resumed.set(true);
        replanText.set(replanRanges(r));
        latencyNote.set(latencyNote(boards.rows().stream().anyMatch(BoardRow::local), speed, r.tokenIndex()));
        status.set("Board " + r.lostBoard() + " lost at token " + r.tokenIndex() + ": re-planned onto " + r.ranges().size()
                + (r.ranges().size() == 1 ? " board" : " boards") + ", generating\u2026");
        refresh();
    }

    /** "BOARD lost at token N — resumed on K boards in X s", one line per re-plan. */
    static String replanNotice(List<DistributedRun.Replan> rs) {
        StringBuilder sb = new StringBuilder();
        for (DistributedRun.Replan r : rs) {
            sb.append(sb.length() == 0 ? "" : "\n").append(r.lostBoard()).append(" lost at token ").append(r.tokenIndex())
                    .append(" \u2014 resumed on ").append(r.ranges().size()).append(r.ranges().size() == 1 ? " board" : " boards")
                    .append(Double.isNaN(r.seconds()) ? "" : String.format(Locale.ROOT, " in %.1f s", r.seconds()))
                    .append(r.reason() == null || r.reason().isBlank() ? "" : " (" + reason(r.lostBoard(), r.reason()) + ")");
        }
        return sb.toString();
    }

    /** "New ranges: b1 (127.0.0.1:7401): layers [0, 4) → b3 (…): layers [4, 8)". */
    static String replanRanges(DistributedRun.Replan r) {
        return "New ranges: " + String.join(" \u2192 ", r.ranges());
    }

    /**
     * Why measured and predicted latency differ by design, "" when they are comparable.
     *
     * @param replannedAt the token of the last re-plan (the sums restart there), -1 for none
     */
    static String latencyNote(boolean local, double speed, int replannedAt) {
        String scale = java.math.BigDecimal.valueOf(speed).stripTrailingZeros().toPlainString();
        String note = local ? "Measured on this machine" + (speed < 1 ? " at emulated speed \u00d7" + scale : "")
                + "; predictions use the topology's device specs, so meas. / pred. is far from 1 by design."
                : speed < 1 ? "Boards run at emulated speed \u00d7" + scale + " (they sleep after computing); predictions use "
                + "the topology's device specs at full speed." : "";
        if (replannedAt >= 0) {
            note = (note + " Measured since the re-plan at token " + replannedAt + " (new layer ranges).").strip();
        }
        return note;
    }

    private boolean tensorMode() {
        return "tensor".equals(mode.get());
    }

    /** Stops a running generation at every sequence's next token. */
    public void stop() {
        if (running.get()) {
            stopRequested.set(true);
            status.set("Stopping\u2026");
        }
    }

    /** Pulls what the run threads produced into the properties; the view calls it on a timer. */
    public void refresh() {
        String mn = note.getAndSet(null);
        if (mn != null) {
            modelNote.set(mn);
        }
        String p = progress.getAndSet(null);
        if (p != null && running.get() && !stopRequested.get()) {
            status.set(p);
        }
        if (streamedVersion != shownVersion) {
            List<String> copy;
            synchronized (streamed) {
                shownVersion = streamedVersion;
                copy = streamed.stream().map(StringBuilder::toString).toList();
            }
            for (int i = 0; i < copy.size(); i++) {
                if (i >= texts.size()) {
                    texts.add(copy.get(i));
                } else if (!texts.get(i).equals(copy.get(i))) {
                    texts.set(i, copy.get(i));
                }
            }
        }
        long v = timeline.version();
        if (v != shownTimeline) {
            shownTimeline = v;
            snapshot.set(timeline.snapshot());
            latency.set(LatencyComparison.rows(timeline.boardLatencies(), runPlan, runDeviceByAddress));
        }
    }

    /** The failure's reason without the "board NAME: " prefix and without a trailing ": null". */
    static String reason(BoardFailure bf) {
        return reason(bf.board(), bf.getMessage());
    }

    /** {@code message} without the "board NAME: " prefix and without a trailing ": null". */
    static String reason(String board, String message) {
        String m = String.valueOf(message);
        String prefix = "board " + board + ": ";
        if (m.startsWith(prefix)) {
            m = m.substring(prefix.length());
        }
        if (m.endsWith(": null")) {
            m = m.substring(0, m.length() - 6);
        }
        return m;
    }

    private static Throwable rootRunError(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            if (t instanceof RunStopped || t instanceof BoardFailure) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return err;
    }

    private static int[] encode(Checkpoint ck, String text) throws InputException {
        if (ck.tokenizer() == null) {
            throw new InputException("prompt", "", "the model has no tokenizer: give token ids");
        }
        return ck.tokenizer().encode(text, true);
    }

    private Path modelPath(Topology t) throws InputException {
        if (modelOverride.get() != null) {
            return modelOverride.get();
        }
        String ckpt = t.model().checkpoint();
        if (ckpt != null && !ckpt.isBlank()) {
            Path p = Path.of(ckpt);
            Path file = boards.editor().file();
            return p.isAbsolute() || file == null || file.toAbsolutePath().getParent() == null ? p
                    : file.toAbsolutePath().getParent().resolve(p);
        }
        String preset = t.model().preset() == null ? "" : t.model().preset();
        if (preset.startsWith("synthetic-")) {
            return modelsDir.resolve(preset + "-seed1");
        }
        throw new InputException("model", "", "the topology's model has no checkpoint: set model.checkpoint in the property "
                + "sheet (HF directory or GGUF file), or use a synthetic-* preset");
    }

    /** Writes the synthetic checkpoint once when the path is under the models directory and missing. */
    private Path ensureModel(Path p) throws IOException, InputException {
        if (Files.exists(p)) {
            return p;
        }
        String name = p.getFileName().toString();
        if (p.getParent() != null && p.getParent().equals(modelsDir) && name.startsWith("synthetic-")) {
            String shape = name.substring("synthetic-".length(), name.indexOf("-seed"));
            progress.set("Writing the synthetic " + shape + " model (once)\u2026");
            Path tmp = modelsDir.resolve(name + ".tmp-" + ProcessHandle.current().pid());
            SynthCommandLogic.run(new SynthCommandLogic.Options(shape, 1, "hf", tmp));
            try {
                Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.exists(p)) {
                    throw e;
                }
            }
            return p;
        }
        throw new InputException(p.toString(), "", "no checkpoint at this path");
    }

    /** Boards and shards of one run. */
    record Layout(List<String> addresses, List<ShardSpec> shards, String description, boolean fromPlan) {
    }

    /** The pipeline partitioner's plan for the topology (what the Pipeline plan tab would show), or null. */
    static Plan partition(Topology t, ModelSpec m) {
        if (t == null || m == null) {
            return null;
        }
        try {
            return PlanBuilder.fromPartition(new PipelinePartitioner(t, m, new RadioRates(t))
                    .partition(PipelinePartitioner.Options.of(Math.max(1, t.settings().sequences())), Cancellation.none()),
                    t, m, "airshard-gui");
        } catch (RuntimeException e) {
            return null; // no legal ring: near-equal ranges instead
        }
    }

    /**
     * Pipeline: the plan's stages with layers when the plan fits the model and every stage's device is online,
     * else near-equal ranges over the online boards. Tensor: near-equal KV-group / FFN slices.
     */
    static Layout layout(ModelConfig c, boolean tensor, Plan plan, Map<String, String> addressByDevice, List<String> online)
            throws InputException {
        List<String> a = new ArrayList<>();
        List<ShardSpec> s = new ArrayList<>();
        if (!tensor && plan != null && plan.pipeline() != null && plan.layers() == c.layers()) {
            boolean ok = true;
            for (Plan.Stage st : plan.pipeline().stages()) {
                if (st.layerCount() == 0) {
                    continue;
                }
                String addr = addressByDevice.get(st.device());
                if (addr == null) {
                    ok = false;
                    break;
                }
                a.add(addr);
                s.add(ShardSpec.stage(c, st.layerStart(), st.layerEnd(), false, false));
            }
            if (ok && !a.isEmpty()) {
                return new Layout(a, s, "the plan's " + a.size() + (a.size() == 1 ? " stage" : " stages"), true);
            }
            a.clear();
            s.clear();
        }
        int n = Math.min(online.size(), tensor ? c.kvHeads() : c.layers());
        if (n == 0) {
            throw new InputException("boards", "", "no online boards");
        }
        for (int i = 0; i < n; i++) {
            a.add(online.get(i));
            s.add(tensor ? ShardSpec.tensorSlice(c, i, n) : ShardSpec.stage(c, c.layers() * i / n, c.layers() * (i + 1) / n, false, false));
        }
        return new Layout(a, s, tensor ? "tensor slices over " + n + " boards" : "near-equal layer ranges over " + n + " boards", false);
    }

    static String summarise(DistributedRun.Result r, Plan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "measured %.1f tokens/s", r.tokensPerSecond()));
        if (plan != null && plan.predicted() != null && plan.predicted().tokensPerSecond() > 0) {
            sb.append(String.format(Locale.ROOT, " (plan predicts %.1f)", plan.predicted().tokensPerSecond()));
        }
        sb.append(String.format(Locale.ROOT, ", generation %.2f s, set-up %.2f s%n", r.generationSeconds(), r.setupSeconds()));
        double genMs = Math.max(1e-9, r.generationSeconds() * 1e3);
        int tokens = Math.max(1, r.sequences().stream().mapToInt(q -> q.tokens().size()).sum());
        for (DistributedRun.BoardStats b : r.boards()) {
            String predicted = "";
            if (plan != null && plan.predicted() != null) {
                for (Plan.DevicePrediction dp : plan.predicted().perDevice()) {
                    if (b.board().equals(dp.device()) || b.board().startsWith(dp.device() + " (")) {
                        predicted = String.format(Locale.ROOT, " (predicted %.3f)", dp.computeMs());
                    }
                }
            }
            sb.append(String.format(Locale.ROOT, "%s  %s: busy %.0f%%, compute %.3f ms/token%s, communication %.0f ms, deploy %s sent / %s unchanged%n",
                    b.board(), b.shard(), 100 * Math.min(1, b.computeMs() / genMs), b.computeMs() / tokens, predicted, b.commMs(),
                    bytes(b.deployBytesSent()), bytes(b.deployBytesSkipped())));
        }
        for (DistributedRun.Replan p : r.replans()) {
            sb.append(String.format(Locale.ROOT, "re-planned without %s at token %d in %.1f s: %s%n", p.lostBoard(), p.tokenIndex(),
                    p.seconds(), String.join(" \u2192 ", p.ranges())));
        }
        if (r.measuredMse() != null) {
            sb.append(String.format(Locale.ROOT, "AirComp MSE measured %.3g vs predicted %.3g; top-1 agreement vs exact %.0f%%, KL %.3g nats%n",
                    r.measuredMse(), r.predictedMse(), 100 * (r.top1Agreement() == null ? 0 : r.top1Agreement()),
                    r.klDivergence() == null ? 0 : r.klDivergence()));
        }
        return sb.toString().strip();
    }

    static String bytes(long b) {
        return org.airshard.planner.topology.Units.formatBytes(b);
    }

    // ------------------------------------------------------------ report

    /**
     * Exports the last run: HTML or PDF report (plan, topology picture, predicted vs measured, timeline), CSV of
     * per-token per-board timings, or the Chrome trace JSON. Runs in the background; {@code done} gets the file.
     */
    public void exportReport(ReportFormat format, Path target, java.util.function.Consumer<Path> done) {
        ChromeTrace ct = trace;
        if (ct == null || ct.size() == 0) {
            status.set("Nothing to export yet: run first.");
            return;
        }
        Plan plan = runPlan;
        Topology t = runTopology;
        ModelSpec m = runModel;
        status.set("Exporting " + target.getFileName() + "\u2026");
        tasks.submit("export report", () -> {
            writeReport(format, target, ct, plan, t, m);
            return target;
        }, p -> {
            status.set("Exported " + p);
            if (done != null) {
                done.accept(p);
            }
        }, err -> status.set("Cannot export: " + err.getMessage()));
    }

    static void writeReport(ReportFormat format, Path target, ChromeTrace ct, Plan plan, Topology t, ModelSpec m)
            throws IOException, InputException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (format == ReportFormat.TRACE) {
            ct.write(target);
            return;
        }
        Path tmp = Files.createTempFile("airshard-trace", ".json");
        try {
            ct.write(tmp);
            TraceEvents events = TraceEvents.read(tmp);
            if (format == ReportFormat.CSV) {
                Files.writeString(target, events.toCsv(), StandardCharsets.UTF_8);
                return;
            }
            Plan p = plan != null ? plan : partition(t, m);
            if (p == null) {
                throw new InputException("report", "", "no plan to report on: run the pipeline partitioner first");
            }
            PlanValidator.Check check = t != null && m != null ? PlanValidator.check(p, t, m) : null;
            ReportContent c = ReportContent.build(new ReportData(p, t, m, check, events));
            if (format == ReportFormat.HTML) {
                Files.writeString(target, HtmlReport.render(c), StandardCharsets.UTF_8);
            } else {
                Files.write(target, PdfReport.render(c));
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
