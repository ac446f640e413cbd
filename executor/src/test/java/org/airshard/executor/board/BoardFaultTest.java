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
        Path model = tmp.resolve("tiny");
        SyntheticCheckpoint.write(ModelConfig.fromSpec(ModelPresets.byId("synthetic-tiny").orElseThrow()), 42,
                SyntheticCheckpoint.Format.HF, DType.F32, model, 1);
        BoardAgent a = new BoardAgent(BoardAgent.Options.loopback("alive", TOKEN, tmp.resolve("a")));
        BoardAgent b = new BoardAgent(BoardAgent.Options.loopback("victim", TOKEN, tmp.resolve("b")));
        String victim = "127.0.0.1:" + b.port();
        try (Checkpoint ck = Checkpoint.open(model)) {
            ModelConfig c = ck.config();
            List<ShardSpec> shards = List.of(ShardSpec.stage(c, 0, 2, false, false), ShardSpec.stage(c, 2, c.layers(), false, false));
            CountDownLatch started = new CountDownLatch(3);
            RunListener l = new RunListener() {
                @Override
                public void token(int seq, int index, int token, String text) {
                    started.countDown();
                }
            };
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
}
