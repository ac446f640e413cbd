package org.airshard.executor.board;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The coordinator's end of one data-plane connection, owned by one coordinator thread: it writes a request
 * {@link Frame} and reads the reply itself, so a round trip costs the same thread wake-ups as a raw
 * socket ping-pong (the agent's end is Netty). Replies are checked like the agent checks requests: length
 * limit, magic, kind, shape against payload, request id.
 */
final class DataLink implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int maxFrameBytes;
    private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    /** System.nanoTime() when the current {@link #receive} started waiting, 0 when none is. */
    private volatile long waitingSince;

    /**
     * No socket read timeout: with one, the JDK turns every read into read → EAGAIN → poll → read (~4 µs more per
     * round trip here, DataPlaneBenchmark). The reply deadline is kept by {@link #overdue}, which the run's
     * heartbeat checks; closing the link ends a read that waits too long.
     */
    DataLink(String host, int port, int connectTimeoutMs, int maxFrameBytes) throws IOException {
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        this.maxFrameBytes = maxFrameBytes;
    }

    void send(Frame f) throws IOException {
        header.clear();
        header.putInt(Integer.reverseBytes(Frame.MAGIC)).putInt(f.kind()).putLong(f.sessionHi()).putLong(f.sessionLo())
                .putLong(f.requestId()).putInt(f.sequence()).putInt(f.position()).putInt(f.layer()).putInt(f.rows())
                .putInt(f.cols()).putInt(f.aux());
        out.writeInt(Frame.HEADER_BYTES + f.payload().length);
        out.write(header.array(), 0, Frame.HEADER_BYTES);
        out.write(f.payload());
        out.flush();
    }

    /** True when a {@link #receive} has been waiting for longer than {@code limitNanos} at {@code nowNanos}. */
    boolean overdue(long nowNanos, long limitNanos) {
        long since = waitingSince;
        return since != 0 && nowNanos - since > limitNanos;
    }

    Frame receive() throws IOException {
        waitingSince = System.nanoTime() | 1; // never 0
        try {
            return read();
        } finally {
            waitingSince = 0;
        }
    }

    private Frame read() throws IOException {
        int n = in.readInt();
        if (n < Frame.HEADER_BYTES || n > maxFrameBytes) {
            throw new IOException("reply length " + n + " outside [" + Frame.HEADER_BYTES + ", " + maxFrameBytes + "]");
        }
        byte[] h = new byte[Frame.HEADER_BYTES];
        in.readFully(h);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (Integer.reverseBytes(b.getInt()) != Frame.MAGIC) {
            throw new IOException("reply is not an AirShard frame");
        }
        int kind = b.getInt();
        long hi = b.getLong(), lo = b.getLong(), id = b.getLong();
        int seq = b.getInt(), pos = b.getInt(), layer = b.getInt(), rows = b.getInt(), cols = b.getInt(), aux = b.getInt();
        int payload = n - Frame.HEADER_BYTES;
        if (kind != Frame.ERROR && ((kind != Frame.RESULT && kind != Frame.TOKEN) || rows < 0 || cols < 0 || (long) rows * cols * 4 != payload)) {
            throw new IOException("malformed reply (kind " + kind + ", " + rows + "x" + cols + ", " + payload + " bytes)");
        }
        byte[] p = new byte[payload];
        in.readFully(p);
        return new Frame(kind, hi, lo, id, seq, pos, layer, rows, cols, aux, p);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
