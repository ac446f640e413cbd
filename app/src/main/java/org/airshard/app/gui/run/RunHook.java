package org.airshard.app.gui.run;

import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.value.ChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.stage.Window;
import org.airshard.app.gui.MainWindow;
import org.airshard.app.gui.common.Dialogs;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.gui.files.AppHome;
import org.airshard.app.gui.plan.PipelineViewModel;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.executor.board.KnownBoards;
import org.airshard.planner.topology.Topology;

/**
 * Wires the boards-and-run window into the main window without changing it: a "Run" menu before Help and a
 * "Boards & run" tool button (found by their ids / style classes). With {@code autoStartLocal} (the app opened
 * without a file, i.e. on the local demo), local boards start once the topology names agents on 127.0.0.1;
 * {@code -Dairshard.localBoards=false} turns that off; {@code -Dairshard.openRun=true} opens the window at start.
 */
public final class RunHook {

    private RunHook() {
    }

    public static RunWindow install(MainWindow window, TopologyEditorViewModel editor, PipelineViewModel pipeline,
                                    TaskRunner tasks, Dialogs dialogs, Window owner, boolean autoStartLocal) {
        KnownBoards known;
        try {
            known = new KnownBoards(AppHome.dir().resolve("known-boards"));
        } catch (IOException e) {
            known = KnownBoards.inMemory();
        }
        BoardsViewModel boards = new BoardsViewModel(editor, tasks, known, AppHome.dir().resolve("local-boards"));
        RunViewModel run = new RunViewModel(boards, tasks, () -> pipeline.planProperty().get(), AppHome.dir().resolve("models"));
        RunWindow rw = new RunWindow(boards, run, window.canvas(), dialogs);

        MenuItem open = new MenuItem("_Boards and Run\u2026");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+R"));
        open.setOnAction(e -> rw.show(owner));
        MenuItem local = new MenuItem("Start _Local Boards");
        local.setOnAction(e -> {
            boards.startLocalBoards(3);
            rw.show(owner);
        });
        Menu menu = new Menu("_Run");
        menu.setId("menu-run");
        menu.getItems().addAll(open, local);
        if (window.root().lookup("#menu-bar") instanceof MenuBar bar) {
            bar.getMenus().add(Math.max(0, bar.getMenus().size() - 1), menu);
        }
        if (window.root().lookup(".main-toolbar") instanceof ToolBar tb) {
            Button b = new Button("Boards & run");
            b.setId("tool-boards-run");
            b.setTooltip(new Tooltip("Boards, one-click deploy, live run and timeline (Ctrl+R)"));
            b.setFocusTraversable(false);
            b.setOnAction(e -> rw.show(owner));
            tb.getItems().addAll(new Separator(), b);
        }
        if (Boolean.getBoolean("airshard.openRun")) {
            javafx.application.Platform.runLater(() -> rw.show(owner));
        }
        if (autoStartLocal && !"false".equals(System.getProperty("airshard.localBoards"))) {
            ChangeListener<Topology> once = new ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends Topology> o, Topology a, Topology t) {
                    if (!boards.localDevices().isEmpty()) {
                        editor.topologyProperty().removeListener(this);
                        boards.startLocalBoards(0);
                    }
                }
            };
            editor.topologyProperty().addListener(once);
        }
        return rw;
    }

    /** Where the app keeps local boards' identities and caches. */
    public static Path localBoardsDir() {
        return AppHome.dir().resolve("local-boards");
    }
}
