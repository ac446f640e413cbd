package org.airshard.app.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Discovery on loopback only: a beacon answers the probe with name, port and fingerprint; junk is ignored. */
@Tag("network")
class BoardDiscoveryTest {

    @Test
    void aBeaconAnswersAProbeOnLoopback() throws Exception {
        try (BoardBeacon a = new BoardBeacon("127.0.0.1", 0, "board-a", 7410, "aa:bb");
             BoardBeacon b = new BoardBeacon("127.0.0.1", 0, "board-b", 7420, "cc:dd")) {
            List<BoardDiscovery.Found> found = BoardDiscovery.probe(List.of(new InetSocketAddress("127.0.0.1", a.port()),
                    new InetSocketAddress("127.0.0.1", b.port())), 600);
            assertEquals(2, found.size(), found.toString());
            BoardDiscovery.Found fa = found.stream().filter(f -> f.name().equals("board-a")).findFirst().orElseThrow();
            assertEquals("127.0.0.1:7410", fa.address());
            assertEquals("aa:bb", fa.fingerprint());
        }
    }

    @Test
    void junkIsIgnoredAndTheBeaconKeepsServing() throws Exception {
        try (BoardBeacon a = new BoardBeacon("127.0.0.1", 0, "board-a", 7410, "aa:bb");
             DatagramSocket s = new DatagramSocket()) {
            byte[] junk = "hello?".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(junk, junk.length, new InetSocketAddress("127.0.0.1", a.port())));
            s.setSoTimeout(300);
            boolean answered;
            try {
                s.receive(new DatagramPacket(new byte[512], 512));
                answered = true;
            } catch (java.net.SocketTimeoutException e) {
                answered = false;
            }
            assertTrue(!answered, "no reply to junk");
            assertEquals(1, BoardDiscovery.probe(List.of(new InetSocketAddress("127.0.0.1", a.port())), 600).size());
        }
        // nobody listening: an empty answer, no error
        assertTrue(BoardDiscovery.probe(List.of(new InetSocketAddress("127.0.0.1", 9)), 200).isEmpty());
    }
}
