package org.airshard.executor.board;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.model.ModelPresets;

/**
 * Data-plane round trip against a raw-socket ping-pong of the same payload, in one process on loopback:
 * (a) blocking {@link Socket}s echoing a 4-byte length + payload on a dedicated thread; (b) an agent's
 * data plane echoing a {@link Frame#PING} (length + 56-byte header + payload, session checked; Netty at the
 * agent, a {@link DataLink} at the coordinator). Prints medians and p90 in µs. The agent is measured twice: with its
 * data thread blocking between frames as the raw echo thread does (the like-for-like protocol overhead), and
 * polling for {@link BoardAgent.Options#DEFAULT_SPIN_MICROS} as shipped ({@link SpinThenBlock}). The three are
 * measured in {@link #BLOCKS} interleaved blocks per payload, medians over all blocks.
 *
 * <p>{@code java -cp airshard.jar org.airshard.executor.board.DataPlaneBenchmark [floats ...] [iterations]}
 */
public final class DataPlaneBenchmark {

    private DataPlaneBenchmark() {
    }

    public record Stats(double medianMicros, double p90Micros) {
    }

    static Stats stats(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return new Stats(s[s.length / 2] / 1e3, s[(int) (s.length * 0.9)] / 1e3);
    }

    /** Raw-socket ping-pong: {@code warmUp} untimed round trips, then {@code iterations} timed ones (ns each). */
    public static long[] raw(int floats, int iterations, int warmUp) throws IOException, InterruptedException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = ss.accept()) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
                    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream()));
                    byte[] buf = new byte[floats * 4];
                    while (true) {
                        int n = in.readInt();
                        in.readFully(buf, 0, n);
                        out.writeInt(n);
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException ignored) {
                    // client closed
                }
            }, "raw-echo");
            echo.setDaemon(true);
            echo.start();
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                c.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(c.getInputStream()));
                DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(c.getOutputStream()));
                byte[] payload = new byte[floats * 4];
                long[] t = new long[iterations];
                for (int i = -warmUp; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    out.writeInt(payload.length);
                    out.write(payload);
                    out.flush();
                    int n = in.readInt();
                    in.readFully(payload, 0, n);
                    if (i >= 0) {
                        t[i] = System.nanoTime() - t0;
                    }
                }
                return t;
            }
        }
    }

    /** Agent data-plane ping-pong ({@link Frame#PING}): {@code warmUp} untimed round trips, then timed ones (ns each). */
    public static long[] framed(BoardClient client, int floats, int iterations, int warmUp) throws Exception {
        float[] v = new float[floats];
        long[] t = new long[iterations];
        for (int i = -warmUp; i < iterations; i++) {
            long t0 = System.nanoTime();
            client.exchange(Frame.PING, 0, 0, 0, 1, floats, v);
            if (i >= 0) {
                t[i] = System.nanoTime() - t0;
            }
        }
        return t;
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[args.length - 1]) : 3000;
        int[] sizes = args.length > 1 ? Arrays.stream(Arrays.copyOf(args, args.length - 1)).mapToInt(Integer::parseInt).toArray()
                : new int[] {64, 288, 1536, 4096};
        Path dir = Files.createTempDirectory("airshard-bench");
        Path model = dir.resolve("tiny");
        SyntheticCheckpoint.write(ModelConfig.fromSpec(ModelPresets.byId("synthetic-tiny").orElseThrow()), 1,
                SyntheticCheckpoint.Format.HF, DType.F32, model, 1);
        // the agent's data thread blocks between frames like the raw echo thread (spin 0), and, as shipped, polls
        try (BoardAgent blocking = new BoardAgent(BoardAgent.Options.loopback("bench", "bench", dir.resolve("a")).withSpinMicros(0));
             BoardAgent polling = new BoardAgent(BoardAgent.Options.loopback("bench-polling", "bench", dir.resolve("b"))
                     .withSpinMicros(BoardAgent.Options.DEFAULT_SPIN_MICROS));
             Checkpoint ck = Checkpoint.open(model);
             DistributedRun b = connect(ck, blocking);
             DistributedRun p = connect(ck, polling)) {
            BoardClient cb = b.boards().get(0), cp = p.boards().get(0);
            System.out.println("payload_floats payload_bytes raw_median_us raw_p90_us framed_median_us framed_p90_us ratio_median"
                    + " polling_median_us polling_p90_us polling_ratio_median");
            for (int f : sizes) {
                // interleaved blocks: a scheduler state that lasts a while (on this VM, round trips sometimes stay
                // at ~130 µs for a whole block) then falls on the three alike instead of on one of them
                int per = Math.max(1, iterations / BLOCKS);
                long[][] r = new long[BLOCKS][], d = new long[BLOCKS][], q = new long[BLOCKS][];
                for (int k = 0; k < BLOCKS; k++) {
                    int warm = k == 0 ? iterations / 2 : per / 5;
                    r[k] = raw(f, per, warm);
                    d[k] = framed(cb, f, per, warm);
                    q[k] = framed(cp, f, per, warm);
                }
                Stats rs = stats(concat(r)), ds = stats(concat(d)), qs = stats(concat(q));
                System.out.printf(Locale.ROOT, "%d %d %.1f %.1f %.1f %.1f %.2f %.1f %.1f %.2f%n", f, f * 4, rs.medianMicros(),
                        rs.p90Micros(), ds.medianMicros(), ds.p90Micros(), ds.medianMicros() / rs.medianMicros(), qs.medianMicros(),
                        qs.p90Micros(), qs.medianMicros() / rs.medianMicros());
            }
        }
    }

    /** Blocks per payload size, alternating raw, blocking agent and polling agent. */
    static final int BLOCKS = 10;

    private static long[] concat(long[][] blocks) {
        return Arrays.stream(blocks).flatMapToLong(Arrays::stream).toArray();
    }

    private static DistributedRun connect(Checkpoint ck, BoardAgent agent) throws Exception {
        DistributedRun run = new DistributedRun(ck, List.of("127.0.0.1:" + agent.port()),
                List.of(ShardSpec.stage(ck.config(), 0, 1, false, false)),
                DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), "bench", KnownBoards.inMemory(), null);
        run.setUp();
        return run;
    }
}
