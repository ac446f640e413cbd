package org.airshard.executor.board;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.airshard.executor.cli.GenerateRunner;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.io.InputException;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.plan.PlanFiles;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;

/**
 * {@code airshard run}: a distributed generation on board agents, with or without a plan. Without a plan
 * the default is near-equal contiguous layer ranges (pipeline) or near-equal KV-group / FFN-column
 * slices (tensor) over the given boards.
 */
public final class RunLogic {

    /** Everything {@code run} takes. */
    public record Request(Path model, List<String> boards, String mode, String allReduce, Path plan, Path topology,
                          int samples, String prompt, String promptIds, int maxTokens, boolean greedy, long seed,
                          Path tokenFile, List<Double> computeScale, int threads, int context, Path knownBoards,
                          Path evalText, boolean replan, boolean ring) {
        /** The request with the direct ring (pipeline). */
        public Request(Path model, List<String> boards, String mode, String allReduce, Path plan, Path topology, int samples,
                       String prompt, String promptIds, int maxTokens, boolean greedy, long seed, Path tokenFile,
                       List<Double> computeScale, int threads, int context, Path knownBoards, Path evalText, boolean replan) {
            this(model, boards, mode, allReduce, plan, topology, samples, prompt, promptIds, maxTokens, greedy, seed, tokenFile,
                    computeScale, threads, context, knownBoards, evalText, replan, true);
        }

        /** The request without re-planning (a lost board ends the run). */
        public Request(Path model, List<String> boards, String mode, String allReduce, Path plan, Path topology, int samples,
                       String prompt, String promptIds, int maxTokens, boolean greedy, long seed, Path tokenFile,
                       List<Double> computeScale, int threads, int context, Path knownBoards, Path evalText) {
            this(model, boards, mode, allReduce, plan, topology, samples, prompt, promptIds, maxTokens, greedy, seed, tokenFile,
                    computeScale, threads, context, knownBoards, evalText, false, true);
        }
    }

    private RunLogic() {
    }

