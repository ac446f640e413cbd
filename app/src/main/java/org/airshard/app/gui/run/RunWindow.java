package org.airshard.app.gui.run;

import java.nio.file.Path;
import java.util.Locale;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.effect.DropShadow;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import org.airshard.app.gui.common.Dialogs;
import org.airshard.app.gui.topology.TopologyCanvas;
import org.airshard.planner.topology.Units;

/**
 * The "Boards and run" window: the boards table with Start local boards / Add host / Pair / Check / Write
 * back, the run settings with Deploy &amp; run and Stop, the streamed text of every sequence, the live
 * timeline, a board-lost notification bar and report export. A 10 Hz timer pulls the run's progress
 * ({@link RunViewModel#refresh()}) and highlights the busy board on the main window's topology canvas.
 */
public final class RunWindow {

    /** UI refresh period while the window exists, ms. */
    public static final double REFRESH_MS = 100;

    private final BoardsViewModel boards;
    private final RunViewModel run;
    private final TopologyCanvas canvas;
    private final Dialogs dialogs;
    private final BorderPane root = new BorderPane();
    private final TimelineView timeline = new TimelineView();
    private final Timeline timer;
    private Stage stage;
    private String highlighted;

    /**
     * @param canvas  the main window's canvas (busy board highlight), or null
     * @param dialogs file dialogs for export (null: exports go to the working directory, for tests)
     */
    public RunWindow(BoardsViewModel boards, RunViewModel run, TopologyCanvas canvas, Dialogs dialogs) {
        this.boards = boards;
        this.run = run;
        this.canvas = canvas;
        this.dialogs = dialogs;
        root.setId("run-window");
        root.setTop(new VBox(boardsBar(), boardsTable(), runBar(), notificationBar()));
        SplitPane centre = new SplitPane(sequencesPane(), timelinePane());
        centre.setDividerPositions(0.32);
        root.setCenter(centre);
        root.setBottom(statusPane());
        run.snapshotProperty().addListener((o, a, s) -> {
            timeline.setSnapshot(s);
            highlightBusy(s);
        });
        run.runningProperty().addListener((o, a, r) -> {
            timeline.setLive(r);
            if (r) {
                timeline.followLiveProperty().set(true);
            } else if (timeline.followLiveProperty().get()) {
                javafx.application.Platform.runLater(timeline::fit); // after the last refresh: the whole run
            }
            if (!r) {
                highlight(null);
            }
        });
        timer = new Timeline(new KeyFrame(Duration.millis(REFRESH_MS), e -> run.refresh()));
        timer.setCycleCount(Timeline.INDEFINITE);
        timer.play();
    }

    public Parent root() {
        return root;
    }

    public TimelineView timeline() {
        return timeline;
    }

    public BoardsViewModel boards() {
        return boards;
    }

    public RunViewModel run() {
        return run;
    }

    /** The window's stage once shown, else null. */
    public Stage stage() {
        return stage;
    }

    /** Shows the window (creating it on first use). */
    public void show(Window owner) {
        if (stage == null) {
            stage = new Stage();
            if (owner != null) {
                stage.initOwner(owner);
            }
            stage.setTitle("AirShard \u2014 boards and run");
            javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
            Scene scene = new Scene(root, Math.min(1320, screen.getWidth() - 40), Math.min(860, screen.getHeight() - 40));
            if (owner != null && owner.getScene() != null) {
                scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            }
            stage.setScene(scene);
        }
        stage.show();
        stage.toFront();
    }

    /** Stops the timer and the local boards (application exit). */
    public void close() {
        timer.stop();
        run.stop();
        boards.close();
        if (stage != null) {
            stage.hide();
        }
    }

    // ------------------------------------------------------------ boards

