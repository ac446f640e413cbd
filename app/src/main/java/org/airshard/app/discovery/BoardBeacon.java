package org.airshard.app.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * Answers discovery probes for one board agent over UDP: a datagram holding exactly {@link #PROBE} gets a
 * JSON reply {@code {"format":"airshard.board/1","name":…,"port":…,"fingerprint":…}} sent back to the prober.
 * Only public facts travel (the certificate fingerprint is shown to the user to compare when pairing; the
 * token never does). Anything else is ignored. One daemon thread; {@link #close()} stops it.
 */
public final class BoardBeacon implements AutoCloseable {

    /** The probe's payload. */
    public static final String PROBE = "AIRSHARD-DISCOVER/1";
    /** Reply format id. */
    public static final String FORMAT = "airshard.board/1";
    /** Default UDP port of beacons. */
    public static final int DEFAULT_PORT = 7399;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DatagramSocket socket;
    private final byte[] reply;
    private final Thread thread;

    /**
     * @param bind        address to listen on (0.0.0.0 hears broadcasts; 127.0.0.1 in tests)
     * @param udpPort     UDP port (0 = ephemeral)
     * @param name        board name
     * @param controlPort the agent's control-plane port
     * @param fingerprint the agent's certificate fingerprint
     */
    public BoardBeacon(String bind, int udpPort, String name, int controlPort, String fingerprint) throws SocketException {
        socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(bind, udpPort));
        ObjectNode o = JSON.createObjectNode().put("format", FORMAT).put("name", name).put("port", controlPort)
                .put("fingerprint", fingerprint);
        reply = o.toString().getBytes(StandardCharsets.UTF_8);
        thread = new Thread(this::serve, "board-beacon");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public InetAddress address() {
        return socket.getLocalAddress();
    }

    private void serve() {
        byte[] buf = new byte[256];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                String text = new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.US_ASCII).trim();
                if (PROBE.equals(text)) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
                // a bad datagram or a transient send error: keep serving
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
