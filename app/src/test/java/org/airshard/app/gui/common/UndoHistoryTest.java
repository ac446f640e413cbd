package org.airshard.app.gui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UndoHistoryTest {

    @Test
    void undoRedoWalkTheSnapshots() {
        UndoHistory<String> h = new UndoHistory<>(10);
        h.record("a", "0", "1", null);
        h.record("b", "1", "2", null);
        assertEquals("b", h.undoLabel());
        assertEquals(Optional.of("1"), h.undo());
        assertEquals(Optional.of("0"), h.undo());
        assertFalse(h.canUndo());
        assertEquals(Optional.of("1"), h.redo());
        assertEquals("b", h.redoLabel());
        assertEquals(Optional.of("2"), h.redo());
        assertFalse(h.canRedo());
    }

    @Test
    void sameMergeKeyMakesOneStepAndNewEditClearsRedo() {
        UndoHistory<Integer> h = new UndoHistory<>(10);
        Object drag = new Object();
        h.record("move", 0, 1, drag);
        h.record("move", 1, 2, drag);
        h.record("move", 2, 3, drag);
        assertEquals(Optional.of(0), h.undo());
        assertFalse(h.canUndo());
        assertTrue(h.canRedo());
        h.record("other", 0, 5, null);
        assertFalse(h.canRedo());
    }

    @Test
    void capacityDropsTheOldest() {
        UndoHistory<Integer> h = new UndoHistory<>(2);
        h.record("1", 0, 1, null);
        h.record("2", 1, 2, null);
        h.record("3", 2, 3, null);
        assertEquals(Optional.of(2), h.undo());
        assertEquals(Optional.of(1), h.undo());
        assertFalse(h.canUndo());
    }
}
