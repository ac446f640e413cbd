package org.airshard.app.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds board agents on the local network: sends {@link BoardBeacon#PROBE} to each target (the broadcast
 * address, or 127.0.0.1 in tests) and collects the beacons' replies for a short while. Replies that are not
 * {@code airshard.board/1} JSON are ignored. The address of a found board is the reply's source host and
 * the control port it announces.
 */
public final class BoardDiscovery {

    /** A board that answered. */
    public record Found(String name, String host, int port, String fingerprint) {
        public String address() {
            return host + ":" + port;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private BoardDiscovery() {
    }

    /**
     * @param targets where to send the probe (e.g. {@code 255.255.255.255:7399})
     * @param waitMs  how long to collect replies, ms
     */
    public static List<Found> probe(List<InetSocketAddress> targets, long waitMs) throws IOException {
        Map<String, Found> found = new LinkedHashMap<>();
        try (DatagramSocket s = new DatagramSocket()) {
            s.setBroadcast(true);
            byte[] probe = BoardBeacon.PROBE.getBytes(StandardCharsets.US_ASCII);
            for (InetSocketAddress t : targets) {
                try {
                    s.send(new DatagramPacket(probe, probe.length, t));
                } catch (IOException e) {
                    // unreachable network (no broadcast route): try the others
                }
            }
            long deadline = System.nanoTime() + waitMs * 1_000_000;
            byte[] buf = new byte[2048];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                s.setSoTimeout((int) Math.max(1, left));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                Found f = parse(p);
                if (f != null) {
                    found.putIfAbsent(f.address(), f);
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    private static Found parse(DatagramPacket p) {
        try {
            JsonNode j = JSON.readTree(new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.UTF_8));
            int port = j.path("port").asInt(0);
            if (!BoardBeacon.FORMAT.equals(j.path("format").asText()) || port < 1 || port > 65535) {
                return null;
            }
            return new Found(j.path("name").asText(""), p.getAddress().getHostAddress(), port, j.path("fingerprint").asText(""));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
