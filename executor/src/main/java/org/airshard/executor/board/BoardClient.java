package org.airshard.executor.board;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * The coordinator's connection to one board: gRPC control calls over TLS with the board's pinned
 * certificate (trust on first use through {@link KnownBoards}) and the pairing token, each with a deadline;
 * and data-plane connections, one per coordinator thread ({@link DataLink}: the thread writes its request and
 * reads the reply itself, no hand-offs). When the board dies, or {@link #fail} is called (heartbeat loss),
 * every connection is closed and every blocked or later request fails with a {@link BoardFailure} naming it.
 */
public final class BoardClient implements AutoCloseable {

    public static final long CONTROL_DEADLINE_MS = 5_000;
    public static final long LOAD_DEADLINE_MS = 120_000;

    private final String address;
    private final String host;
    private final int port;
    private final ManagedChannel channel;
    private final io.grpc.Channel authed;
    private final AtomicReference<String> seenFingerprint = new AtomicReference<>();
    private final KnownBoards known;
    private String name;
    private int dataPort;
    private long readTimeoutMs = 60_000;
    private Frame.Session session;
    private final Map<Thread, DataLink> links = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile BoardFailure failure;
    /** Set while another board's loss aborts the run: closed links fail without blaming this board. */
    private volatile boolean aborting;
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();

    public BoardClient(String address, String token, KnownBoards known) {
        this.address = address;
        this.known = known;
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("board address '" + address + "' is not HOST:PORT");
        }
        this.host = address.substring(0, colon);
        try {
            this.port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("board address '" + address + "' is not HOST:PORT");
        }
        this.name = address;
        String pin = known.pin(address);
        try {
            channel = NettyChannelBuilder.forAddress(host, port)
                    .sslContext(GrpcSslContexts.forClient().trustManager(BoardTls.pinning(address, pin, seenFingerprint::set)).build())
                    .maxInboundMessageSize(Rpc.MAX_MESSAGE_BYTES)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
        Metadata md = new Metadata();
        if (token != null) {
            md.put(Rpc.TOKEN, token);
        }
        authed = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    }

    public String address() {
        return address;
    }

    /** The board's name once known (from hello), else its address. */
    public String label() {
        return name.equals(address) ? address : name + " (" + address + ")";
    }

    /** One control call with a deadline; failures become {@link BoardFailure}s naming the board. */
    public Rpc.Msg call(MethodDescriptor<Rpc.Msg, Rpc.Msg> m, Rpc.Msg req, long deadlineMs) {
        try {
            Rpc.Msg r = ClientCalls.blockingUnaryCall(authed, m, CallOptions.DEFAULT.withDeadlineAfter(deadlineMs,
                    TimeUnit.MILLISECONDS), req);
            String fp = seenFingerprint.getAndSet(null);
            if (fp != null) {
                known.remember(address, fp);
            }
            return r;
        } catch (StatusRuntimeException e) {
            String why = e.getStatus().getDescription() != null ? e.getStatus().getDescription()
                    : e.getCause() != null ? e.getCause().getMessage() : "";
            throw new BoardFailure(label(), m.getBareMethodName() + " failed: " + e.getStatus().getCode() + " " + why, e);
        }
    }

    public ObjectNode hello(boolean measureFlops) {
        ObjectNode r = call(Rpc.HELLO, Rpc.Msg.of(Rpc.Msg.object().put("measureFlops", measureFlops)),
                measureFlops ? 10_000 : CONTROL_DEADLINE_MS).json();
        name = r.path("name").asText(address);
        dataPort = r.path("dataPort").asInt(dataPort);
        return r;
    }

    public ObjectNode heartbeat(long deadlineMs) {
        return call(Rpc.HEARTBEAT, Rpc.Msg.of(Rpc.Msg.object()), deadlineMs).json();
    }

    public ObjectNode status() {
        return call(Rpc.STATUS, Rpc.Msg.of(Rpc.Msg.object()), CONTROL_DEADLINE_MS).json();
    }

    /** Loads the shard; opens the data-plane connection with the returned session. */
    public ObjectNode load(ObjectNode request) {
        ObjectNode r = call(Rpc.LOAD, Rpc.Msg.of(request), LOAD_DEADLINE_MS).json();
        session = Frame.Session.parse(r.path("session").asText());
        connectData(r.path("dataPort").asInt());
        return r;
    }

    public Frame.Session session() {
        return session;
    }

    /** The board's data port (from hello; for the previous ring member's link). */
    public int dataPort() {
        return dataPort;
    }

    public String host() {
        return host;
    }

    private void connectData(int dataPort) {
        closeData();
        this.dataPort = dataPort;
        failure = null;
        aborting = false;
        link().close();
        links.remove(Thread.currentThread());
    }

    /** This thread's data-plane connection (created on first use). */
    private DataLink link() {
        DataLink l = links.get(Thread.currentThread());
        if (l == null) {
            if (failure != null) {
                throw failure;
            }
            try {
                l = new DataLink(host, dataPort, 3000, Integer.MAX_VALUE - 8);
            } catch (java.io.IOException e) {
                throw new BoardFailure(label(), "data-plane connection to port " + dataPort + " failed: " + e.getMessage(), e);
            }
            links.put(Thread.currentThread(), l);
        }
        return l;
    }

    /** Backstop deadline of one data-plane reply, enforced through {@link #overdue}. */
    public void setReadTimeoutMs(long ms) {
        this.readTimeoutMs = ms;
    }

    /**
     * Why the board is overdue, or null: one of its connections has waited for a reply longer than the read
     * deadline. The run's heartbeat checks it and {@link #fail}s the board, which closes the connections and so
     * ends the waiting read.
     */
    public String overdue() {
        long now = System.nanoTime(), limit = readTimeoutMs * 1_000_000L;
        for (DataLink l : links.values()) {
            if (l.overdue(now, limit)) {
                return "no reply within " + readTimeoutMs + " ms";
            }
        }
        return null;
    }

    /** Fails every pending and future request of this board: closes its data connections. */
    public void fail(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = new BoardFailure(label(), reason);
            }
        }
        closeData();
    }

    public BoardFailure failure() {
        return failure;
    }

    /** Sends a request on this thread's connection; {@link #receive} reads its reply. */
    public void send(int kind, int sequence, int position, int layer, int rows, int cols, float[] values) {
        DataLink l = link();
        Frame f = Frame.tensor(kind, session, ids.incrementAndGet(), sequence, position, layer, rows, cols, values);
        try {
            l.send(f);
        } catch (java.io.IOException e) {
            throw lost(e);
        }
        bytesSent.addAndGet(Frame.HEADER_BYTES + 4 + f.payload().length);
    }

    /** Reads the reply to this thread's oldest unanswered request. */
    public Frame receive() {
        Frame f;
        try {
            f = link().receive();
        } catch (java.io.IOException e) {
            throw lost(e);
        }
        bytesReceived.addAndGet(Frame.HEADER_BYTES + 4 + f.payload().length);
        if (f.kind() == Frame.ERROR) {
            throw new BoardFailure(label(), f.text());
        }
        return f;
    }

    /** One round trip on this thread's connection. */
    public Frame exchange(int kind, int sequence, int position, int layer, int rows, int cols, float[] values) {
        send(kind, sequence, position, layer, rows, cols, values);
        return receive();
    }

    /**
     * Starts a generation at this board, the ring's starter ({@link Frame#GENERATE}); its tokens come back on
     * this thread's connection as {@link Frame#TOKEN}s, read with {@link #receive}.
     */
    public void sendGenerate(int sequence, GenerateRequest request) {
        DataLink l = link();
        Frame f = new Frame(Frame.GENERATE, session.hi(), session.lo(), ids.incrementAndGet(), sequence, 0, 0, 0, 0, 0,
                request.encode());
        try {
            l.send(f);
        } catch (java.io.IOException e) {
            throw lost(e);
        }
        bytesSent.addAndGet(Frame.HEADER_BYTES + 4 + f.payload().length);
    }

    /** Counts ring bytes the coordinator did not move itself (board-to-board hops): into and out of this board. */
    void countRing(long in, long out) {
        bytesSent.addAndGet(in);
        bytesReceived.addAndGet(out);
    }

    /**
     * Another board was lost: closes this board's data connections so threads blocked on them return; they
     * fail with a {@link BoardFailure} that does not mark this board as failed.
     */
    public void abortLinks() {
        aborting = true;
        closeData();
    }

    private BoardFailure lost(java.io.IOException e) {
        if (aborting && failure == null) {
            return new BoardFailure(label(), "run aborted: another board was lost");
        }
        if (failure == null) {
            fail("connection lost (board stopped or crashed): " + e.getMessage());
        }
        return failure;
    }

    /** Closes this thread's connection (end of a sequence thread). */
    public void releaseLink() {
        DataLink l = links.remove(Thread.currentThread());
        if (l != null) {
            l.close();
        }
    }

    /** Zeroes the data-plane byte counters (after a warm-up). */
    public void resetCounters() {
        bytesSent.set(0);
        bytesReceived.set(0);
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Ends the run on the board (best effort). */
    public void stop() {
        try {
            call(Rpc.STOP, Rpc.Msg.of(Rpc.Msg.object()), CONTROL_DEADLINE_MS);
        } catch (BoardFailure ignored) {
            // the board may be gone
        }
    }

    private void closeData() {
        for (Thread t : List.copyOf(links.keySet())) {
            DataLink l = links.remove(t);
            if (l != null) {
                l.close();
            }
        }
    }

    @Override
    public void close() {
        closeData();
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
