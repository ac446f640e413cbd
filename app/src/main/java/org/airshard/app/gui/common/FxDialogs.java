package org.airshard.app.gui.common;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextArea;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Real JavaFX dialogs owned by the main window. */
public final class FxDialogs implements Dialogs {

    private final Window owner;

    public FxDialogs(Window owner) {
        this.owner = owner;
    }

    /** Gives a dialog the main window's theme (stylesheet and dark/light class). */
    private <T extends javafx.scene.control.Dialog<?>> T themed(T d) {
        if (owner != null && owner.getScene() != null) {
            d.getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
            if (owner.getScene().getRoot().getStyleClass().contains("dark")) {
                d.getDialogPane().getStyleClass().add("dark");
            }
        }
        return d;
    }

    private static FileChooser chooser(Path initialDir) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("AirShard topology (*.json)", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        if (initialDir != null && Files.isDirectory(initialDir)) {
            fc.setInitialDirectory(initialDir.toFile());
        }
        return fc;
    }

    @Override
    public Optional<Path> chooseOpenFile(Path initialDir) {
        FileChooser fc = chooser(initialDir);
        fc.setTitle("Open topology");
        File f = fc.showOpenDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseSaveFile(Path initialDir, String suggestedFileName) {
        FileChooser fc = chooser(initialDir);
        fc.setTitle("Save topology as");
        fc.setInitialFileName(suggestedFileName);
        File f = fc.showSaveDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseCheckpoint(Path initialDir) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a model checkpoint (config.json or .gguf)");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Checkpoint (config.json, *.gguf)", "config.json", "*.gguf"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        if (initialDir != null && Files.isDirectory(initialDir)) {
            fc.setInitialDirectory(initialDir.toFile());
        }
        File f = fc.showOpenDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public SaveChoice askSaveChanges(String documentName) {
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Don't save", ButtonBar.ButtonData.NO);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = themed(new Alert(Alert.AlertType.CONFIRMATION, "", save, discard, cancel));
        a.initOwner(owner);
        a.setTitle("Unsaved changes");
        a.setHeaderText("Save changes to \"" + documentName + "\"?");
        a.setContentText("Your changes will be lost if you don't save them.");
        ButtonType r = a.showAndWait().orElse(cancel);
        return r == save ? SaveChoice.SAVE : r == discard ? SaveChoice.DISCARD : SaveChoice.CANCEL;
    }

    @Override
    public boolean confirm(String title, String message) {
        Alert a = themed(new Alert(Alert.AlertType.CONFIRMATION, message, ButtonType.YES, ButtonType.NO));
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        return a.showAndWait().orElse(ButtonType.NO) == ButtonType.YES;
    }

    @Override
    public void showError(String title, String message) {
        Alert a = themed(new Alert(Alert.AlertType.ERROR));
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        if (message.length() > 200 || message.contains("\n")) {
            TextArea t = new TextArea(message);
            t.setEditable(false);
            t.setWrapText(true);
            t.setPrefRowCount(Math.min(12, message.split("\n").length + 1));
            a.getDialogPane().setContent(t);
        } else {
            a.setContentText(message);
        }
        a.showAndWait();
    }
}