    public static String readToken(Path file) throws InputException {
        if (file == null) {
            String env = System.getenv("AIRSHARD_TOKEN");
            if (env != null && !env.isBlank()) {
                return env.trim();
            }
            throw new InputException("--token-file", "", "no pairing token: give --token-file (the agent prints where its token is) "
                    + "or set AIRSHARD_TOKEN");
        }
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (t.isEmpty() || t.length() > 512 || !t.chars().allMatch(ch -> ch > 32 && ch < 127)) {
                throw new InputException(file.toString(), "", "the token file must hold one printable ASCII token");
            }
            return t;
        } catch (IOException e) {
            throw new InputException(file.toString(), "", "cannot read the token file: " + e.getMessage());
        }
    }

    /** Resolved boards and shards. */
    public record Layout(DistributedRun.Mode mode, List<String> boards, List<ShardSpec> shards) {
    }

    public static Layout layout(Request r, ModelConfig c) throws InputException {
        DistributedRun.Mode mode;
        Plan plan = r.plan() == null ? null : PlanFiles.read(r.plan());
        String m = r.mode() != null ? r.mode() : plan != null ? plan.mode().id() : "pipeline";
        switch (m) {
            case "pipeline" -> mode = DistributedRun.Mode.PIPELINE;
            case "tensor" -> mode = DistributedRun.Mode.TENSOR;
            default -> throw new InputException("--mode", "", "'" + m + "' is not pipeline or tensor");
        }
        if (plan != null && !plan.mode().id().equals(m)) {
            throw new InputException("--mode", "", "the plan is a " + plan.mode().id() + " plan but --mode is " + m);
        }
        List<String> devices = new ArrayList<>();
        List<ShardSpec> shards = new ArrayList<>();
        if (plan != null) {
            if (plan.layers() != c.layers()) {
                throw new InputException(r.plan().toString(), "$.layers", "plan is for " + plan.layers() + " layers, the model has "
                        + c.layers());
            }
            if (mode == DistributedRun.Mode.PIPELINE) {
                for (Plan.Stage s : plan.pipeline().stages()) {
                    devices.add(s.device());
                    shards.add(ShardSpec.stage(c, s.layerStart(), s.layerEnd(), false, false));
                }
            } else {
                int g = 0, f = 0;
                for (Plan.Share s : plan.tensor().shares()) {
                    if (s.kvGroups() == 0 && s.ffnColumns() == 0) {
                        continue;
                    }
                    devices.add(s.device());
                    shards.add(new ShardSpec(0, c.layers(), g, g + s.kvGroups(), f, f + s.ffnColumns(), false, false));
                    g += s.kvGroups();
                    f += s.ffnColumns();
                }
                if (g != c.kvHeads() || f != c.ffnSize()) {
                    throw new InputException(r.plan().toString(), "$.tensor.shares", "shares cover " + g + "/" + c.kvHeads()
                            + " KV groups and " + f + "/" + c.ffnSize() + " FFN columns");
                }
            }
        }
        List<String> boards = new ArrayList<>(r.boards() == null ? List.of() : r.boards());
        if (boards.isEmpty()) {
            if (plan == null || r.topology() == null) {
                throw new InputException("--boards", "", "give --boards HOST:PORT,... (or --plan with --topology whose devices have agent addresses)");
            }
            Topology t = TopologyFiles.load(r.topology()).topology();
            for (String id : devices) {
                Device d = t.device(id).orElseThrow(() -> new InputException(r.topology().toString(), id, "plan device not in the topology"));
                if (d.agent() == null) {
                    throw new InputException(r.topology().toString(), id, "device has no agent address");
                }
                boards.add(d.agent().host() + ":" + d.agent().port());
            }
        }
        if (plan == null) {
            int n = boards.size();
            for (int i = 0; i < n; i++) {
                if (mode == DistributedRun.Mode.PIPELINE) {
                    if (n > c.layers()) {
                        throw new InputException("--boards", "", n + " boards for " + c.layers() + " layers");
                    }
                    shards.add(ShardSpec.stage(c, c.layers() * i / n, c.layers() * (i + 1) / n, false, false));
                } else {
                    if (n > c.kvHeads()) {
                        throw new InputException("--boards", "", n + " boards for " + c.kvHeads() + " KV groups");
                    }
                    shards.add(ShardSpec.tensorSlice(c, i, n));
                }
            }
        }
        if (boards.size() != shards.size()) {
            throw new InputException("--boards", "", boards.size() + " boards given, the plan has " + shards.size() + " members");
        }
        return new Layout(mode, boards, shards);
    }

    /** Runs and returns the JSON report; tokens stream to {@code listener}. */
    public static Map<String, Object> run(Request r, RunListener listener, java.util.function.Consumer<String> progress)
            throws InputException, IOException {
        if ((r.prompt() == null) == (r.promptIds() == null)) {
            throw new InputException("--prompt", "", "give exactly one of --prompt or --prompt-ids");
        }
        if (r.maxTokens() < 0) {
            throw new InputException("--max-tokens", "", "must be 0 or more");
        }
        boolean aircomp = "aircomp".equals(r.allReduce());
        if (r.allReduce() != null && !aircomp && !"exact".equals(r.allReduce())) {
            throw new InputException("--allreduce", "", "'" + r.allReduce() + "' is not exact or aircomp");
        }
        for (double s : r.computeScale()) {
            if (!(s > 0 && s <= 1)) {
                throw new InputException("--compute-scale", "", "each factor must be in (0, 1]");
            }
        }
        String token = readToken(r.tokenFile());
        try (Checkpoint ck = Checkpoint.open(r.model())) {
            Layout lay = layout(r, ck.config());
            if (aircomp && lay.mode() != DistributedRun.Mode.TENSOR) {
                throw new InputException("--allreduce", "", "aircomp needs --mode tensor");
            }
            if (r.replan() && aircomp) {
                throw new InputException("--replan", "", "re-planning onto the remaining boards needs --mode pipeline or "
                        + "--allreduce exact (the AirComp beamformers are designed for the boards the run started with)");
            }
            if (r.computeScale().size() > 1 && r.computeScale().size() != lay.boards().size()) {
                throw new InputException("--compute-scale", "", "give one factor or one per board");
            }
            int[] prompt;
            if (r.promptIds() != null) {
                prompt = GenerateRunner.parseIds(r.promptIds());
            } else {
                if (ck.tokenizer() == null) {
                    throw new InputException(r.model().toString(), "", "the model has no tokenizer; use --prompt-ids");
                }
                prompt = ck.tokenizer().encode(r.prompt(), true);
            }
            SamplingOptions so = r.greedy() ? SamplingOptions.greedy(r.maxTokens()).withStopTokens(ck.config().eosTokenIds())
                    : new SamplingOptions(0.8, 40, 0.95, r.seed(), r.maxTokens(), ck.config().eosTokenIds());
            DistributedRun.Options o = new DistributedRun.Options(lay.mode(), aircomp, r.samples(), r.threads(), r.context(),
                    r.computeScale(), 60_000, r.ring());
            KnownBoards known = new KnownBoards(r.knownBoards() != null ? r.knownBoards() : KnownBoards.defaultFile());
            try (DistributedRun run = new DistributedRun(ck, lay.boards(), lay.shards(), o, token, known, listener)) {
                if (aircomp && r.topology() != null) {
                    progress.accept("designing AirComp beamformers on the topology's channel samples");
                    run.useAircomp(topologyAircomp(r, lay.boards().size()));
                }
                if (r.plan() == null && lay.mode() == DistributedRun.Mode.PIPELINE && r.ring()) {
                    run.enableBalance();
                }
                if (r.replan()) {
                    run.enableReplan(replanner(r, ck.config(), progress));
                }
                progress.accept("connecting to " + lay.boards().size() + " boards, deploying shards");
                run.setUp();
                progress.accept("generating");
                DistributedRun.Result res = run.generate(prompt, so);
                Map<String, Object> json = toJson(res, lay, ck.synthetic(), aircomp);
                if (r.evalText() != null) {
                    if (ck.tokenizer() == null) {
                        throw new InputException(r.model().toString(), "", "the model has no tokenizer: --eval-text needs one");
                    }
                    String text;
                    try {
                        text = Files.readString(r.evalText(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new InputException(r.evalText().toString(), "", "cannot read: " + e.getMessage());
                    }
                    progress.accept("measuring perplexity on " + r.evalText());
                    double[] ppl = run.perplexity(ck.tokenizer().encode(text, true));
                    json.put("perplexityExact", ppl[0]);
                    if (aircomp) {
                        json.put("perplexityAircomp", ppl[1]);
                    }
                }
                return json;
            }
        }
    }

    /**
     * How {@code --replan} re-partitions when a board is lost. With {@code --topology} (whose devices carry the
     * boards' agent addresses) the planner's {@link org.airshard.planner.pipeline.PipelinePartitioner} chooses
     * ring order and layer ranges over the remaining devices (memory, FLOP rates and links of the topology, no
     * device left out); otherwise near-equal contiguous layer ranges over the remaining boards in ring order.
     */
    static DistributedRun.Replanner replanner(Request r, ModelConfig c, java.util.function.Consumer<String> progress) {
        if ("tensor".equals(r.mode())) {
            return (remaining, lost) -> {
                progress.accept("board " + lost + " lost: re-slicing onto " + remaining.size() + " boards");
                return tensorRelayout(c, remaining);
            };
        }
        return (remaining, lost) -> {
            progress.accept("board " + lost + " lost: re-planning onto " + remaining.size() + " boards");
            Topology t = null;
            org.airshard.planner.model.ModelSpec model = null;
            Map<String, String> addressOf = new LinkedHashMap<>();
            if (r.topology() != null) {
                TopologyFiles.Loaded lt = TopologyFiles.load(r.topology());
                t = lt.topology();
                model = lt.model();
                for (Device d : t.devices()) {
                    if (d.agent() != null) {
                        addressOf.put(d.id(), d.agent().host() + ":" + d.agent().port());
                    }
                }
            }
            return relayout(t, model, addressOf, r.topology() == null ? "--topology" : r.topology().toString(), r.samples(), c,
                    remaining, lost, "airshard run --replan").relayout();
        };
    }

    private static List<Map<String, Object>> boardsJson(List<DistributedRun.BoardStats> stats) {
        List<Map<String, Object>> boards = new ArrayList<>();
        for (DistributedRun.BoardStats b : stats) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("board", b.board());
            q.put("shard", b.shard());
            q.put("computeMs", b.computeMs());
            q.put("communicationMs", b.commMs());
            q.put("bytesSent", b.bytesSent());
            q.put("bytesReceived", b.bytesReceived());
            q.put("heapUsedBytesAtEnd", b.usedHeapBytes());
            q.put("deployBytesSent", b.deployBytesSent());
            q.put("deployBytesSkipped", b.deployBytesSkipped());
            if (b.computeScale() < 1) {
                q.put("emulatedSpeed", b.computeScale());
                q.put("note", "computeMs includes emulated slowdown");
            }
            boards.add(q);
        }
        return boards;
    }

    /**
     * Tensor mode's re-layout: near-equal KV-group / FFN-column slices over the remaining boards in order (at most
     * one board per KV group), every board getting all layers.
     */
    public static DistributedRun.Relayout tensorRelayout(ModelConfig c, List<String> remaining) {
        int n = Math.min(remaining.size(), c.kvHeads());
        List<ShardSpec> shards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shards.add(ShardSpec.tensorSlice(c, i, n));
        }
        return new DistributedRun.Relayout(List.copyOf(remaining.subList(0, n)), shards);
    }

    /**
     * A re-layout and, when the planner chose it, the plan it came from (null for near-equal ranges).
     */
    public record Replanned(DistributedRun.Relayout relayout, Plan plan) {
    }

    /**
     * The re-partition {@code run --replan} makes, for callers that hold the topology themselves (the GUI):
     * with a topology and model whose devices map onto every remaining board ({@code addressByDevice}: device
     * id → board address), the planner's pipeline partitioner over those devices; otherwise near-equal
     * contiguous layer ranges over the remaining boards in ring order.
     *
     * @param source    names the topology in error messages
     * @param generator written into the re-made plan's provenance
     */
    public static Replanned relayout(Topology t, org.airshard.planner.model.ModelSpec model, Map<String, String> addressByDevice,
                                     String source, int samples, ModelConfig c, List<String> remaining, String lost,
                                     String generator) throws InputException {
        if (t != null && model != null) {
            Map<String, String> addressOf = new LinkedHashMap<>();
            List<Device> keep = new ArrayList<>();
            for (Device d : t.devices()) {
                String a = addressByDevice.get(d.id());
                if (a != null && remaining.contains(a)) {
                    addressOf.put(d.id(), a);
                    keep.add(d);
                }
            }
            if (keep.size() == remaining.size()) {
                java.util.Set<String> ids = addressOf.keySet();
                Topology t2 = t.withDevices(keep).withLinks(t.links().stream()
                        .filter(l -> ids.contains(l.from()) && ids.contains(l.to())).toList());
                var part = new org.airshard.planner.pipeline.PipelinePartitioner(t2, model,
                        new org.airshard.planner.latency.RadioRates(t2)).partition(
                        new org.airshard.planner.pipeline.PipelinePartitioner.Options(Math.max(1, samples), 8, false, 10_000),
                        org.airshard.planner.solver.Cancellation.none());
                if (part.status() == org.airshard.planner.solver.SolverStatus.INFEASIBLE) {
                    throw new InputException(source, "$.devices", "re-plan without " + lost + ": "
                            + String.join("; ", part.notes()));
                }
                Plan p = org.airshard.planner.plan.PlanBuilder.fromPartition(part, t2, model, generator);
                List<String> boards = new ArrayList<>();
                List<ShardSpec> shards = new ArrayList<>();
                for (Plan.Stage s : p.pipeline().stages()) {
                    // the starter board runs embedding, head and sampling: it stays in the ring even without layers
                    if (s.layerEnd() > s.layerStart() || boards.isEmpty()) {
                        boards.add(addressOf.get(s.device()));
                        shards.add(ShardSpec.stage(c, s.layerStart(), s.layerEnd(), false, false));
                    }
                }
                return new Replanned(new DistributedRun.Relayout(boards, shards), p);
            }
        }
        int n = Math.min(remaining.size(), c.layers());
        List<ShardSpec> shards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shards.add(ShardSpec.stage(c, c.layers() * i / n, c.layers() * (i + 1) / n, false, false));
        }
        return new Replanned(new DistributedRun.Relayout(List.copyOf(remaining.subList(0, n)), shards), null);
    }

    /**
     * AirComp set-up from the topology: 4 channel realisations from its channel model (or measured CSI), the
     * shares from the plan (else equal), each realisation's short-term problem built by the optimizer's
     * {@code AircompProblemBuilder} (same units as {@code optimize}) and solved by {@code ShortTermSolver}.
     * The topology's devices must be the run's boards, in order.
     */
    static AirCompEmulator topologyAircomp(Request r, int boards) throws InputException {
        TopologyFiles.Loaded lt = TopologyFiles.load(r.topology());
        Topology t = lt.topology();
        if (lt.model() == null) {
            throw new InputException(r.topology().toString(), "$.model", "the topology names no model: AirComp budgets need one");
        }
        if (t.devices().size() != boards) {
            throw new InputException(r.topology().toString(), "$.devices", "the topology has " + t.devices().size()
                    + " devices but the run has " + boards + " boards (AirComp needs one device per board, in order)");
        }
        double[] m = new double[boards];
        java.util.Arrays.fill(m, 1.0 / boards);
        if (r.plan() != null) {
            Plan plan = PlanFiles.read(r.plan());
            if (plan.tensor() != null) {
                for (int i = 0; i < boards; i++) {
                    String id = t.devices().get(i).id();
                    m[i] = plan.tensor().shares().stream().filter(s -> s.device().equals(id)).mapToDouble(Plan.Share::share)
                            .findFirst().orElse(m[i]);
                }
            }
        }
        var builder = new org.airshard.planner.optimize.AircompProblemBuilder(t, lt.model());
        var source = org.airshard.planner.channel.ChannelSources.forTopology(t, r.seed());
        List<AirCompEmulator.Design> designs = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            designs.add(AirCompEmulator.design(builder.build(m, source.next()), r.seed() + k));
        }
        return new AirCompEmulator(designs, builder.streams(), r.seed());
    }

    static Map<String, Object> toJson(DistributedRun.Result res, Layout lay, boolean synthetic, boolean aircomp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", lay.mode().name().toLowerCase());
        m.put("allReduce", lay.mode() == DistributedRun.Mode.TENSOR ? (aircomp ? "aircomp" : "exact") : null);
        List<Map<String, Object>> seqs = new ArrayList<>();
        for (DistributedRun.SequenceResult s : res.sequences()) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("sequence", s.sequence());
            q.put("tokens", s.tokens());
            q.put("text", s.text());
            q.put("stopReason", s.stopReason());
            seqs.add(q);
        }
        m.put("sequences", seqs);
        m.put("tokensPerSecond", res.tokensPerSecond());
        m.put("generationSeconds", res.generationSeconds());
        m.put("setupSeconds", res.setupSeconds());
        m.put("boards", boardsJson(res.boards()));
        m.put("allReduces", res.allReduces());
        List<Map<String, Object>> replans = new ArrayList<>();
        for (DistributedRun.Replan p : res.replans()) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("lostBoard", p.lostBoard());
            q.put("reason", p.reason());
            q.put("ranges", p.ranges());
            q.put("tokenIndex", p.tokenIndex());
            q.put("tokensPerSequence", p.tokensPerSequence());
            q.put("seconds", p.seconds());
            q.put("boardsBefore", boardsJson(p.boardsBefore()));
            replans.add(q);
        }
        m.put("replans", replans);
        if (res.balance() != null) {
            DistributedRun.Balance b = res.balance();
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("headMicros", b.headMicros());
            q.put("lastHeadMicros", b.lastHeadMicros());
            q.put("microsPerLayer", b.microsPerLayer());
            q.put("before", b.before());
            q.put("after", b.after());
            q.put("bottleneckBeforeMicros", b.bottleneckBeforeMicros());
            q.put("bottleneckAfterMicros", b.bottleneckAfterMicros());
            m.put("balance", q);
        }
        if (res.measuredMse() != null) {
            m.put("measuredMse", res.measuredMse());
            m.put("predictedMse", res.predictedMse());
            m.put("activationMse", res.activationMse());
            m.put("top1AgreementVsExact", res.top1Agreement());
            m.put("klDivergenceVsExact", res.klDivergence());
        }
        m.put("notes", synthetic ? List.of("synthetic random weights: generated text is meaningless") : List.of());
        return m;
    }

    public static String json(Map<String, Object> m) throws IOException {
        return new ObjectMapper().writeValueAsString(m);
    }
}
