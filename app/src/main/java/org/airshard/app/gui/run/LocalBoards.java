package org.airshard.app.gui.run;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.airshard.executor.board.BoardAgent;

/**
 * Board agents started inside this process on 127.0.0.1 ("Start local boards"): a user with no hardware can
 * do the whole loop. Each agent keeps its identity and tensor cache under {@code baseDir/NAME}, so its
 * certificate stays the same between sessions and deployed tensors are not sent again. All share one
 * random pairing token. {@link #close()} stops them (the application calls it when it closes).
 */
public final class LocalBoards implements AutoCloseable {

    /** One started agent. */
    public record Started(String name, String address, String fingerprint) {
    }

    private final Path baseDir;
    private final String token;
    private final List<BoardAgent> agents = new ArrayList<>();

    public LocalBoards(Path baseDir) {
        this.baseDir = baseDir;
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        this.token = "local-" + HexFormat.of().formatHex(b);
    }

    /** The pairing token of the local agents. */
    public String token() {
        return token;
    }

    /**
     * Starts one agent named {@code name} on 127.0.0.1, on {@code preferredPort} when free (0 or taken: an
     * ephemeral port); its data port is always ephemeral.
     */
    public synchronized Started start(String name, int preferredPort) throws IOException {
        Path dir = baseDir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
        BoardAgent a;
        try {
            a = new BoardAgent(options(name, preferredPort, dir));
        } catch (IOException | RuntimeException e) {
            if (preferredPort == 0 || !(isBind(e))) {
                throw e;
            }
            a = new BoardAgent(options(name, 0, dir));
        }
        agents.add(a);
        return new Started(name, "127.0.0.1:" + a.port(), a.fingerprint());
    }

    private BoardAgent.Options options(String name, int port, Path dir) {
        BoardAgent.Options l = BoardAgent.Options.loopback(name, token, dir);
        return new BoardAgent.Options(l.name(), l.bind(), port, 0, l.token(), l.threads(), l.cacheDir(), l.cacheLimitBytes(),
                l.maxFrameBytes());
    }

    private static boolean isBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Addresses of the running agents. */
    public synchronized List<String> addresses() {
        return agents.stream().map(a -> "127.0.0.1:" + a.port()).toList();
    }

    public synchronized boolean isLocal(String address) {
        return addresses().contains(address);
    }

    /** Stops the agent at {@code address} (a board lost; the demo's and the tests' fault). */
    public synchronized boolean stop(String address) {
        for (BoardAgent a : agents) {
            if (("127.0.0.1:" + a.port()).equals(address)) {
                a.close();
                agents.remove(a);
                return true;
            }
        }
        return false;
    }

    public synchronized int size() {
        return agents.size();
    }

    @Override
    public synchronized void close() {
        for (BoardAgent a : agents) {
            try {
                a.close();
            } catch (RuntimeException ignored) {
                // stopping the rest matters more
            }
        }
        agents.clear();
    }
}
