package org.airshard.app.gui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.airshard.app.gui.common.FxDialogs;
import org.airshard.app.gui.common.FxTaskRunner;
import org.airshard.app.gui.files.DocumentViewModel;
import org.airshard.app.gui.files.Samples;
import org.airshard.app.gui.plan.PipelineViewModel;
import org.airshard.app.gui.topology.TopologyEditorViewModel;

/**
 * The JavaFX application. Start it through {@link AirshardGui#launch(String[])} (the fat jar's main class
 * must not extend {@code Application}). Opens the topology file given as the first argument or
 * {@code -Dairshard.topology=FILE}, else the packaged default sample, else a new topology; then offers to
 * recover autosaved work from a session that did not close cleanly.
 */
public final class AirshardApp extends Application {

    /** Seconds between autosaves while there are unsaved changes. */
    public static final double AUTOSAVE_SECONDS = 20;

    private FxTaskRunner tasks;
    private Timeline autosave;
    private org.airshard.app.gui.run.RunWindow runWindow;

    @Override
    public void start(Stage stage) {
        tasks = new FxTaskRunner(2);
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        FxDialogs dialogs = new FxDialogs(stage);
        DocumentViewModel doc = DocumentViewModel.withDefaults(editor, dialogs, tasks);
        PipelineViewModel pipeline = new PipelineViewModel(editor, tasks);
        MainWindow window = new MainWindow(doc, pipeline, dialogs, () -> doc.requestClose(stage::hide));
        boolean dark = Boolean.getBoolean("airshard.dark");
        Scene scene = window.createScene(1360, 860, dark);
        stage.setScene(scene);
        stage.titleProperty().bind(editor.titleProperty());
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.setOnCloseRequest(e -> {
            e.consume();
            doc.requestClose(stage::hide);
        });
        for (int size : new int[] {32, 64, 256}) {
            var icon = AirshardApp.class.getResourceAsStream("/org/airshard/assets/icons/airshard-" + size + ".png");
            if (icon != null) {
                stage.getIcons().add(new javafx.scene.image.Image(icon));
            }
        }
        stage.show();

        Path file = initialFile(getParameters().getRaw());
        runWindow = org.airshard.app.gui.run.RunHook.install(window, editor, pipeline, tasks, dialogs, stage, file == null);
        if (file != null) {
            doc.openFile(file);
        } else if (Samples.exists(Samples.DEFAULT)) {
            doc.openSample(Samples.DEFAULT);
        } else {
            editor.setStatus("No default sample packaged: started with a new topology");
        }
        Platform.runLater(doc::offerRecoveryInBackground);

        autosave = new Timeline(new KeyFrame(Duration.seconds(AUTOSAVE_SECONDS), e -> doc.autosaveTick()));
        autosave.setCycleCount(Timeline.INDEFINITE);
        autosave.play();
    }

    static Path initialFile(List<String> args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return Path.of(a);
            }
        }
        String p = System.getProperty("airshard.topology");
        if (p != null && !p.isBlank() && Files.exists(Path.of(p))) {
            return Path.of(p);
        }
        return null;
    }

    @Override
    public void stop() {
        if (runWindow != null) {
            runWindow.close();
        }
        if (autosave != null) {
            autosave.stop();
        }
        if (tasks != null) {
            tasks.close();
        }
    }
}
