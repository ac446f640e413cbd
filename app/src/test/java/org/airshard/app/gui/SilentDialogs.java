package org.airshard.app.gui;

import java.nio.file.Path;
import java.util.Optional;
import org.airshard.app.gui.common.Dialogs;

/** Dialogs for GUI tests that never ask the user: no file chosen, nothing confirmed, errors ignored. */
public final class SilentDialogs implements Dialogs {

    private final SaveChoice onUnsavedChanges;

    /** @param onUnsavedChanges the answer to "save changes?" */
    public SilentDialogs(SaveChoice onUnsavedChanges) {
        this.onUnsavedChanges = onUnsavedChanges;
    }

    /** Answers "save changes?" with CANCEL. */
    public SilentDialogs() {
        this(SaveChoice.CANCEL);
    }

    @Override
    public Optional<Path> chooseOpenFile(Path initialDir) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> chooseSaveFile(Path initialDir, String suggestedFileName) {
        return Optional.empty();
    }

    @Override
    public SaveChoice askSaveChanges(String documentName) {
        return onUnsavedChanges;
    }

    @Override
    public boolean confirm(String title, String message) {
        return false;
    }

    @Override
    public void showError(String title, String message) {
    }
}
