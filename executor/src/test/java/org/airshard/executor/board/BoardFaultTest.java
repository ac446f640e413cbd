package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.model.ModelPresets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Killing a board mid-run ends the run within 5 s naming it; the other board serves the next run. */
@Tag("network")
@Tag("slow")
class BoardFaultTest {

    static final String TOKEN = "t";

    @TempDir
    Path tmp;

    @Test
    void killedBoardEndsTheRunNamingItAndTheOtherStaysHealthy() throws Exception {
        killed(false);
    }

    /** Ring: the first board dies while the coordinator waits on the last one; the heartbeat names it. */
    @Test
    void killedFirstRingMemberEndsTheRunNamingIt() throws Exception {
        killed(true);
    }

    void killed(boolean victimFirst) throws Exception {
        Path model = tinyModel();
        BoardAgent a = new BoardAgent(BoardAgent.Options.loopback("alive", TOKEN, tmp.resolve("a")));
        BoardAgent b = new BoardAgent(BoardAgent.Options.loopback("victim", TOKEN, tmp.resolve("b")));
        String victim = "127.0.0.1:" + b.port();
        try (Checkpoint ck = Checkpoint.open(model)) {
            ModelConfig c = ck.config();
            List<ShardSpec> shards = List.of(ShardSpec.stage(c, 0, 2, false, false), ShardSpec.stage(c, 2, c.layers(), false, false));
            CountDownLatch started = new CountDownLatch(3);
            RunListener l = ReplanTest.countingTokens(started);
            long[] killedAt = new long[1];
            List<String> order = victimFirst ? List.of(victim, "127.0.0.1:" + a.port()) : List.of("127.0.0.1:" + a.port(), victim);
            List<Double> scale = victimFirst ? List.of(0.05, 1.0) : List.of(1.0, 0.05);
            try (DistributedRun run = new DistributedRun(ck, order, shards,
                    DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 2).withComputeScale(scale), TOKEN,
                    KnownBoards.inMemory(), l)) {
                run.setUp();
                Thread killer = new Thread(() -> {
                    try {
                        started.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    killedAt[0] = System.nanoTime();
                    b.close();
                });
                killer.start();
                BoardFailure e = assertThrows(BoardFailure.class, () -> run.generate(new int[] {1, 2, 3},
                        SamplingOptions.greedy(c.maxPositions() - 10)));
                double seconds = (System.nanoTime() - killedAt[0]) / 1e9;
                assertTrue(killedAt[0] > 0, "the run ended before the board was killed: " + e.getMessage());
                assertTrue(seconds < 5, "detected after " + seconds + " s");
                assertTrue(e.getMessage().contains(victim), e.getMessage());
                killer.join();
            }
            // the surviving agent runs the whole model alone
            try (DistributedRun run = new DistributedRun(ck, List.of("127.0.0.1:" + a.port()),
                    List.of(ShardSpec.stage(c, 0, c.layers(), false, false)), DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1),
                    TOKEN, KnownBoards.inMemory(), null)) {
                run.setUp();
                assertEquals(4, run.generate(new int[] {1, 2, 3}, SamplingOptions.greedy(4)).sequences().get(0).tokens().size());
            }
        } finally {
            a.close();
            b.close();
        }
    }

    /**
     * Another client loads the ring's last board mid-run: the heartbeat sees its session change and the run ends
     * within 5 s naming that board (the member before it, whose frames it now refuses, does not take the blame).
     */
    @Test
    void ringBoardLoadedByAnotherClientEndsTheRunNamingIt() throws Exception {
        Path model = tinyModel();
        try (Agents agents = new Agents(3); Checkpoint ck = Checkpoint.open(model)) {
            ModelConfig c = ck.config();
            List<String> order = agents.addresses();
            CountDownLatch started = new CountDownLatch(3);
            long[] at = new long[1];
            try (DistributedRun run = new DistributedRun(ck, order, BoardRunTest.stages(c, 0, 1, 3, c.layers()),
                    DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1).withComputeScale(List.of(0.2, 0.2, 0.2)), TOKEN,
                    KnownBoards.inMemory(), ReplanTest.countingTokens(started))) {
                run.setUp();
                Thread other = new Thread(() -> {
                    try (DistributedRun intruder = new DistributedRun(ck, List.of(order.get(2)), BoardRunTest.stages(c, 0, c.layers()),
                            DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), TOKEN, KnownBoards.inMemory(), null)) {
                        started.await(20, TimeUnit.SECONDS);
                        at[0] = System.nanoTime();
                        intruder.setUp();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                other.start();
                BoardFailure e = assertThrows(BoardFailure.class, () -> run.generate(new int[] {1, 2, 3},
                        SamplingOptions.greedy(c.maxPositions() - 10)));
                other.join();
                double seconds = (System.nanoTime() - at[0]) / 1e9;
                assertTrue(at[0] > 0 && seconds < 5, "ended " + seconds + " s after the take-over: " + e.getMessage());
                assertTrue(e.getMessage().contains(order.get(2)) && e.getMessage().contains("another client"), e.getMessage());
            }
        }
    }

    /**
     * A ring member whose next board stops serving mid-run reports the refused link in its heartbeat; the run ends
     * naming the stopped board; the boards serve the next run.
     */
    @Test
    void stoppedRingBoardIsNamedAndTheLinkFaultReported() throws Exception {
        Path model = tinyModel();
        try (Agents agents = new Agents(2); Checkpoint ck = Checkpoint.open(model)) {
            ModelConfig c = ck.config();
            List<String> order = agents.addresses();
            try (DistributedRun run = new DistributedRun(ck, order, BoardRunTest.stages(c, 0, 2, c.layers()),
                    DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), TOKEN, KnownBoards.inMemory(), null)) {
                run.setUp();
                run.boards().get(1).stop();
                long t0 = System.nanoTime();
                BoardFailure e = assertThrows(BoardFailure.class, () -> run.generate(new int[] {1, 2, 3}, SamplingOptions.greedy(50)));
                assertTrue((System.nanoTime() - t0) / 1e9 < 5, "took " + (System.nanoTime() - t0) / 1e9 + " s");
                assertTrue(e.getMessage().contains(order.get(1)) && e.getMessage().contains("no longer holds"), e.getMessage());
                String fault = run.boards().get(0).heartbeat(1000).path("ringFault").asText();
                assertTrue(fault.contains("no shard loaded"), fault);
            }
            try (DistributedRun run = new DistributedRun(ck, order, BoardRunTest.stages(c, 0, 2, c.layers()),
                    DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), TOKEN, KnownBoards.inMemory(), null)) {
                run.setUp();
                assertEquals(4, run.generate(new int[] {1, 2, 3}, SamplingOptions.greedy(4)).sequences().get(0).tokens().size());
                assertTrue(run.boards().get(0).heartbeat(1000).path("ringFault").isMissingNode(), "a new load clears the fault");
            }
        }
    }

    /**
     * A board that answers heartbeats but not a data-plane request within the request deadline is failed by the
     * heartbeat's deadline check, which closes the waiting connection: the run ends naming it, nothing hangs.
     */
    @Test
    void boardThatDoesNotReplyInTimeIsNamed() throws Exception {
        Path model = tinyModel();
        try (Agents agents = new Agents(2); Checkpoint ck = Checkpoint.open(model)) {
            ModelConfig c = ck.config();
            List<String> order = agents.addresses();
            // star: the coordinator waits on the slow board itself; 1/2000 speed makes a step take seconds
            DistributedRun.Options o = new DistributedRun.Options(DistributedRun.Mode.PIPELINE, false, 1, 1, 2048,
                    List.of(1.0, 0.0005), 300, false);
            long t0 = System.nanoTime();
            BoardFailure e = assertThrows(BoardFailure.class, () -> {
                try (DistributedRun run = new DistributedRun(ck, order, BoardRunTest.stages(c, 0, 2, c.layers()), o, TOKEN,
                        KnownBoards.inMemory(), null)) {
                    run.setUp();
                    run.generate(new int[] {1, 2, 3}, SamplingOptions.greedy(20));
                }
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains(order.get(1)) && e.getMessage().contains("no reply within 300 ms"), e.getMessage());
            assertTrue(seconds < 5, "took " + seconds + " s");
        }
    }

    private Path tinyModel() throws Exception {
        Path model = tmp.resolve("tiny");
        SyntheticCheckpoint.write(ModelConfig.fromSpec(ModelPresets.byId("synthetic-tiny").orElseThrow()), 42,
                SyntheticCheckpoint.Format.HF, DType.F32, model, 1);
        return model;
    }

    /** {@code n} loopback agents b1..bn, closed together. */
    private final class Agents implements AutoCloseable {
        final List<BoardAgent> list = new java.util.ArrayList<>();

        Agents(int n) throws Exception {
            for (int i = 0; i < n; i++) {
                list.add(new BoardAgent(BoardAgent.Options.loopback("b" + (i + 1), TOKEN, tmp.resolve("agent" + i))));
            }
        }

        List<String> addresses() {
            return ReplanTest.addresses(list);
        }

        @Override
        public void close() {
            list.forEach(BoardAgent::close);
        }
    }
}
