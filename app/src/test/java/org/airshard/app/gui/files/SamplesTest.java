package org.airshard.app.gui.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged samples (sample-topologies module) are listed and open as untitled, valid documents. */
class SamplesTest {

    @TempDir
    Path tmp;

    @Test
    void everyPackagedSampleOpensAsAnUntitledDocument() {
        var samples = Samples.list();
        assertTrue(samples.stream().anyMatch(s -> s.resource().equals(Samples.DEFAULT)), samples.toString());
        assertTrue(samples.stream().noneMatch(s -> s.resource().endsWith(".schema.json")));
        DirectTaskRunner tasks = new DirectTaskRunner();
        ScriptedDialogs dialogs = new ScriptedDialogs();
        for (Samples.Sample s : samples) {
            TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
            DocumentViewModel doc = new DocumentViewModel(editor, dialogs, tasks,
                    new RecentFiles(tmp.resolve("recent.txt"), 5), new Autosave(tmp.resolve("autosave.json")));
            doc.openSample(s.resource());
            assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
            assertNull(editor.file(), "a sample is untitled: Save asks where");
            assertFalse(editor.isDirty());
            assertFalse(editor.topology().devices().isEmpty(), s.resource());
        }
    }

    @Test
    void displayNamesComeFromFileNames() {
        assertEquals("Local demo", Samples.displayName("local-demo.json"));
        assertEquals("Aircomp paper 4dev", Samples.displayName("aircomp-paper-4dev.json"));
    }
}
