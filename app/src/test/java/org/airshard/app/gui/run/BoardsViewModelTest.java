package org.airshard.app.gui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.airshard.app.discovery.BoardBeacon;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boards panel without running agents: add host validation, discovery on loopback, lost boards. */
@Tag("network")
class BoardsViewModelTest {

    @Test
    void addHostValidatesAndDiscoveryAddsUnpairedBoards(@TempDir Path tmp) throws Exception {
        RunViewModelTest.Fixture f = RunViewModelTest.fixture(tmp);
        BoardsViewModel b = f.boards();
        assertEquals(3, b.rows().size());
        assertTrue(b.addHost("no-port").isPresent());
        assertTrue(b.addHost("10.0.0.9:7400").isEmpty());
        assertEquals(4, b.rows().size());
        assertFalse(b.rows().get(3).paired());
        try (BoardBeacon beacon = new BoardBeacon("127.0.0.1", 0, "far-board", 7555, "12:34:56")) {
            b.setDiscoveryTargets(List.of(new InetSocketAddress("127.0.0.1", beacon.port())));
            b.discover();
        }
        BoardRow found = b.row("127.0.0.1:7555").orElseThrow();
        assertEquals("far-board", found.name());
        assertEquals("12:34:56", found.fingerprint());
        assertFalse(found.paired());
        assertTrue(b.statusProperty().get().contains("1 new"), b.statusProperty().get());
        // a run cannot start without paired online boards
        f.run().start();
        assertTrue(f.run().statusProperty().get().startsWith("No paired online boards"), f.run().statusProperty().get());
        b.markLost("board-2 (127.0.0.1:7402)", "connection lost");
        assertEquals(BoardRow.State.LOST, b.row("127.0.0.1:7402").orElseThrow().state());
    }
}
