package org.airshard.app.gui.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * Undo/redo over immutable snapshots of a document of type {@code S}: each edit records the state before
 * and after it. Consecutive edits with the same non-null merge key (one drag gesture, one typing burst)
 * become one step. Bounded: the oldest steps are dropped beyond {@link #capacity()}.
 */
public final class UndoHistory<S> {

    /** One undoable step. */
    public record Step<S>(String label, S before, S after, Object mergeKey) {
    }

    private final Deque<Step<S>> undo = new ArrayDeque<>();
    private final Deque<Step<S>> redo = new ArrayDeque<>();
    private final int capacity;

    public UndoHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** Records an edit from {@code before} to {@code after}; clears the redo list. */
    public void record(String label, S before, S after, Object mergeKey) {
        Objects.requireNonNull(label);
        redo.clear();
        Step<S> top = undo.peek();
        if (mergeKey != null && top != null && mergeKey.equals(top.mergeKey())) {
            undo.pop();
            undo.push(new Step<>(top.label(), top.before(), after, mergeKey));
            return;
        }
        undo.push(new Step<>(label, before, after, mergeKey));
        while (undo.size() > capacity) {
            undo.removeLast();
        }
    }

    /** Undoes the last step; returns the state to go back to. */
    public Optional<S> undo() {
        Step<S> s = undo.poll();
        if (s == null) {
            return Optional.empty();
        }
        redo.push(s);
        return Optional.of(s.before());
    }

    /** Redoes the last undone step; returns the state to go to. */
    public Optional<S> redo() {
        Step<S> s = redo.poll();
        if (s == null) {
            return Optional.empty();
        }
        undo.push(new Step<>(s.label(), s.before(), s.after(), null));
        return Optional.of(s.after());
    }

    public boolean canUndo() {
        return !undo.isEmpty();
    }

    public boolean canRedo() {
        return !redo.isEmpty();
    }

    /** Label of the step {@link #undo()} would revert, or empty. */
    public String undoLabel() {
        return undo.isEmpty() ? "" : undo.peek().label();
    }

    public String redoLabel() {
        return redo.isEmpty() ? "" : redo.peek().label();
    }

    public void clear() {
        undo.clear();
        redo.clear();
    }
}