    private Node boardsBar() {
        Button local = button("Start local boards", "Start an agent on this machine for every device whose agent is on "
                + "127.0.0.1 (or 3 boards when there is none); they stop when AirShard closes", () -> boards.startLocalBoards(3));
        local.setId("start-local-boards");
        local.disableProperty().bind(boards.busyProperty());
        Button add = button("Add host\u2026", "Add a board by host:port", this::addHost);
        Button discover = button("Discover", "Find boards on the local network (UDP broadcast to port 7399; agents answer "
                + "with name, port and certificate fingerprint)", boards::discover);
        discover.setId("discover-boards");
        discover.disableProperty().bind(boards.busyProperty());
        Button pair = button("Pair\u2026", "Give the selected board's pairing token once; its certificate is pinned", this::pair);
        Button check = button("Check (measure)", "Ask every paired board for its capabilities and measure its FLOP rate",
                () -> boards.check(true));
        check.setId("check-boards");
        check.disableProperty().bind(boards.busyProperty());
        Button write = button("Write back to topology", "Put the measured FLOP/s and memory into the topology's devices "
                + "(one undoable edit)", boards::writeBackCapabilities);
        write.setId("write-back");
        Label status = new Label();
        status.textProperty().bind(boards.statusProperty());
        status.setId("boards-status");
        ToolBar bar = new ToolBar(new Label("Boards"), local, discover, add, pair, check, write, status);
        return bar;
    }

    private TableView<BoardRow> table;

    private Node boardsTable() {
        table = new TableView<>(boards.rows());
        table.setId("boards-table");
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.setPrefHeight(118);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(col("Board", 150, r -> r.deviceId() == null ? r.name() : r.deviceId()
                + (r.name().equals(r.deviceId()) ? "" : " (" + r.name() + ")")));
        table.getColumns().add(col("Address", 120, BoardRow::address));
        table.getColumns().add(col("State", 80, r -> switch (r.state()) {
            case ONLINE -> "\u25cf online";
            case OFFLINE -> "\u25cb offline";
            case LOST -> "\u2716 lost";
            case UNKNOWN -> "? not checked";
        }));
        table.getColumns().add(col("Paired", 60, r -> r.paired() ? (r.local() ? "local" : "yes") : "no"));
        table.getColumns().add(col("CPUs", 45, r -> r.cpus() == 0 ? "" : String.valueOf(r.cpus())));
        table.getColumns().add(col("Memory", 75, r -> r.memoryBytes() == 0 ? "" : Units.formatBytes(r.memoryBytes())));
        table.getColumns().add(col("GFLOP/s·core", 95, r -> r.flopsPerSecond() == 0 ? ""
                : String.format(Locale.ROOT, "%.2f", r.flopsPerSecond() / 1e9)));
        table.getColumns().add(col("Version", 170, BoardRow::version));
        table.getColumns().add(col("Certificate", 150, r -> BoardsViewModel.shortFp(r.fingerprint())));
        table.getColumns().add(col("Note", 200, BoardRow::message));
        table.setPlaceholder(new Label("No boards: the topology's devices have no agent addresses. Start local boards or Add host."));
        return table;
    }

    private static TableColumn<BoardRow, String> col(String title, double width, java.util.function.Function<BoardRow, String> f) {
        TableColumn<BoardRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        return c;
    }

    private void addHost() {
        TextInputDialog d = new TextInputDialog("192.168.1.20:7400");
        d.initOwner(root.getScene().getWindow());
        d.setTitle("Add a board");
        d.setHeaderText("Address of a board running `airshard agent` (host:port)");
        d.showAndWait().ifPresent(text -> boards.addHost(text).ifPresent(err -> {
            if (dialogs != null) {
                dialogs.showError("Cannot add the board", err);
            }
        }));
    }

    private void pair() {
        BoardRow r = table.getSelectionModel().getSelectedItem();
        if (r == null) {
            if (dialogs != null) {
                dialogs.showError("Pair a board", "Select a board in the table first (Discover or Add host adds one).");
            }
            return;
        }
        TextInputDialog d = new TextInputDialog();
        d.initOwner(root.getScene().getWindow());
        d.setTitle("Pair " + r.address());
        d.setHeaderText("Pairing token of " + r.address() + "\n(printed by `airshard agent`; in its pairing-token file)");
        d.showAndWait().ifPresent(t -> boards.pair(r.address(), t));
    }

