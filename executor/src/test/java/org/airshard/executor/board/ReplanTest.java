package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.airshard.executor.generate.Generator;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.model.ModelPresets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --replan}: three loopback agents, the middle one closed mid-run; the run re-partitions onto
 * the other two, resumes both sequences by prefilling prompt + tokens so far, and its tokens (greedy, or
 * sampled with the same seeds) equal single-process generation. The starter (head, sampler) may be the one lost. The re-plan is reported in the result, to the listener and in the trace.
 */
@Tag("network")
@Tag("slow")
class ReplanTest {

    static final String TOKEN = "replan-token";
    static final int[] PROMPT = {1, 200, 13, 77, 401, 5, 260};
    static final int TOKENS = 30;

    @TempDir
    Path tmp;

    @Test
    void lostMiddleBoardIsReplannedAndGreedyOutputEqualsGenerate() throws Exception {
        lostBoard(1, tmp.resolve("middle"), SamplingOptions.greedy(TOKENS));
    }

    @Test
    void lostLastBoardIsReplannedAndGreedyOutputEqualsGenerate() throws Exception {
        lostBoard(2, tmp.resolve("last"), SamplingOptions.greedy(TOKENS));
    }

    /**
     * The starter holds embedding, head, sampler and the coordinator's token connections: its loss is seen at
     * once, and the next board becomes the starter. Sampled (temperature, top-k, top-p): the new starter's
     * sampler skips the draws already made, so each sequence equals its uninterrupted single-process run.
     */
    @Test
    void lostStarterIsReplannedAndSampledOutputEqualsGenerate() throws Exception {
        lostBoard(0, tmp.resolve("starter"), new SamplingOptions(0.9, 40, 0.95, 1234, TOKENS, List.of()));
    }

