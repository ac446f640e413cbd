package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.generate.GenerationResult;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Distributed runs on three loopback agents started in this JVM: greedy tokens equal single-process
 * generation on the same synthetic tiny model (pipeline 2 and 3 boards with S = 1 and 3; tensor exact
 * 2 and 3 boards with uneven shares); an unchanged shard is not re-sent; the trace is Chrome JSON.
 */
@Tag("network")
@Tag("slow")
class BoardRunTest {

    static final String TOKEN = "test-pairing-token";
    static final int[] PROMPT = {1, 200, 13, 77, 401, 5, 260};
    static final int TOKENS = 12;

    @TempDir
    static Path tmp;
    static Path model;
    static List<Integer> reference;
    static final List<BoardAgent> agents = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        ModelConfig c = ModelConfig.fromSpec(ModelPresets.byId("synthetic-tiny").orElseThrow());
        model = tmp.resolve("tiny");
        SyntheticCheckpoint.write(c, 42, SyntheticCheckpoint.Format.HF, DType.F32, model, 1);
        try (Checkpoint ck = Checkpoint.open(model);
             PipelineRunner r = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), RuntimeOptions.defaults())) {
            GenerationResult g = new Generator(r, null).generate(PROMPT, SamplingOptions.greedy(TOKENS), null);
            reference = g.tokens();
        }
        for (int i = 0; i < 3; i++) {
            agents.add(new BoardAgent(BoardAgent.Options.loopback("b" + (i + 1), TOKEN, tmp.resolve("agent" + i))));
        }
    }

    @AfterAll
    static void tearDown() {
        agents.forEach(BoardAgent::close);
    }

    static List<String> addresses(int n) {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            a.add("127.0.0.1:" + agents.get(i).port());
        }
        return a;
    }

    static DistributedRun.Result run(List<ShardSpec> shards, DistributedRun.Options o, RunListener l) throws Exception {
        try (Checkpoint ck = Checkpoint.open(model);
             DistributedRun run = new DistributedRun(ck, addresses(shards.size()), shards, o, TOKEN, KnownBoards.inMemory(), l)) {
            run.setUp();
            return run.generate(PROMPT, SamplingOptions.greedy(TOKENS));
        }
    }

    /** fp32 bytes of all layers' weights (norms, attention, MLP). */
    static long layerBytes(ModelConfig c) {
        long d = c.hiddenSize(), q = (long) c.heads() * c.headDim(), kv = (long) c.kvHeads() * c.headDim();
        return c.layers() * 4 * (2 * d + q * d + 2 * kv * d + d * q + 3L * c.ffnSize() * d);
    }

    static List<ShardSpec> stages(ModelConfig c, int... bounds) {
        List<ShardSpec> s = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.length; i++) {
            s.add(ShardSpec.stage(c, bounds[i], bounds[i + 1], false, false));
        }
        return s;
    }

    static ModelConfig config() throws Exception {
        try (Checkpoint ck = Checkpoint.open(model)) {
            return ck.config();
        }
    }

    @Test
    void pipelineTwoAndThreeBoardsWithOneAndThreeSequences() throws Exception {
        ModelConfig c = config();
        for (List<ShardSpec> shards : List.of(stages(c, 0, 2, c.layers()), stages(c, 0, 1, 3, c.layers()))) {
            for (int s : new int[] {1, 3}) {
                DistributedRun.Result r = run(shards, DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, s), null);
                assertEquals(s, r.sequences().size());
                for (DistributedRun.SequenceResult q : r.sequences()) {
                    assertEquals(reference, q.tokens(), shards.size() + " boards, S=" + s + ", sequence " + q.sequence());
                }
                assertTrue(r.tokensPerSecond() > 0);
            }
            DistributedRun.Result star = run(shards, DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 2).withRing(false), null);
            for (DistributedRun.SequenceResult q : star.sequences()) {
                assertEquals(reference, q.tokens(), shards.size() + " boards, star, sequence " + q.sequence());
            }
        }
    }

    @Test
    void tensorExactTwoAndThreeBoardsUnevenShares() throws Exception {
        ModelConfig c = config();
        int g = c.kvHeads(), f = c.ffnSize();
        List<List<ShardSpec>> cases = List.of(
                List.of(new ShardSpec(0, c.layers(), 0, 1, 0, f / 4, false, false),
                        new ShardSpec(0, c.layers(), 1, g, f / 4, f, false, false)),
                List.of(new ShardSpec(0, c.layers(), 0, 2, 0, f / 2, false, false),
                        new ShardSpec(0, c.layers(), 2, 3, f / 2, f / 2 + 10, false, false),
                        new ShardSpec(0, c.layers(), 3, g, f / 2 + 10, f, false, false)));
        for (List<ShardSpec> shards : cases) {
            DistributedRun.Result r = run(shards, DistributedRun.Options.of(DistributedRun.Mode.TENSOR, 1), null);
            assertEquals(reference, r.sequences().get(0).tokens(), shards.size() + " tensor boards");
            assertEquals((long) c.layers() * 2 * TOKENS, r.allReduces());
            // each slice receives only its rows / columns: together about one copy of the layer weights
            long layerBytes = layerBytes(c);
            long total = r.boards().stream().mapToLong(b -> b.deployBytesSent() + b.deployBytesSkipped()).sum();
            long norms = 4L * 2 * c.hiddenSize() * c.layers() * (shards.size() - 1);
            assertEquals(layerBytes + norms, total, "slices hold disjoint parts (norms are replicated)");
        }
    }

    @Test
    void unchangedShardIsNotResentAndTraceIsWritten() throws Exception {
        ModelConfig c = config();
        List<ShardSpec> shards = stages(c, 0, 3, c.layers());
        run(shards, DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), null);
        ChromeTrace trace = new ChromeTrace();
        DistributedRun.Result again = run(shards, DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 2), trace);
        for (DistributedRun.BoardStats b : again.boards()) {
            assertEquals(0, b.deployBytesSent(), b.board());
            assertTrue(b.deployBytesSkipped() > 0);
        }
        Path file = tmp.resolve("trace.json");
        trace.write(file);
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        var events = root.path("traceEvents");
        assertTrue(events.size() > 50);
        java.util.Set<String> phases = new java.util.HashSet<>();
        events.forEach(e -> phases.add(e.path("ph").asText()));
        assertTrue(phases.containsAll(List.of("M", "X", "s", "f")), phases.toString());
    }

    @Test
    void pipelineTraceHasLinkThroughputCountersWithNumericArgs() throws Exception {
        ModelConfig c = config();
        ChromeTrace trace = new ChromeTrace();
        run(stages(c, 0, 2, c.layers()), DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), trace);
        Path file = tmp.resolve("counters.json");
        trace.write(file);
        var events = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).path("traceEvents");
        java.util.Map<String, Double> maxByPidAndName = new java.util.HashMap<>();
        int counters = 0;
        for (var e : events) {
            if (!e.path("ph").asText().equals("C")) {
                continue;
            }
            counters++;
            assertTrue(e.path("ts").isNumber() && e.path("pid").isInt(), e.toString());
            assertTrue(e.path("args").isObject() && e.path("args").size() > 0, e.toString());
            e.path("args").fields().forEachRemaining(a -> assertTrue(a.getValue().isNumber(), "non-numeric counter arg: " + e));
            maxByPidAndName.merge(e.path("pid").asInt() + " " + e.path("name").asText(), e.path("args").path("value").asDouble(),
                    Math::max);
        }
        assertTrue(counters > 0);
        for (int pid : new int[] {RunListener.COORDINATOR + 1, RunListener.COORDINATOR + 2}) {
            for (String name : List.of(DistributedRun.LINK_IN, DistributedRun.LINK_OUT)) {
                Double v = maxByPidAndName.get(pid + " " + name);
                assertTrue(v != null && v > 0, "pid " + pid + " " + name + ": " + v + " in " + maxByPidAndName);
            }
        }
    }

    /**
     * The ring's starter holds embedding, head and sampler: with no layers of its own it still works, sampled
     * tokens (per-sequence seeds) equal the star's (head and sampler at the coordinator), and the head's time
     * is traced on the starter board.
     */
    @Test
    void ringStarterWithoutLayersSamplesLikeTheStar() throws Exception {
        ModelConfig c = config();
        List<ShardSpec> shards = stages(c, 0, 0, c.layers());
        SamplingOptions so = new SamplingOptions(0.9, 40, 0.95, 77, TOKENS, List.of());
        ChromeTrace trace = new ChromeTrace();
        DistributedRun.Result ring;
        DistributedRun.Result star;
        try (Checkpoint ck = Checkpoint.open(model);
             DistributedRun run = new DistributedRun(ck, addresses(2), shards, DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 2),
                     TOKEN, KnownBoards.inMemory(), trace)) {
            run.setUp();
            ring = run.generate(PROMPT, so);
        }
        try (Checkpoint ck = Checkpoint.open(model);
             DistributedRun run = new DistributedRun(ck, addresses(2), shards,
                     DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 2).withRing(false), TOKEN, KnownBoards.inMemory(), null)) {
            run.setUp();
            star = run.generate(PROMPT, so);
        }
        for (int q = 0; q < 2; q++) {
            assertEquals(star.sequences().get(q).tokens(), ring.sequences().get(q).tokens(), "sequence " + q);
            assertEquals(TOKENS, ring.sequences().get(q).tokens().size());
        }
        assertNotEquals(ring.sequences().get(0).tokens(), ring.sequences().get(1).tokens(), "sequences have their own seeds");
        assertTrue(trace.events().stream().anyMatch(e -> "head + sample".equals(e.get("name"))
                && Integer.valueOf(RunListener.COORDINATOR + 1).equals(e.get("pid"))), "head traced on the starter board");
    }

    /** A GENERATE with a malformed payload, or sent to a board that is not the starter, is refused; the ring goes on. */
    @Test
    void malformedOrMisdirectedGenerateIsRefused() throws Exception {
        ModelConfig c = config();
        try (Checkpoint ck = Checkpoint.open(model);
             DistributedRun run = new DistributedRun(ck, addresses(2), stages(c, 0, 2, c.layers()),
                     DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), TOKEN, KnownBoards.inMemory(), null)) {
            run.setUp();
            BoardClient starter = run.boards().get(0), second = run.boards().get(1);
            starter.send(Frame.GENERATE, 5, 0, 0, 1, 3, new float[] {1.5f, -2f, 3.25f});
            BoardFailure bad = assertThrows(BoardFailure.class, starter::receive);
            assertTrue(bad.getMessage().contains("generate request"), bad.getMessage());
            second.sendGenerate(6, new GenerateRequest(new int[] {1, 2}, 0, 64, SamplingOptions.greedy(2)));
            BoardFailure wrong = assertThrows(BoardFailure.class, second::receive);
            assertTrue(wrong.getMessage().contains("not the ring starter"), wrong.getMessage());
            assertEquals(reference, run.generate(PROMPT, SamplingOptions.greedy(TOKENS)).sequences().get(0).tokens());
        }
    }

    /**
     * Without a plan the run measures the boards during the warm-up and re-splits the layers: a board emulated
     * at a quarter speed ends with fewer layers; tokens are unchanged and the re-split is reported. With S = 2
     * the warm-up measures two sequences in flight, as the run will have them.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void balanceMovesLayersOffASlowBoard(int samples) throws Exception {
        ModelConfig c = config();
        DistributedRun.Result r;
        try (Checkpoint ck = Checkpoint.open(model);
             DistributedRun run = new DistributedRun(ck, addresses(2), stages(c, 0, 2, c.layers()),
                     DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, samples).withComputeScale(List.of(1.0, 0.25)), TOKEN,
                     KnownBoards.inMemory(), null)) {
            run.enableBalance();
            run.setUp();
            r = run.generate(PROMPT, SamplingOptions.greedy(TOKENS));
        }
        for (DistributedRun.SequenceResult q : r.sequences()) {
            assertEquals(reference, q.tokens());
        }
        assertEquals(samples, r.sequences().size());
        DistributedRun.Balance b = r.balance();
        assertTrue(b != null, "re-split reported");
        assertTrue(b.microsPerLayer().get(1) > 2 * b.microsPerLayer().get(0), b.toString());
        assertTrue(b.bottleneckAfterMicros() < b.bottleneckBeforeMicros(), b.toString());
        int first = Integer.parseInt(r.boards().get(0).shard().replaceAll("layers \\[0, (\\d+)\\)", "$1"));
        assertTrue(first > 2, "the fast board took layers: " + r.boards().get(0).shard());
        // the run's deploy statistics cover the first deploy and the re-split's: every layer was offered twice
        long layerBytes = layerBytes(c);
        long offered = r.boards().stream().mapToLong(x -> x.deployBytesSent() + x.deployBytesSkipped()).sum();
        assertTrue(offered >= 2 * layerBytes, offered + " bytes offered, layers " + layerBytes);
    }

    /**
     * One sequence on 2 and 3 boards (S < K): the LM head is split between the starter and the last board; sampled
     * tokens equal the star's (whole head at the coordinator) both when the last board sends its whole slice of
     * the logits (temperature sampling) and when it sends only its top-k candidates; greedy sends one candidate.
     * The trace shows a head span on both boards.
     */
    @Test
    void splitHeadWithOneSequenceSamplesLikeTheStar() throws Exception {
        ModelConfig c = config();
        List<ShardSpec> two = stages(c, 0, 2, c.layers()), three = stages(c, 0, 1, 3, c.layers());
        record Case(List<ShardSpec> shards, SamplingOptions so) {
        }
        for (Case k : List.of(new Case(two, new SamplingOptions(0.9, 0, 1.0, 5, TOKENS, List.of())),
                new Case(two, new SamplingOptions(1.2, 6, 0.95, 8, TOKENS, List.of())),
                // 2k = V − v: the compacted frame is as long as the whole slice would be
                new Case(three, new SamplingOptions(0.9, c.vocabSize() / 4, 1.0, 5, TOKENS, List.of())))) {
            List<ShardSpec> shards = k.shards();
            SamplingOptions so = k.so();
            ChromeTrace trace = new ChromeTrace();
            List<Integer> ring;
            List<Integer> star;
            try (Checkpoint ck = Checkpoint.open(model);
                 DistributedRun run = new DistributedRun(ck, addresses(shards.size()), shards,
                         DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), TOKEN, KnownBoards.inMemory(), trace)) {
                run.setUp();
                ring = run.generate(PROMPT, so).sequences().get(0).tokens();
            }
            try (Checkpoint ck = Checkpoint.open(model);
                 DistributedRun run = new DistributedRun(ck, addresses(shards.size()), shards,
                         DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1).withRing(false), TOKEN, KnownBoards.inMemory(), null)) {
                run.setUp();
                star = run.generate(PROMPT, so).sequences().get(0).tokens();
            }
            assertEquals(star, ring, shards.size() + " boards, " + so);
            assertEquals(reference, run(shards, DistributedRun.Options.of(DistributedRun.Mode.PIPELINE, 1), null).sequences().get(0)
                    .tokens(), shards.size() + " boards, greedy");
            int last = RunListener.COORDINATOR + shards.size();
            for (int pid : new int[] {RunListener.COORDINATOR + 1, last}) {
                assertTrue(trace.events().stream().anyMatch(e -> RunListener.HEAD_SPAN.equals(e.get("name")) && Integer.valueOf(pid)
                        .equals(e.get("pid"))), "head span on pid " + pid);
            }
        }
    }
}
