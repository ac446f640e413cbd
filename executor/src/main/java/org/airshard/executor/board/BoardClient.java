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
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * The coordinator's connection to one board: gRPC control calls over TLS with the board's pinned
 * certificate (trust on first use through {@link KnownBoards}) and the pairing token, each with a deadline;
 * and a Netty data-plane channel with request/response matching by id. When the board dies every pending
 * request fails with a {@link BoardFailure} naming it.
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
    private EventLoopGroup group;
    private Channel data;
    private Frame.Session session;
    private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile BoardFailure failure;
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

    private void connectData(int dataPort) {
        closeData();
        group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "data-" + address);
            t.setDaemon(true);
            return t;
        });
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrameCodec.Splitter(Integer.MAX_VALUE - 8), new FrameCodec.Decoder(),
                                new FrameCodec.Encoder(), new Responses());
                    }
                });
        try {
            data = b.connect(host, dataPort).sync().channel();
        } catch (Exception e) {
            throw new BoardFailure(label(), "data-plane connection to port " + dataPort + " failed: " + e.getMessage(), e);
        }
        failure = null;
    }

    private final class Responses extends SimpleChannelInboundHandler<Frame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            bytesReceived.addAndGet(Frame.HEADER_BYTES + 4 + f.payload().length);
            CompletableFuture<Frame> p = pending.remove(f.requestId());
            if (p == null) {
                return;
            }
            if (f.kind() == Frame.ERROR) {
                p.completeExceptionally(new BoardFailure(label(), f.text()));
            } else {
                p.complete(f);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("connection closed (board stopped or crashed)");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail("data-plane error: " + cause.getMessage());
            ctx.close();
        }
    }

    /** Fails every pending and future request of this board. */
    public void fail(String reason) {
        BoardFailure f = new BoardFailure(label(), reason);
        if (failure == null) {
            failure = f;
        }
        for (Long id : pending.keySet()) {
            CompletableFuture<Frame> p = pending.remove(id);
            if (p != null) {
                p.completeExceptionally(failure);
            }
        }
    }

    public BoardFailure failure() {
        return failure;
    }

    /** Sends a tensor request; completes with the RESULT frame or a {@link BoardFailure}. */
    public CompletableFuture<Frame> request(int kind, int sequence, int position, int layer, int rows, int cols, float[] values) {
        long id = ids.incrementAndGet();
        CompletableFuture<Frame> p = new CompletableFuture<>();
        if (failure != null) {
            p.completeExceptionally(failure);
            return p;
        }
        pending.put(id, p);
        Frame f = Frame.tensor(kind, session, id, sequence, position, layer, rows, cols, values);
        bytesSent.addAndGet(Frame.HEADER_BYTES + 4 + f.payload().length);
        data.writeAndFlush(f).addListener(w -> {
            if (!w.isSuccess()) {
                fail("send failed: " + w.cause());
            }
        });
        if (failure != null) {
            fail(failure.getMessage());
        }
        return p;
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
        if (data != null) {
            data.close();
            data = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
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
