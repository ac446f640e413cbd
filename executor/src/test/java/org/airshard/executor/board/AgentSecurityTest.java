package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.model.ModelPresets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loopback agent refuses a wrong or missing pairing token, a wrong certificate pin, data frames with
 * wrong session credentials, garbage bytes, a truncated frame and a 2 GB length prefix, and keeps serving
 * legitimate calls after each.
 */
@Tag("network")
class AgentSecurityTest {

    static final String TOKEN = "right-token";
    @TempDir
    static Path tmp;
    static BoardAgent agent;
    static Path model;

    @BeforeAll
    static void start() throws Exception {
        agent = new BoardAgent(BoardAgent.Options.loopback("sec", TOKEN, tmp.resolve("agent")));
        model = tmp.resolve("tiny");
        SyntheticCheckpoint.write(ModelConfig.fromSpec(ModelPresets.byId("synthetic-tiny").orElseThrow()), 42,
                SyntheticCheckpoint.Format.HF, DType.F32, model, 1);
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    static String addr() {
        return "127.0.0.1:" + agent.port();
    }

    static void assertHealthy() {
        try (BoardClient c = new BoardClient(addr(), TOKEN, KnownBoards.inMemory())) {
            assertEquals("sec", c.hello(false).path("name").asText());
        }
    }

    @Test
    void wrongOrMissingTokenIsRefusedAndCounted() {
        long before = agent.refusedCount();
        for (String bad : new String[] {"wrong-token", null}) {
            try (BoardClient c = new BoardClient(addr(), bad, KnownBoards.inMemory())) {
                BoardFailure e = assertThrows(BoardFailure.class, () -> c.hello(false));
                assertTrue(e.getMessage().contains("UNAUTHENTICATED"), e.getMessage());
                assertTrue(e.getMessage().contains(addr()), e.getMessage());
            }
        }
        assertEquals(before + 2, agent.refusedCount());
        assertHealthy();
    }

    @Test
    void certificateIsPinnedOnFirstUseAndAMismatchIsRefused() throws Exception {
        Path file = tmp.resolve("known-boards");
        KnownBoards known = new KnownBoards(file);
        try (BoardClient c = new BoardClient(addr(), TOKEN, known)) {
            c.hello(false);
        }
        assertEquals(agent.fingerprint(), new KnownBoards(file).pin(addr()));
        KnownBoards wrong = KnownBoards.inMemory();
        wrong.remember(addr(), "00:11");
        try (BoardClient c = new BoardClient(addr(), TOKEN, wrong)) {
            BoardFailure e = assertThrows(BoardFailure.class, () -> c.hello(false));
            assertTrue(e.getMessage().contains("UNAVAILABLE") || e.getMessage().contains("pinned"), e.getMessage());
        }
        assertHealthy();
    }

    /** Sends raw bytes to the data port; returns whether the agent closed the connection within 3 s. */
    static boolean closedAfter(byte[] bytes, boolean closeOutput) throws Exception {
        try (Socket s = new Socket("127.0.0.1", agent.dataPort())) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            if (closeOutput) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {
                    // drain an error reply
                }
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            }
        }
    }

    static byte[] lengthPrefix(int n, int extra) throws Exception {
        var bo = new java.io.ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bo);
        o.writeInt(n);
        o.write(new byte[extra]);
        return bo.toByteArray();
    }

    @Test
    void malformedDataPlaneInputIsRefusedWithoutHarm() throws Exception {
        long before = agent.refusedCount();
        assertTrue(closedAfter(lengthPrefix(Integer.MAX_VALUE, 64), false), "2 GB length prefix");
        assertTrue(closedAfter(lengthPrefix(0x7FFF_0000, 0), false), "oversized length prefix");
        assertTrue(closedAfter("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(), false), "garbage");
        assertTrue(closedAfter(lengthPrefix(10, 10), false), "frame shorter than its header");
        // a truncated frame: announces 1000 bytes, sends 100, hangs up; the agent drops it
        closedAfter(lengthPrefix(1000, 100), true);
        // a well-formed frame with made-up session credentials
        Frame forged = Frame.tensor(Frame.STAGE, new Frame.Session(1, 2), 1, 0, 0, 0, 1, 4, new float[4]);
        var bo = new java.io.ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bo);
        o.writeInt(Frame.HEADER_BYTES + forged.payload().length);
        var hdr = java.nio.ByteBuffer.allocate(Frame.HEADER_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        hdr.putInt(Integer.reverseBytes(Frame.MAGIC)).putInt(forged.kind()).putLong(1).putLong(2).putLong(1)
                .putInt(0).putInt(0).putInt(0).putInt(1).putInt(4).putInt(0);
        o.write(hdr.array());
        o.write(forged.payload());
        assertTrue(closedAfter(bo.toByteArray(), false), "forged session");
        assertTrue(agent.refusedCount() >= before + 5, "refusals counted: " + (agent.refusedCount() - before));
        assertHealthy();
        // and a real run still works afterwards, with the data plane echoing a ping exactly
        try (Checkpoint ck = Checkpoint.open(model);
             DistributedRun run = new DistributedRun(ck, List.of(addr()), List.of(ShardSpec.stage(ck.config(), 0,
                     ck.config().layers(), false, false)), DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), TOKEN,
                     KnownBoards.inMemory(), null)) {
            run.setUp();
            float[] v = {1.5f, -2f, 3.25f};
            Frame echo = run.boards().get(0).exchange(Frame.PING, 0, 0, 0, 1, 3, v);
            assertArrayEquals(v, echo.floats());
            assertEquals(2, run.generate(new int[] {1, 2, 3}, org.airshard.executor.generate.SamplingOptions.greedy(2))
                    .sequences().get(0).tokens().size());
        }
    }

    @Test
    void helloReportsCapabilitiesAndAMeasuredFlopRate() {
        try (BoardClient c = new BoardClient(addr(), TOKEN, KnownBoards.inMemory())) {
            var h = c.hello(true);
            assertTrue(h.path("cpus").asInt() >= 1);
            assertTrue(h.path("maxHeapBytes").asLong() > 0);
            assertTrue(h.path("flopsPerSecond").asDouble() > 1e6, h.toString());
            assertEquals(agent.fingerprint(), h.path("fingerprint").asText());
        }
    }

    @Test
    void garbageOnTheControlPortDoesNotHurt() throws Exception {
        try (Socket s = new Socket("127.0.0.1", agent.port())) {
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5});
            s.getOutputStream().write("garbage garbage garbage".getBytes());
            s.getOutputStream().flush();
        }
        assertHealthy();
    }
}
