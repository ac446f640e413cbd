package org.airshard.app.gui.files;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.airshard.app.gui.common.Dialogs;

/** Dialogs with scripted answers; records what was asked. */
final class ScriptedDialogs implements Dialogs {

    final Deque<Path> openAnswers = new ArrayDeque<>();
    final Deque<Path> saveAnswers = new ArrayDeque<>();
    final Deque<Path> checkpointAnswers = new ArrayDeque<>();
    final Deque<SaveChoice> saveChoices = new ArrayDeque<>();
    final Deque<Boolean> confirmAnswers = new ArrayDeque<>();
    final List<String> asked = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    @Override
    public Optional<Path> chooseOpenFile(Path initialDir) {
        asked.add("open");
        return Optional.ofNullable(openAnswers.poll());
    }

    @Override
    public Optional<Path> chooseSaveFile(Path initialDir, String suggestedFileName) {
        asked.add("save-as:" + suggestedFileName);
        return Optional.ofNullable(saveAnswers.poll());
    }

    @Override
    public Optional<Path> chooseCheckpoint(Path initialDir) {
        asked.add("checkpoint");
        return Optional.ofNullable(checkpointAnswers.poll());
    }

    @Override
    public SaveChoice askSaveChanges(String documentName) {
        asked.add("save-changes:" + documentName);
        SaveChoice c = saveChoices.poll();
        return c == null ? SaveChoice.CANCEL : c;
    }

    @Override
    public boolean confirm(String title, String message) {
        asked.add("confirm:" + title);
        Boolean b = confirmAnswers.poll();
        return b != null && b;
    }

    @Override
    public void showError(String title, String message) {
        errors.add(title + ": " + message);
    }
}
