package org.airshard.app.gui.common;

import java.nio.file.Path;
import java.util.Optional;

/** Modal questions the ViewModels ask the user; the app shows real dialogs, tests script the answers. */
public interface Dialogs {

    /** Answer to "save changes?" when unsaved work would be lost. */
    enum SaveChoice { SAVE, DISCARD, CANCEL }

    Optional<Path> chooseOpenFile(Path initialDir);

    Optional<Path> chooseSaveFile(Path initialDir, String suggestedFileName);

    /** A model checkpoint: a Hugging Face {@code config.json} or a {@code .gguf} file. */
    default Optional<Path> chooseCheckpoint(Path initialDir) {
        return Optional.empty();
    }

    SaveChoice askSaveChanges(String documentName);

    boolean confirm(String title, String message);

    void showError(String title, String message);
}