    /** The synthetic tiny model in {@code dir}; single-process tokens of sequences 0 and 1 (seeds + q when sampled). */
    static List<List<Integer>> tinyModelAndReference(Path dir, SamplingOptions sampling) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Path model = dir.resolve("tiny");
        SyntheticCheckpoint.write(ModelConfig.fromSpec(ModelPresets.byId("synthetic-tiny").orElseThrow()), 42,
                SyntheticCheckpoint.Format.HF, DType.F32, model, 1);
        List<List<Integer>> reference = new ArrayList<>();
        try (Checkpoint ck = Checkpoint.open(model);
             PipelineRunner r = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults())) {
            for (int q = 0; q < 2; q++) {
                SamplingOptions so = sampling.isGreedy() ? sampling : new SamplingOptions(sampling.temperature(), sampling.topK(),
                        sampling.topP(), sampling.seed() + q, TOKENS, List.of());
                reference.add(new Generator(r, null).generate(PROMPT, so, null).tokens());
            }
        }
        return reference;
    }

    /** Three loopback agents named {@code prefix1..3}. */
    static List<BoardAgent> agents(Path dir, String prefix) throws Exception {
        List<BoardAgent> agents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            agents.add(new BoardAgent(BoardAgent.Options.loopback(prefix + (i + 1), TOKEN, dir.resolve("a" + i))));
        }
        return agents;
    }

    /** {@code 127.0.0.1:port} of each agent, in order. */
    static List<String> addresses(List<BoardAgent> agents) {
        return agents.stream().map(a -> "127.0.0.1:" + a.port()).toList();
    }

    /** A listener that counts {@code started} down once per token. */
    static RunListener countingTokens(CountDownLatch started) {
        return new RunListener() {
            @Override
            public void token(int seq, int index, int token, String text) {
                started.countDown();
            }
        };
    }

    /** A thread that closes {@code victim} once {@code started} reaches zero (a few tokens into the run). */
    static Thread killer(CountDownLatch started, BoardAgent victim) {
        Thread t = new Thread(() -> {
            try {
                started.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            victim.close();
        });
        t.start();
        return t;
    }

    void lostBoard(int victim, Path tmp, SamplingOptions sampling) throws Exception {
        List<List<Integer>> reference = tinyModelAndReference(tmp, sampling);
        Path model = tmp.resolve("tiny");
        List<BoardAgent> agents = new ArrayList<>();
        try (Checkpoint ck = Checkpoint.open(model)) {
            agents.addAll(agents(tmp, "r"));
            List<String> addresses = addresses(agents);
            ModelConfig c = ck.config();
            List<ShardSpec> shards = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                shards.add(ShardSpec.stage(c, c.layers() * i / 3, c.layers() * (i + 1) / 3, false, false));
            }
            CountDownLatch started = new CountDownLatch(8);
            List<String> replanEvents = new ArrayList<>();
            ChromeTrace trace = new ChromeTrace();
            RunListener l = RunListener.all(trace, new RunListener() {
                @Override
                public void token(int seq, int index, int token, String text) {
                    started.countDown();
                }

                @Override
                public synchronized void replan(String lostBoard, String reason, List<String> ranges, int tokenIndex, long at) {
                    replanEvents.add(lostBoard + " | " + ranges + " | " + tokenIndex);
                }
            });
            RunLogic.Request req = new RunLogic.Request(model, addresses, "pipeline", null, null, null, 2, null, null, TOKENS,
                    sampling.isGreedy(), sampling.seed(), null, List.of(), 1, 2048, null, null, true);
            List<Double> scale = new ArrayList<>(List.of(1.0, 1.0, 1.0));
            scale.set(victim, 0.1);
            DistributedRun.Result res;
            try (DistributedRun run = new DistributedRun(ck, addresses, shards,
                    DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 2).withComputeScale(scale), TOKEN,
                    KnownBoards.inMemory(), l)) {
                run.enableReplan(RunLogic.replanner(req, c, msg -> { }));
                run.setUp();
                Thread killer = killer(started, agents.get(victim));
                res = run.generate(PROMPT, sampling);
                killer.join();
            }
            assertEquals(1, res.replans().size(), res.replans().toString());
            DistributedRun.Replan p = res.replans().get(0);
            assertTrue(p.lostBoard().contains(addresses.get(victim)), p.lostBoard());
            assertFalse(p.reason().isBlank());
            assertEquals(2, p.ranges().size(), p.ranges().toString());
            assertTrue(p.tokenIndex() > 0 && p.tokenIndex() < TOKENS, "re-planned at token " + p.tokenIndex());
            assertEquals(2, res.boards().size());
            for (DistributedRun.SequenceResult q : res.sequences()) {
                assertEquals(reference.get(q.sequence()), q.tokens(), "sequence " + q.sequence() + " after a re-plan at token "
                        + p.tokenIndex());
            }
            assertEquals(1, replanEvents.size(), replanEvents.toString());
            assertTrue(trace.events().stream().anyMatch(e -> "i".equals(e.get("ph")) && "replan".equals(e.get("cat"))));
            var json = RunLogic.toJson(res, new RunLogic.Layout(DistributedRun.Mode.PIPELINE, addresses, shards), true, false);
            assertEquals(1, ((List<?>) json.get("replans")).size());
            // the replaced layout's statistics are kept: three boards, the lost one among them, work done before
            assertEquals(3, p.boardsBefore().size(), p.boardsBefore().toString());
            assertTrue(p.boardsBefore().stream().anyMatch(b -> b.board().contains(addresses.get(victim))));
            assertTrue(p.boardsBefore().stream().mapToDouble(DistributedRun.BoardStats::computeMs).sum() > 0);
            var before = (List<?>) ((Map<?, ?>) ((List<?>) json.get("replans")).get(0)).get("boardsBefore");
            assertEquals(3, before.size());
        } finally {
            agents.forEach(BoardAgent::close);
        }
    }

    /**
     * A self-balancing ring (no plan) loses a board: the re-plan's equal split over the two remaining boards is
     * measured and re-balanced like at set-up, so the board emulated at a quarter speed ends with fewer layers
     * than the fast one; greedy tokens still equal single-process generation.
     */
    @Test
    void balancedRingIsReBalancedAfterAReplan() throws Exception {
        Path dir = tmp.resolve("balance");
        List<List<Integer>> reference = tinyModelAndReference(dir, SamplingOptions.greedy(TOKENS));
        List<BoardAgent> agents = new ArrayList<>();
        try (Checkpoint ck = Checkpoint.open(dir.resolve("tiny"))) {
            agents.addAll(agents(dir, "q"));
            List<String> addresses = addresses(agents);
            ModelConfig c = ck.config();
            List<ShardSpec> shards = List.of(ShardSpec.stage(c, 0, 2, false, false), ShardSpec.stage(c, 2, 3, false, false),
                    ShardSpec.stage(c, 3, c.layers(), false, false));
            CountDownLatch started = new CountDownLatch(8);
            RunListener l = countingTokens(started);
            RunLogic.Request req = new RunLogic.Request(dir.resolve("tiny"), addresses, "pipeline", null, null, null, 2, null, null,
                    TOKENS, true, 0, null, List.of(), 1, 2048, null, null, true);
            DistributedRun.Result res;
            try (DistributedRun run = new DistributedRun(ck, addresses, shards,
                    DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 2).withComputeScale(List.of(1.0, 0.1, 0.25)), TOKEN,
                    KnownBoards.inMemory(), l)) {
                run.enableBalance();
                run.enableReplan(RunLogic.replanner(req, c, msg -> { }));
                run.setUp();
                Thread killer = killer(started, agents.get(1));
                res = run.generate(PROMPT, SamplingOptions.greedy(TOKENS));
                killer.join();
            }
            assertEquals(1, res.replans().size(), res.replans().toString());
            for (DistributedRun.SequenceResult q : res.sequences()) {
                assertEquals(reference.get(q.sequence()), q.tokens(), "sequence " + q.sequence());
            }
            List<String> ranges = res.replans().get(0).ranges();
            int fast = layers(ranges.get(0)), slow = layers(ranges.get(1));
            assertEquals(c.layers(), fast + slow, ranges.toString());
            assertTrue(fast > slow, "the fast board holds more layers after the re-plan: " + ranges);
            assertEquals(ranges, res.balance().after(), "the result's balance is the re-planned ring's");
        } finally {
            agents.forEach(BoardAgent::close);
        }
    }

    /** Layers in a "board: layers [a, b)" range text. */
    private static int layers(String range) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("layers \\[(\\d+), (\\d+)\\)").matcher(range);
        assertTrue(m.find(), range);
        return Integer.parseInt(m.group(2)) - Integer.parseInt(m.group(1));
    }

    /**
     * Tensor mode with exact all-reduces: a slice board is lost mid-run, the KV groups and FFN columns are
     * re-sliced over the other two, both sequences resume by prefill and still equal single-process generation.
     */
    @Test
    void lostTensorSliceIsReSlicedAndGreedyOutputEqualsGenerate() throws Exception {
        Path dir = tmp.resolve("tensor");
        List<Integer> reference = tinyModelAndReference(dir, SamplingOptions.greedy(TOKENS)).get(0);
        Path model = dir.resolve("tiny");
        List<BoardAgent> agents = new ArrayList<>();
        try (Checkpoint ck = Checkpoint.open(model)) {
            agents.addAll(agents(dir, "t"));
            List<String> addresses = addresses(agents);
            ModelConfig c = ck.config();
            List<ShardSpec> shards = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                shards.add(ShardSpec.tensorSlice(c, i, 3));
            }
            CountDownLatch started = new CountDownLatch(8);
            RunListener l = countingTokens(started);
            RunLogic.Request req = new RunLogic.Request(model, addresses, "tensor", "exact", null, null, 2, null, null, TOKENS,
                    true, 0, null, List.of(), 1, 2048, null, null, true);
            DistributedRun.Result res;
            try (DistributedRun run = new DistributedRun(ck, addresses, shards,
                    DistributedRun.Options.of(DistributedRun.Mode.TENSOR, 2).withComputeScale(List.of(1.0, 0.1, 1.0)), TOKEN,
                    KnownBoards.inMemory(), l)) {
                run.enableReplan(RunLogic.replanner(req, c, msg -> { }));
                run.setUp();
                Thread killer = killer(started, agents.get(1));
                res = run.generate(PROMPT, SamplingOptions.greedy(TOKENS));
                killer.join();
            }
            assertEquals(1, res.replans().size(), res.replans().toString());
            DistributedRun.Replan p = res.replans().get(0);
            assertTrue(p.lostBoard().contains(addresses.get(1)), p.lostBoard());
            assertTrue(p.tokenIndex() > 0 && p.tokenIndex() < TOKENS, "re-sliced at token " + p.tokenIndex());
            assertEquals(2, res.boards().size());
            assertTrue(p.ranges().get(0).contains("KV groups"), p.ranges().toString());
            for (DistributedRun.SequenceResult q : res.sequences()) {
                assertEquals(reference, q.tokens(), "sequence " + q.sequence() + " after re-slicing at token " + p.tokenIndex());
            }
        } finally {
            agents.forEach(BoardAgent::close);
        }
    }
}
