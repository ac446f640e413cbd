package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.airshard.executor.board.BoardAgent;
import org.airshard.executor.board.RunLogic;
import org.airshard.planner.io.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code airshard agent --port P [--bind ADDR] [--name NAME] [--token-file F] [--threads T] [--cache-dir D] [--spin-us US]}. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        header = "Run the board daemon that serves shards to a coordinator (TLS, pairing token).",
        description = {"Run the board daemon: gRPC control plane over TLS (self-signed certificate made on first start,",
                "pinned by clients) with a pairing token on every call, and a binary data plane on --data-port.",
                "Prints one ready line (name, address, certificate fingerprint); stops cleanly on SIGTERM / Ctrl-C."})
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, paramLabel = "P", description = "Control-plane port.")
    int port;

    @Option(names = "--data-port", defaultValue = "-1", paramLabel = "P", description = "Data-plane port (default: --port + 1).")
    int dataPort;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDR", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--name", paramLabel = "NAME", description = "Board name (default: host name).")
    String name;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Pairing token file. Default: <cache-dir>/pairing-token, created with a random token on first start.")
    Path tokenFile;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "T", description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Identity and tensor cache (default: ~/.airshard/agent).")
    Path cacheDir;

    @Option(names = "--cache-limit-mb", defaultValue = "4096", paramLabel = "MB", description = "Tensor cache size limit (default ${DEFAULT-VALUE}).")
    long cacheLimitMb;

    @Option(names = "--discovery-port", defaultValue = "7399", paramLabel = "P",
            description = "UDP port answering discovery probes from the GUI (name, port, certificate fingerprint; never the token); 0 = off (default ${DEFAULT-VALUE}).")
    int discoveryPort;

    @Option(names = "--spin-us", defaultValue = "" + BoardAgent.Options.DEFAULT_SPIN_MICROS, paramLabel = "US",
            description = "After data-plane work, poll the sockets this long (yielding the CPU) before blocking: saves the thread wake-up on every pipeline hop; 0 = block at once (default ${DEFAULT-VALUE}).")
    long spinMicros;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException, IOException, InterruptedException {
        if (port < 1 || port > 65535 || threads < 1 || cacheLimitMb < 1) {
            throw new InputException("--port", "", "port must be 1..65535, threads and cache limit at least 1");
        }
        if (spinMicros < 0 || spinMicros > 1_000_000) {
            throw new InputException("--spin-us", "", "must be 0..1000000 µs, got " + spinMicros);
        }
        Path dir = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".airshard", "agent");
        Files.createDirectories(dir);
        Path tf = tokenFile != null ? tokenFile : dir.resolve("pairing-token");
        if (tokenFile == null && !Files.exists(tf)) {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            Files.writeString(tf, HexFormat.of().formatHex(b) + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX
            }
        }
        String token = RunLogic.readToken(tf);
        String n = name != null ? name : java.net.InetAddress.getLocalHost().getHostName();
        BoardAgent agent;
        try {
            agent = new BoardAgent(new BoardAgent.Options(n, bind, port, dataPort < 0 ? port + 1 : dataPort, token, threads, dir,
                    cacheLimitMb << 20, 64 << 20, spinMicros));
        } catch (IOException e) {
            throw new IOException("cannot start the agent on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        org.airshard.app.discovery.BoardBeacon beacon = null;
        if (discoveryPort > 0) {
            try {
                beacon = new org.airshard.app.discovery.BoardBeacon(bind, discoveryPort, n, agent.port(), agent.fingerprint());
            } catch (java.net.SocketException e) {
                System.err.println("airshard agent: discovery off (UDP " + discoveryPort + ": " + e.getMessage() + ")");
            }
        }
        org.airshard.app.discovery.BoardBeacon beaconRef = beacon;
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (beaconRef != null) {
                beaconRef.close();
            }
            agent.close();
            stopped.countDown();
        }, "agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println(agent.readyLine() + " token-file " + tf.toAbsolutePath());
        out.flush();
        stopped.await();
        return AirshardCli.EXIT_OK;
    }
}
