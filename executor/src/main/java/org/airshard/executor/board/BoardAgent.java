package org.airshard.executor.board;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.airshard.executor.generate.LogitCandidates;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.runtime.LmHeadSlice;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.runtime.SliceShard;
import org.airshard.executor.runtime.StageShard;
import org.airshard.executor.runtime.StarterHead;

/**
 * The board daemon. Control plane: gRPC over TLS (self-signed certificate, see {@link BoardTls}) with a
 * pairing token checked on every call. Data plane: Netty, length-prefixed {@link Frame}s checked against a
 * per-load 128-bit session credential. Bounded threads everywhere: 1 gRPC worker pool of 4 with a bounded queue,
 * 1 Netty boss, 1 Netty data thread that also computes (shards are single-threaded; ORT has its own intra-op
 * threads), so requests of all connections are served in arrival order. Bad input is refused, logged and counted; it never
 * stops the agent.
 */
public final class BoardAgent implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("airshard.agent");
    static final int MAX_DATA_CONNECTIONS = 64;

    /**
     * @param name          board name shown to users
     * @param bind          address to bind (127.0.0.1 for loopback, 0.0.0.0 for all)
     * @param port          control-plane port (0 = ephemeral)
     * @param dataPort      data-plane port (0 = ephemeral)
     * @param token         pairing token
     * @param threads       ONNX Runtime intra-op threads
     * @param cacheDir      identity and tensor cache directory
     * @param cacheLimitBytes tensor cache size limit
     * @param maxFrameBytes largest data-plane frame accepted
     * @param spinMicros    how long the data thread polls after work before it blocks ({@link SpinThenBlock}; 0 = block at once)
     */
    public record Options(String name, String bind, int port, int dataPort, String token, int threads, Path cacheDir,
                          long cacheLimitBytes, int maxFrameBytes, long spinMicros) {
        /** Default polling window after work, µs (docs/benchmarks.md, "Boards"). */
        public static final long DEFAULT_SPIN_MICROS = 5_000;

        public Options {
            if (spinMicros < 0 || spinMicros > 1_000_000) {
                throw new IllegalArgumentException("spin time must be 0..1000000 µs, got " + spinMicros);
            }
        }

        public Options(String name, String bind, int port, int dataPort, String token, int threads, Path cacheDir,
                       long cacheLimitBytes, int maxFrameBytes) {
            this(name, bind, port, dataPort, token, threads, cacheDir, cacheLimitBytes, maxFrameBytes, DEFAULT_SPIN_MICROS);
        }

        public static Options loopback(String name, String token, Path cacheDir) {
            return new Options(name, "127.0.0.1", 0, 0, token, 1, cacheDir, 4L << 30, 64 << 20);
        }

        public Options withSpinMicros(long micros) {
            return new Options(name, bind, port, dataPort, token, threads, cacheDir, cacheLimitBytes, maxFrameBytes, micros);
        }
    }

    private final Options options;
    private final BoardTls tls;
    private final TensorCache cache;
    private final Server grpc;
    private final ExecutorService grpcPool;
    private static final boolean EPOLL = io.netty.channel.epoll.Epoll.isAvailable();
    private final EventLoopGroup boss = group(1, "agent-accept");
    /** One data-plane thread: it decodes, computes and replies inline (no thread hand-offs on the critical path). */
    private final EventLoopGroup workers;
    private final Channel dataChannel;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger dataConnections = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    // state of the loaded shard; guarded by this
    private volatile Frame.Session session;
    private volatile StageShard stage;
    private volatile SliceShard slice;
    /** Ring starter (pipeline, head on the board): embedding, head, sampling and each sequence's loop. */
    private volatile StarterLoop starter;
    /** The ring's last member's slice of the LM head (vocabulary rows the starter does not compute), or null. */
    private volatile LmHeadSlice lastHead;
    private volatile double computeScale = 1;
    private String loadedDescription = "nothing loaded";
    private final AtomicLong computeNanos = new AtomicLong();
    private final AtomicLong emulatedNanos = new AtomicLong();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong uploadedBytes = new AtomicLong();
    // direct ring (pipeline): the link to the next member (the last member's is the starter) and its session,
    // this member's ring index
    private volatile Channel nextHop;
    private volatile Frame.Session nextSession;
    /** Why the ring link to the next member failed (it refused a frame, or closed), reported by the heartbeat; null = fine. */
    private volatile String ringFault;
    private volatile int ringIndex = -1;

    public BoardAgent(Options o) throws IOException {
        this.options = o;
        this.workers = dataGroup(o.spinMicros());
        this.tls = BoardTls.loadOrCreate(o.cacheDir(), o.name());
        this.cache = new TensorCache(o.cacheDir(), o.cacheLimitBytes());
        this.grpcPool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                daemon("agent-rpc"));
        ServerServiceDefinition svc = ServerServiceDefinition.builder(Rpc.SERVICE)
                .addMethod(Rpc.HELLO, unary(this::hello))
                .addMethod(Rpc.HEARTBEAT, unary(this::heartbeat))
                .addMethod(Rpc.STATUS, unary(this::status))
                .addMethod(Rpc.DEPLOY, unary(this::deploy))
                .addMethod(Rpc.UPLOAD, unary(this::upload))
                .addMethod(Rpc.LOAD, unary(this::load))
                .addMethod(Rpc.STOP, unary(this::stop))
                .build();
        try {
            ServerBootstrap sb = new ServerBootstrap().group(boss, workers)
                    .channel(EPOLL ? io.netty.channel.epoll.EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new FrameCodec.Splitter(o.maxFrameBytes()), new FrameCodec.Decoder(),
                                    new FrameCodec.Encoder(), new DataHandler());
                        }
                    });
            this.dataChannel = sb.bind(new InetSocketAddress(o.bind(), o.dataPort())).sync().channel();
            this.grpc = NettyServerBuilder.forAddress(new InetSocketAddress(o.bind(), o.port()))
                    .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(tls.key(), tls.certificate())).build())
                    .maxInboundMessageSize(Rpc.MAX_MESSAGE_BYTES)
                    .executor(grpcPool)
                    .addService(ServerInterceptors.intercept(svc, new TokenCheck()))
                    .build().start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while starting", e);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @SuppressWarnings("deprecation")
    private static EventLoopGroup group(int threads, String name) {
        return EPOLL ? new io.netty.channel.epoll.EpollEventLoopGroup(threads, daemon(name)) : new NioEventLoopGroup(threads, daemon(name));
    }

    /** The data thread's event loop, polling for {@code spinMicros} after work before it blocks ({@link SpinThenBlock}). */
    @SuppressWarnings("deprecation")
    private static EventLoopGroup dataGroup(long spinMicros) {
        return EPOLL ? new io.netty.channel.epoll.EpollEventLoopGroup(1, daemon("agent-data"), SpinThenBlock.factory(spinMicros))
                : new NioEventLoopGroup(1, daemon("agent-data"), java.nio.channels.spi.SelectorProvider.provider(),
                SpinThenBlock.factory(spinMicros));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public String name() {
        return options.name();
    }

    public int port() {
        return grpc.getPort();
    }

    public int dataPort() {
        return ((InetSocketAddress) dataChannel.localAddress()).getPort();
    }

    public String address() {
        return options.bind() + ":" + port();
    }

    public String fingerprint() {
        return tls.fingerprint();
    }

    /** Calls and frames refused so far (bad token, bad session, malformed input). */
    public long refusedCount() {
        return refused.get();
    }

    /** Tensor bytes received by uploads since start. */
    public long uploadedBytes() {
        return uploadedBytes.get();
    }

    /** The one line printed when ready. */
    public String readyLine() {
        return "airshard agent " + name() + " ready on " + address() + " (data port " + dataPort() + ") tls-sha256 "
                + fingerprint();
    }

    // ---------------------------------------------------------------- control plane

    private interface Handler {
        Rpc.Msg handle(Rpc.Msg req) throws Exception;
    }

    private static ServerCallHandler<Rpc.Msg, Rpc.Msg> unary(Handler h) {
        return ServerCalls.asyncUnaryCall((Rpc.Msg req, StreamObserver<Rpc.Msg> obs) -> {
            try {
                obs.onNext(h.handle(req));
                obs.onCompleted();
            } catch (IllegalArgumentException | IllegalStateException e) {
                obs.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            } catch (StatusRuntimeException e) {
                obs.onError(e);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "control call failed", e);
                obs.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
            }
        });
    }

    private final class TokenCheck implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String t = headers.get(Rpc.TOKEN);
            boolean ok = t != null && MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8),
                    options.token().getBytes(StandardCharsets.UTF_8));
            if (!ok) {
                refused.incrementAndGet();
                Object peer = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                LOG.log(System.Logger.Level.WARNING, "refused " + call.getMethodDescriptor().getBareMethodName() + " from " + peer
                        + ": " + (t == null ? "no pairing token" : "wrong pairing token"));
                call.close(Status.UNAUTHENTICATED.withDescription(t == null ? "pairing token missing" : "wrong pairing token"),
                        new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    private Rpc.Msg hello(Rpc.Msg req) {
        ObjectNode o = Rpc.Msg.object();
        Runtime rt = Runtime.getRuntime();
        o.put("name", name());
        o.put("cpus", rt.availableProcessors());
        o.put("maxHeapBytes", rt.maxMemory());
        o.put("freeHeapBytes", rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            o.put("physicalMemoryBytes", os.getTotalMemorySize());
            o.put("freePhysicalMemoryBytes", os.getFreeMemorySize());
        }
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        o.put("java", System.getProperty("java.version"));
        String ort = ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion();
        o.put("onnxRuntime", ort == null ? "unknown" : ort);
        o.put("dataPort", dataPort());
        o.put("fingerprint", fingerprint());
        if (req.json().path("measureFlops").asBoolean(false)) {
            o.put("flopsPerSecond", measureFlops());
        }
        return Rpc.Msg.of(o);
    }

    /** fp32 multiply-add rate of one core over ~200 ms, in FLOP/s (2 per FMA). */
    static double measureFlops() {
        float[] a = new float[4096], b = new float[4096];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.01f;
            b[i] = (i % 5) * 0.02f;
        }
        long ops = 0;
        float acc = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 200_000_000L) {
            for (int r = 0; r < 64; r++) {
                float s = 0;
                for (int i = 0; i < a.length; i++) {
                    s += a[i] * b[i];
                }
                acc += s;
            }
            ops += 64L * a.length * 2;
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        return acc == 42 ? 0 : ops / sec;
    }

    private Rpc.Msg heartbeat(Rpc.Msg req) {
        ObjectNode o = Rpc.Msg.object();
        o.put("name", name());
        Frame.Session s = session;
        o.put("loaded", s != null);
        if (s != null) {
            o.put("session", s.tag());
        }
        String fault = ringFault;
        if (fault != null) {
            o.put("ringFault", fault);
        }
        o.put("time", System.currentTimeMillis());
        return Rpc.Msg.of(o);
    }

    private synchronized Rpc.Msg status(Rpc.Msg req) throws IOException {
        ObjectNode o = Rpc.Msg.object();
        o.put("name", name());
        o.put("loaded", loadedDescription);
        o.put("computeMs", computeNanos.get() / 1e6);
        o.put("emulatedExtraMs", emulatedNanos.get() / 1e6);
        o.put("framesIn", framesIn.get());
        o.put("bytesIn", bytesIn.get());
        o.put("bytesOut", bytesOut.get());
        o.put("uploadedBytes", uploadedBytes.get());
        o.put("refused", refused.get());
        o.put("cacheBytes", cache.sizeBytes());
        Runtime rt = Runtime.getRuntime();
        o.put("usedHeapBytes", rt.totalMemory() - rt.freeMemory());
        return Rpc.Msg.of(o);
    }

    private Rpc.Msg deploy(Rpc.Msg req) {
        ArrayNode missing = Rpc.JSON.createArrayNode();
        long bytes = 0;
        for (JsonNode t : req.json().path("tensors")) {
            String h = t.path("hash").asText();
            if (!TensorCache.validHash(h)) {
                throw new IllegalArgumentException("bad tensor hash for " + t.path("name").asText());
            }
            if (!cache.has(h)) {
                missing.add(h);
                bytes += t.path("bytes").asLong();
            }
        }
        ObjectNode o = Rpc.Msg.object();
        o.set("missing", missing);
        o.put("missingBytes", bytes);
        return Rpc.Msg.of(o);
    }

    private Rpc.Msg upload(Rpc.Msg req) throws IOException {
        JsonNode j = req.json();
        long[] shape = longs(j.path("shape"));
        boolean done = cache.write(j.path("hash").asText(), shape, j.path("total").asLong(), j.path("offset").asLong(), req.blob());
        uploadedBytes.addAndGet(req.blob().length);
        ObjectNode o = Rpc.Msg.object();
        o.put("complete", done);
        return Rpc.Msg.of(o);
    }

    private static long[] longs(JsonNode a) {
        if (!a.isArray() || a.size() > 4) {
            throw new IllegalArgumentException("bad tensor shape");
        }
        long[] s = new long[a.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = a.get(i).asLong();
            if (s[i] <= 0) {
                throw new IllegalArgumentException("bad tensor shape");
            }
        }
        return s;
    }

    private synchronized Rpc.Msg load(Rpc.Msg req) throws Exception {
        unload();
        JsonNode j = req.json();
        ModelConfig config = Rpc.JSON.treeToValue(j.path("config"), ModelConfig.class);
        double[] invFreq = Rpc.JSON.treeToValue(j.path("invFreq"), double[].class);
        Map<String, TensorCache.Part> parts = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (JsonNode t : j.path("tensors")) {
            String name = t.path("name").asText(), h = t.path("hash").asText();
            if (!cache.has(h)) {
                throw new IllegalStateException("tensor " + name + " was not uploaded");
            }
            long[] shape = longs(t.path("shape"));
            long[] full = t.has("fullShape") ? longs(t.path("fullShape")) : shape;
            parts.put(name, new TensorCache.Part(shape, full, t.path("rowOffset").asLong(0), t.path("colOffset").asLong(0), h));
            used.add(h);
        }
        cache.touchAndEvict(used);
        int threads = j.path("threads").asInt(options.threads());
        RuntimeOptions ro = RuntimeOptions.defaults().withThreads(Math.max(1, threads))
                .withMaxContext(j.path("maxContext").asInt(2048));
        computeScale = j.path("computeScale").asDouble(1);
        if (!(computeScale > 0 && computeScale <= 1)) {
            throw new IllegalArgumentException("compute scale must be in (0, 1]");
        }
        Checkpoint ck = Checkpoint.partial(options.cacheDir(), config, cache.store(parts));
        String role = j.path("role").asText();
        try {
            if (role.equals("stage")) {
                int l0 = j.path("layerStart").asInt(), l1 = j.path("layerEnd").asInt();
                stage = new StageShard(ck, invFreq, l0, l1, ro);
                loadedDescription = "pipeline stage, layers [" + l0 + ", " + l1 + ")";
                int v0 = 0, v1 = config.vocabSize();
                if (j.path("headRows").isArray()) {
                    v0 = j.path("headRows").path(0).asInt(-1);
                    v1 = j.path("headRows").path(1).asInt(-1);
                    if (v0 < 0 || v1 > config.vocabSize() || v0 >= v1) {
                        throw new IllegalArgumentException("head rows [" + v0 + ", " + v1 + ") outside the vocabulary");
                    }
                }
                if (j.path("starter").asBoolean(false)) {
                    if (v0 != 0) {
                        throw new IllegalArgumentException("the starter's head rows must start at 0");
                    }
                    starter = new StarterLoop(name(), new StarterHead(ck, ro, v1), stage, l1 - l0, config.hiddenSize(),
                            j.path("ringSize").asInt(), config.vocabSize(), this::charge, new StarterLoop.Sender() {
                                @Override
                                public void toNext(Frame f) {
                                    emitNext(f);
                                }

                                @Override
                                public void toSink(Channel sink, Frame f) {
                                    bytesOut.addAndGet(Frame.HEADER_BYTES + 4 + f.payload().length);
                                    sink.writeAndFlush(f);
                                }
                            });
                    loadedDescription += " + embedding, head and sampling (ring starter)";
                } else if (j.path("headRows").isArray()) {
                    lastHead = new LmHeadSlice(ck, ro, v0, v1);
                    loadedDescription += " + LM head rows [" + v0 + ", " + v1 + ")";
                }
            } else if (role.equals("slice")) {
                int g0 = j.path("kvGroupStart").asInt(), g1 = j.path("kvGroupEnd").asInt();
                int f0 = j.path("ffnStart").asInt(), f1 = j.path("ffnEnd").asInt();
                slice = new SliceShard(ck, invFreq, g0, g1, f0, f1, ro);
                loadedDescription = "tensor slice, KV groups [" + g0 + ", " + g1 + "), FFN columns [" + f0 + ", " + f1 + ")";
            } else {
                throw new IllegalArgumentException("unknown role '" + role + "'");
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to load the shard: " + e.getMessage(), e);
        } catch (org.airshard.planner.io.InputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        ringIndex = j.path("ringIndex").asInt(-1);
        JsonNode next = j.path("next");
        if (next.isObject()) {
            connectNext(next.path("host").asText(), next.path("dataPort").asInt(), Frame.Session.parse(next.path("session").asText()));
        }
        // the coordinator may propose the session (so ring members can be linked in any load order)
        String proposed = j.path("session").asText("");
        Frame.Session s = proposed.matches("[0-9a-f]{32}") ? Frame.Session.parse(proposed)
                : new Frame.Session(random.nextLong(), random.nextLong());
        session = s;
        computeNanos.set(0);
        emulatedNanos.set(0);
        LOG.log(System.Logger.Level.INFO, name() + ": loaded " + loadedDescription);
        ObjectNode o = Rpc.Msg.object();
        o.put("session", s.hex());
        o.put("dataPort", dataPort());
        o.put("loaded", loadedDescription);
        return Rpc.Msg.of(o);
    }

    private synchronized Rpc.Msg stop(Rpc.Msg req) {
        unload();
        return Rpc.Msg.of(Rpc.Msg.object().put("stopped", true));
    }

    /** Opens the direct ring link to the next member's data port (on the data thread's event loop). */
    private void connectNext(String host, int port, Frame.Session s) throws InterruptedException {
        if (port <= 0 || port > 65535 || host.isBlank()) {
            throw new IllegalArgumentException("bad next hop " + host + ":" + port);
        }
        io.netty.bootstrap.Bootstrap b = new io.netty.bootstrap.Bootstrap().group(workers)
                .channel(EPOLL ? io.netty.channel.epoll.EpollSocketChannel.class : io.netty.channel.socket.nio.NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrameCodec.Splitter(options.maxFrameBytes()), new FrameCodec.Decoder(),
                                new FrameCodec.Encoder(), new SimpleChannelInboundHandler<Frame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
                                        ringFault(ctx.channel(), "the next ring member at " + host + ":" + port + " replied "
                                                + (f.kind() == Frame.ERROR ? f.text() : "frame kind " + f.kind()));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ringFault(ctx.channel(), "the ring link to " + host + ":" + port + " failed: " + cause.getMessage());
                                        ctx.close();
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                                        ringFault(ctx.channel(), "the next ring member at " + host + ":" + port + " closed the ring link");
                                        super.channelInactive(ctx);
                                    }
                                });
                    }
                });
        io.netty.channel.ChannelFuture cf = b.connect(host, port).await();
        if (!cf.isSuccess()) {
            throw new IllegalStateException("cannot reach the next ring member at " + host + ":" + port + ": "
                    + (cf.cause() == null ? "timeout" : cf.cause().getMessage()));
        }
        nextSession = s;
        ringFault = null;
        nextHop = cf.channel();
    }

    /**
     * Records the first failure of the current ring link (logged, and reported by the heartbeat so the coordinator
     * ends the run naming it instead of waiting for a deadline); a link this board closed itself (unload) is not one.
     */
    private void ringFault(Channel link, String what) {
        if (link != nextHop) {
            return;
        }
        if (ringFault == null) {
            ringFault = what;
        }
        LOG.log(System.Logger.Level.WARNING, name() + ": " + what);
    }

    private synchronized void unload() {
        session = null;
        Channel nh = nextHop;
        nextHop = null;
        nextSession = null;
        ringFault = null;
        ringIndex = -1;
        if (nh != null) {
            nh.close();
        }
        StageShard st = stage;
        SliceShard sl = slice;
        StarterLoop sr = starter;
        LmHeadSlice lh = lastHead;
        stage = null;
        slice = null;
        starter = null;
        lastHead = null;
        loadedDescription = "nothing loaded";
        if (st != null || sl != null || sr != null || lh != null) {
            // close on the compute thread so no frame is mid-run on the sessions
            try {
                workers.submit(() -> {
                    if (sr != null) {
                        sr.close();
                    }
                    if (lh != null) {
                        lh.close();
                    }
                    if (st != null) {
                        st.close();
                    }
                    if (sl != null) {
                        sl.close();
                    }
                }).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "unload did not finish cleanly: " + e);
            }
        }
    }

    // ---------------------------------------------------------------- data plane

    /** Sends a frame to the next ring member with its session; false when this board has no next member. */
    private boolean emitNext(Frame f) {
        Channel next = nextHop;
        Frame.Session ns = nextSession;
        if (next == null || ns == null) {
            return false;
        }
        Frame g = new Frame(f.kind(), ns.hi(), ns.lo(), f.requestId(), f.sequence(), f.position(), f.layer(), f.rows(),
                f.cols(), f.aux(), f.payload());
        bytesOut.addAndGet(Frame.HEADER_BYTES + 4 + g.payload().length);
        next.writeAndFlush(g);
        return true;
    }

    /**
     * Books a computation that started at {@code t0} (System.nanoTime): real time, plus the emulated slow-down
     * of a board run at {@code computeScale} < 1 (the data thread sleeps it); returns the whole duration in µs.
     */
    private int charge(long t0) {
        long real = System.nanoTime() - t0;
        computeNanos.addAndGet(real);
        if (computeScale < 1) {
            long extra = (long) (real * (1 / computeScale - 1));
            emulatedNanos.addAndGet(extra);
            java.util.concurrent.locks.LockSupport.parkNanos(extra);
        }
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - t0) / 1000);
    }

    private final class DataHandler extends SimpleChannelInboundHandler<Frame> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (dataConnections.incrementAndGet() > MAX_DATA_CONNECTIONS) {
                refused.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "refused data connection from " + ctx.channel().remoteAddress()
                        + ": too many connections");
                ctx.close();
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            dataConnections.decrementAndGet();
            StarterLoop sr = starter;
            if (sr != null) {
                sr.dropSink(ctx.channel());
            }
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            Frame.Session s = session;
            if (s == null || !s.matches(f)) {
                refused.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "refused data frame from " + ctx.channel().remoteAddress() + ": "
                        + (s == null ? "no shard loaded" : "wrong session credentials"));
                ctx.writeAndFlush(Frame.error(f, s == null ? "no shard loaded" : "wrong session credentials"))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return;
            }
            framesIn.incrementAndGet();
            bytesIn.addAndGet(Frame.HEADER_BYTES + 4 + f.payload().length);
            if (f.kind() == Frame.PING) {
                reply(ctx, new Frame(Frame.RESULT, 0, 0, f.requestId(), f.sequence(), f.position(), f.layer(), f.rows(),
                        f.cols(), 0, f.payload()));
                return;
            }
            StarterLoop sr = starter;
            switch (f.kind()) {
                case Frame.GENERATE -> {
                    if (sr != null) {
                        sr.start(f, ctx.channel());
                    } else {
                        reply(ctx, Frame.error(f, "board " + name() + " is not the ring starter"));
                    }
                }
                case Frame.PARTIAL -> {
                    if (sr != null) {
                        sr.partial(f);
                    } else {
                        reply(ctx, Frame.error(f, "board " + name() + " is not the ring starter"));
                    }
                }
                case Frame.RING -> {
                    if (sr != null) {
                        sr.back(f); // a step back from the last member
                    } else {
                        ring(f);
                    }
                }
                case Frame.ERROR -> {
                    if (sr != null) {
                        sr.error(f); // to the coordinator of that sequence
                    } else {
                        emit(f);
                    }
                }
                case Frame.RESET -> {
                    if (sr != null) {
                        sr.cancel(f.sequence());
                    }
                    run(ctx, f);
                }
                default -> run(ctx, f);
            }
        }

        /** A ring step: computes, then forwards to the next member or sends the result to the sequence's sink. */
        private void ring(Frame f) {
            long t0 = System.nanoTime();
            try {
                int rows = f.rows() - 1, d = f.cols();
                if (rows < 1) {
                    throw new IllegalArgumentException("a ring frame needs T + 1 rows");
                }
                float[] all = f.floats();
                float[] out = need(stage, "pipeline stage").forward(f.sequence(), f.position(), all, rows);
                int us = charge(t0);
                System.arraycopy(out, 0, all, 0, rows * d);
                if (ringIndex >= 0 && ringIndex < d) {
                    all[rows * d + ringIndex] = us;
                }
                emit(new Frame(Frame.RING, 0, 0, f.requestId(), f.sequence(), f.position(), f.layer(), rows + 1, d, us,
                        Frame.floatsToBytes(all, all.length)));
                LmHeadSlice lh = lastHead;
                if (lh != null) {
                    // the starter computes its rows of the head meanwhile; it needs only f.layer() candidates (0 = all)
                    long h0 = System.nanoTime();
                    float[] logits = lh.logits(out, rows);
                    int c = f.layer();
                    boolean compact = LogitCandidates.compacts(c, logits.length);
                    float[] send = compact ? LogitCandidates.top(logits, c, lh.firstRow()) : logits;
                    int hu = charge(h0);
                    emit(new Frame(Frame.PARTIAL, 0, 0, f.requestId(), f.sequence(), f.position(), 0, compact ? 2 : 1,
                            compact ? c : logits.length, hu, Frame.floatsToBytes(send, send.length)));
                }
            } catch (Exception | Error e) {
                LOG.log(System.Logger.Level.WARNING, name() + ": ring request failed: " + e);
                emit(Frame.error(f, "board " + name() + ": " + e.getMessage()));
            }
        }

        /** Sends a ring frame (or a failure) on to the next member; a member without one logs and drops it. */
        private void emit(Frame f) {
            if (!emitNext(f)) {
                LOG.log(System.Logger.Level.WARNING, name() + ": ring step of sequence " + f.sequence()
                        + " has no next member (not loaded as a ring member)");
            }
        }

        private void run(ChannelHandlerContext ctx, Frame f) {
            long t0 = System.nanoTime();
            try {
                float[] out;
                StageShard st = stage;
                SliceShard sl = slice;
                switch (f.kind()) {
                    case Frame.STAGE -> out = need(st, "pipeline stage").forward(f.sequence(), f.position(), f.floats(), f.rows());
                    case Frame.ATTN -> out = need(sl, "tensor slice").attention(f.sequence(), f.layer(), f.position(), f.floats(),
                            f.rows());
                    case Frame.MLP -> out = need(sl, "tensor slice").mlp(f.layer(), f.floats(), f.rows());
                    case Frame.RESET -> {
                        if (st != null) {
                            st.reset(f.sequence());
                        }
                        if (sl != null) {
                            sl.reset(f.sequence());
                        }
                        out = new float[0];
                    }
                    default -> throw new IllegalArgumentException("frame kind " + f.kind() + " is not a request");
                }
                int us = f.kind() == Frame.RESET ? (int) ((System.nanoTime() - t0) / 1000) : charge(t0);
                int rows = f.kind() == Frame.RESET ? 0 : f.rows();
                reply(ctx, new Frame(Frame.RESULT, 0, 0, f.requestId(), f.sequence(), f.position(), f.layer(), rows,
                        rows == 0 ? 0 : out.length / rows, us, Frame.floatsToBytes(out, out.length)));
            } catch (Exception | Error e) {
                LOG.log(System.Logger.Level.WARNING, name() + ": request failed: " + e);
                reply(ctx, Frame.error(f, "board " + name() + ": " + e.getMessage()));
            }
        }

        private static <T> T need(T shard, String what) {
            if (shard == null) {
                throw new IllegalStateException("no " + what + " loaded");
            }
            return shard;
        }

        private void reply(ChannelHandlerContext ctx, Frame f) {
            bytesOut.addAndGet(Frame.HEADER_BYTES + 4 + f.payload().length);
            ctx.writeAndFlush(f);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            refused.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "rejected data-plane input from " + ctx.channel().remoteAddress() + ": "
                    + cause.getMessage());
            ctx.close();
        }
    }

    @Override
    public void close() {
        if (grpc != null) {
            grpc.shutdownNow();
        }
        if (dataChannel != null) {
            dataChannel.close();
        }
        unload();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        grpcPool.shutdownNow();
        try {
            if (grpc != null) {
                grpc.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