    // ------------------------------------------------------------ run settings

    private Node runBar() {
        TextField prompt = new TextField();
        prompt.setId("run-prompt");
        prompt.textProperty().bindBidirectional(run.promptProperty());
        prompt.setPrefColumnCount(22);
        CheckBox ids = new CheckBox("ids");
        ids.setTooltip(new Tooltip("The prompt is token ids (1,2,3) instead of text"));
        ids.selectedProperty().bindBidirectional(run.promptIsIdsProperty());
        Spinner<Integer> seqs = new Spinner<>(1, 16, run.sequencesProperty().get());
        seqs.setPrefWidth(70);
        seqs.setEditable(true);
        seqs.valueProperty().addListener((o, a, b) -> run.sequencesProperty().set(b));
        run.sequencesProperty().addListener((o, a, b) -> seqs.getValueFactory().setValue(b.intValue()));
        Spinner<Integer> tokens = new Spinner<>(1, 100_000, run.maxTokensProperty().get(), 16);
        tokens.setPrefWidth(90);
        tokens.setEditable(true);
        tokens.setId("run-max-tokens");
        tokens.valueProperty().addListener((o, a, b) -> run.maxTokensProperty().set(b));
        run.maxTokensProperty().addListener((o, a, b) -> tokens.getValueFactory().setValue(b.intValue()));
        CheckBox greedy = new CheckBox("greedy");
        greedy.setTooltip(new Tooltip("Greedy decoding (else temperature 0.8, top-k 40, top-p 0.95)"));
        greedy.selectedProperty().bindBidirectional(run.greedyProperty());
        ChoiceBox<String> mode = new ChoiceBox<>();
        mode.getItems().addAll("pipeline", "tensor");
        mode.valueProperty().bindBidirectional(run.modeProperty());
        ChoiceBox<String> ar = new ChoiceBox<>();
        ar.getItems().addAll("exact", "aircomp");
        ar.valueProperty().bindBidirectional(run.allReduceProperty());
        ar.disableProperty().bind(run.modeProperty().isNotEqualTo("tensor"));
        ar.setTooltip(new Tooltip("Tensor parallel all-reduce: exact sum, or emulated over-the-air (AirComp)"));
        CheckBox autoReplan = new CheckBox("Auto re-plan");
        autoReplan.setId("run-auto-replan");
        autoReplan.selectedProperty().bindBidirectional(run.autoReplanProperty());
        autoReplan.setTooltip(new Tooltip("When a board is lost mid-run, re-partition the model over the remaining boards "
                + "(the pipeline partitioner on the topology without it, else near-equal ranges), redeploy and resume every "
                + "sequence from the tokens generated so far (as `airshard run --replan`). Tensor mode re-slices KV groups and "
                + "FFN columns over the remaining boards (exact all-reduce only). Off: a lost board ends the run."));
        javafx.beans.binding.BooleanBinding overTheAir = run.modeProperty().isEqualTo("tensor")
                .and(run.allReduceProperty().isEqualTo("aircomp"));
        autoReplan.visibleProperty().bind(overTheAir.not());
        autoReplan.managedProperty().bind(autoReplan.visibleProperty());
        autoReplan.disableProperty().bind(overTheAir.or(run.runningProperty()));
        ChoiceBox<String> speed = new ChoiceBox<>();
        speed.getItems().addAll("100%", "50%", "25%", "10%", "5%");
        speed.setValue("100%");
        speed.setTooltip(new Tooltip("Emulated board speed: boards sleep after computing to behave like slower hardware"));
        speed.valueProperty().addListener((o, a, b) -> run.emulatedSpeedProperty().set(Double.parseDouble(b.replace("%", "")) / 100));
        run.emulatedSpeedProperty().addListener((o, a, b) -> speed.setValue(Math.round(b.doubleValue() * 100) + "%"));
        Button start = new Button("\u25b6 Deploy & run");
        start.setId("run-start");
        start.setDefaultButton(true);
        start.setOnAction(e -> run.start());
        start.disableProperty().bind(run.runningProperty());
        Button stop = new Button("\u25a0 Stop");
        stop.setId("run-stop");
        stop.setOnAction(e -> run.stop());
        stop.disableProperty().bind(run.runningProperty().not());
        MenuButton export = new MenuButton("Export report");
        export.setId("run-export");
        for (RunViewModel.ReportFormat f : RunViewModel.ReportFormat.values()) {
            MenuItem m = new MenuItem(switch (f) {
                case HTML -> "HTML report\u2026";
                case PDF -> "PDF report\u2026";
                case CSV -> "CSV of per-token per-board timings\u2026";
                case TRACE -> "Chrome trace JSON (ui.perfetto.dev)\u2026";
            });
            m.setOnAction(e -> exportTo(f));
            export.getItems().add(m);
        }
        export.disableProperty().bind(run.runningProperty());
        prompt.setPrefColumnCount(40);
        HBox.setHgrow(prompt, Priority.ALWAYS);
        HBox row1 = new HBox(8, fixed(new Label("Prompt")), prompt, fixed(ids), fixed(new Label("Sequences")), seqs,
                fixed(new Label("Max tokens")), tokens, fixed(greedy));
        row1.setAlignment(Pos.CENTER_LEFT);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox row2 = new HBox(8, fixed(new Label("Mode")), mode, fixed(autoReplan), fixed(new Label("All-reduce")), ar,
                fixed(new Label("Board speed")), speed, gap, fixed(start),
                fixed(stop), fixed(export));
        row2.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, row1, row2);
        box.setPadding(new Insets(6, 8, 6, 8));
        return box;
    }

    private void exportTo(RunViewModel.ReportFormat f) {
        String name = "airshard-run." + f.extension;
        if (dialogs == null) {
            run.exportReport(f, Path.of(name), null);
            return;
        }
        dialogs.chooseSaveFile(null, name).ifPresent(p -> run.exportReport(f, p, null));
    }

    private Node notificationBar() {
        Label text = new Label();
        text.setId("run-notification");
        text.textProperty().bind(run.notificationProperty());
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button close = new Button("Dismiss");
        close.setOnAction(e -> run.dismissNotification());
        Button replan = new Button();
        replan.setId("run-replan");
        replan.textProperty().bind(Bindings.createStringBinding(() -> "Re-plan without " + run.lostDeviceProperty().get(),
                run.lostDeviceProperty()));
        replan.setTooltip(new javafx.scene.control.Tooltip("Run the pipeline partitioner on the topology without the lost "
                + "board; Deploy & run then starts the new plan on the remaining boards"));
        replan.setOnAction(e -> run.replanWithoutLost());
        replan.visibleProperty().bind(run.lostDeviceProperty().isNotEmpty());
        replan.managedProperty().bind(replan.visibleProperty());
        replan.disableProperty().bind(run.runningProperty().or(run.replanningProperty()));
        replan.setMinWidth(Region.USE_PREF_SIZE);
        Label plan = new Label();
        plan.setId("run-replan-text");
        plan.textProperty().bind(run.replanTextProperty());
        plan.setWrapText(true);
        plan.visibleProperty().bind(run.replanTextProperty().isNotEmpty());
        plan.managedProperty().bind(plan.visibleProperty());
        VBox texts = new VBox(2, text, plan);
        texts.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(texts, Priority.ALWAYS);
        Label icon = new Label();
        icon.textProperty().bind(Bindings.when(run.resumedProperty()).then("\u27f3").otherwise("\u26a0"));
        HBox bar = new HBox(10, icon, texts, replan, close);
        bar.setId("run-notification-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 6, 10));
        // red: the run ended; amber: a board was lost but the run re-planned and went on
        bar.styleProperty().bind(Bindings.when(run.resumedProperty())
                .then("-fx-background-color: #fff4e0; -fx-border-color: #b26a00; -fx-border-width: 1 0 1 0;")
                .otherwise("-fx-background-color: #fde8e8; -fx-border-color: #b3261e; -fx-border-width: 1 0 1 0;"));
        bar.visibleProperty().bind(run.notificationProperty().isNotEmpty());
        bar.managedProperty().bind(bar.visibleProperty());
        return bar;
    }

    // ------------------------------------------------------------ output

    private Node sequencesPane() {
        Label note = new Label();
        note.setId("run-model-note");
        note.textProperty().bind(run.modelNoteProperty());
        note.setWrapText(true);
        note.setStyle("-fx-text-fill: #8a5a00; -fx-font-style: italic;");
        note.visibleProperty().bind(run.modelNoteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        ListView<String> list = new ListView<>(run.texts());
        list.setId("run-texts");
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                Label head = new Label("Sequence " + getIndex());
                head.setTextFill(TimelineView.SEQUENCE_COLOURS[getIndex() % TimelineView.SEQUENCE_COLOURS.length]);
                head.setStyle("-fx-font-weight: bold;");
                Label body = new Label(item.isEmpty() ? "\u2026" : item);
                body.setWrapText(true);
                body.setMaxWidth(Math.max(120, v.getWidth() - 30));
                setGraphic(new VBox(2, head, body));
                setText(null);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        Label title = new Label("Generated text (streams in as tokens arrive)");
        title.setStyle("-fx-font-weight: bold;");
        VBox box = new VBox(4, title, note, list);
        box.setPadding(new Insets(6));
        return box;
    }

    private Node timelinePane() {
        CheckBox follow = new CheckBox("Follow live");
        follow.setId("timeline-follow");
        follow.selectedProperty().bindBidirectional(timeline.followLiveProperty());
        Button in = new Button("+");
        in.setOnAction(e -> timeline.zoom(0.5));
        Button out = new Button("\u2212");
        out.setOnAction(e -> timeline.zoom(2));
        Button fit = new Button("Whole run");
        fit.setOnAction(e -> timeline.fit());
        Label hover = new Label();
        hover.textProperty().bind(Bindings.createStringBinding(() -> timeline.hoverTextProperty().get().replace('\n', ' '),
                timeline.hoverTextProperty()));
        hover.setMinWidth(0);
        Label title = new Label("Timeline: lanes per board (compute / communication), colour = sequence");
        title.setStyle("-fx-font-weight: bold;");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(6, title, gap, follow, out, in, fit);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(timeline, Priority.ALWAYS);
        VBox box = new VBox(4, bar, timeline, hover, latencyTable());
        box.setPadding(new Insets(6));
        return box;
    }

    /** Measured vs predicted latency per token per board, live from the run's spans. */
    private Node latencyTable() {
        TableView<LatencyComparison.Row> t = new TableView<>();
        t.setId("run-latency");
        t.setPlaceholder(new Label("Latency per token per board (measured vs the plan's prediction) appears once a run computes."));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.getColumns().add(latencyCol("Board", 90, r -> r.board()));
        t.getColumns().add(latencyCol("Layers", 60, r -> r.layers()));
        t.getColumns().add(latencyCol("Tokens", 50, r -> Long.toString(r.tokens())));
        t.getColumns().add(latencyCol("Compute ms", 80, r -> ms(r.measuredComputeMs())));
        t.getColumns().add(latencyCol("predicted", 70, r -> ms(r.predictedComputeMs())));
        TableColumn<LatencyComparison.Row, String> ratio = latencyCol("", 85, r -> Double.isNaN(r.computeRatio()) ? "\u2013"
                : String.format(java.util.Locale.ROOT, "\u00d7%.2f", r.computeRatio()));
        Label ratioHead = new Label("meas. / pred.");
        ratioHead.setTooltip(latencyTip());
        ratio.setGraphic(ratioHead);
        t.getColumns().add(ratio);
        t.getColumns().add(latencyCol("Network ms", 80, r -> ms(r.measuredNetworkMs())));
        t.getColumns().add(latencyCol("pred. hop", 70, r -> ms(r.predictedHopMs())));
        run.latencyProperty().addListener((o, a, rows) -> t.getItems().setAll(rows));
        t.getItems().setAll(run.latencyProperty().get());
        t.setPrefHeight(118);
        t.setMinHeight(80);
        Label title = new Label("Latency per token per board (ms): measured vs predicted by the plan's latency model");
        title.setStyle("-fx-font-weight: bold;");
        Label note = new Label();
        note.setId("run-latency-note");
        note.textProperty().bind(run.latencyNoteProperty());
        note.setWrapText(true);
        note.setStyle("-fx-text-fill: #8a5a00; -fx-font-size: 11px;");
        note.setTooltip(latencyTip());
        note.visibleProperty().bind(run.latencyNoteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        return new VBox(2, title, note, t);
    }

    /** Explains the ratio column, with the run's note on emulated speed and local boards. */
    private Tooltip latencyTip() {
        Tooltip why = new Tooltip();
        why.textProperty().bind(Bindings.createStringBinding(() -> "Measured compute ms per token divided by the plan's "
                + "prediction." + (run.latencyNoteProperty().get().isEmpty() ? "" : "\n" + run.latencyNoteProperty().get()),
                run.latencyNoteProperty()));
        why.setWrapText(true);
        why.setMaxWidth(420);
        return why;
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "\u2013" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    private static TableColumn<LatencyComparison.Row, String> latencyCol(String title, double width,
            java.util.function.Function<LatencyComparison.Row, String> f) {
        TableColumn<LatencyComparison.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new javafx.beans.property.ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    private Node statusPane() {
        Label summary = new Label();
        summary.setId("run-summary");
        summary.textProperty().bind(run.summaryProperty());
        summary.setStyle("-fx-font-family: monospace; -fx-font-size: 11px;");
        summary.visibleProperty().bind(run.summaryProperty().isNotEmpty());
        summary.managedProperty().bind(summary.visibleProperty());
        Label status = new Label();
        status.setId("run-status");
        status.textProperty().bind(run.statusProperty());
        VBox box = new VBox(4, summary, status);
        box.setPadding(new Insets(4, 10, 6, 10));
        box.setStyle("-fx-border-color: #d0d4da; -fx-border-width: 1 0 0 0;");
        return box;
    }

    private static <T extends Region> T fixed(T n) {
        n.setMinWidth(Region.USE_PREF_SIZE);
        return n;
    }

    private static Button button(String text, String tip, Runnable action) {
        Button b = new Button(text);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    // ------------------------------------------------------------ busy board on the topology canvas

    private void highlightBusy(TimelineModel.Snapshot s) {
        if (canvas == null || !run.runningProperty().get()) {
            return;
        }
        int pid = s.busyPid();
        String name = pid < 0 ? null : s.processes().get(pid);
        String device = null;
        if (name != null) {
            for (BoardRow r : boards.rows()) {
                if (r.deviceId() != null && name.contains(r.address())) {
                    device = r.deviceId();
                }
            }
        }
        highlight(device);
    }

    private static final DropShadow BUSY = new DropShadow(22, Color.web("#ffb000"));

    static {
        BUSY.setSpread(0.55);
    }

    private void highlight(String deviceId) {
        if (canvas == null) {
            return;
        }
        if (highlighted != null && !highlighted.equals(deviceId)) {
            Node n = canvas.nodeView(highlighted);
            if (n != null) {
                n.setEffect(null);
            }
        }
        highlighted = deviceId;
        if (deviceId != null) {
            Node n = canvas.nodeView(deviceId);
            if (n != null) {
                n.setEffect(BUSY);
            }
        }
    }

    /** The device highlighted as busy now (for tests), or null. */
    public String highlightedDevice() {
        return highlighted;
    }
}
