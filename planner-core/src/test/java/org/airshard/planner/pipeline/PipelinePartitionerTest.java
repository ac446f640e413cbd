package org.airshard.planner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.latency.PipelineLatency;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DigitalLink;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;
import org.junit.jupiter.api.Test;

public class PipelinePartitionerTest {

    static TopologyFiles.Loaded load(String name) throws Exception {
        return TopologyFiles.load(Path.of("..", "sample-topologies", name));
    }

    /** A random heterogeneous instance: K devices, random compute, memory and links. */
    public static Topology randomTopology(Topology base, int k, Random rnd) {
        List<Device> ds = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Device b = base.devices().get(i % base.devices().size());
            ds.add(new Device("n" + i, "n" + i, b.kind(), b.antennas(), 1e9 * (0.5 + 10 * rnd.nextDouble()),
                    (long) (20e6 + 200e6 * rnd.nextDouble()), 1e9 * (1 + 20 * rnd.nextDouble()), b.energyBudgetJPerLayer(), b.energyPerParameterJ(),
                    b.maxTxPowerDbm(), new org.airshard.planner.topology.Position(rnd.nextDouble() * 20, rnd.nextDouble() * 20), null));
        }
        List<DigitalLink> links = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                if (rnd.nextDouble() < 0.6) {
                    links.add(new DigitalLink("n" + i, "n" + j, 1e7 * (1 + 100 * rnd.nextDouble()), 1e-4 * rnd.nextDouble() * 20));
                }
            }
        }
        return base.withDevices(ds).withLinks(links);
    }

    static ModelSpec withLayers(ModelSpec m, int layers) {
        return new ModelSpec(m.id(), m.displayName(), layers, m.hiddenSize(), m.heads(), m.kvHeads(), m.ffnSize(),
                m.vocabSize(), m.tiedEmbeddings(), m.qkvBias(), m.bytesPerParameter(), m.contextTokens(), m.ropeTheta());
    }

    /** Brute force over every subset, order and composition. */
    static double bruteForce(Topology t, ModelSpec m, PipelineLatency lat, int s) {
        int n = t.devices().size();
        double best = 0;
        List<int[]> orders = new ArrayList<>();
        for (int mask = 1; mask < (1 << n); mask++) {
            List<Integer> set = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) {
                    set.add(i);
                }
            }
            permutations(set, new ArrayList<>(), orders);
        }
        for (int[] ring : orders) {
            List<String> ids = new ArrayList<>();
            for (int i : ring) {
                ids.add(t.devices().get(i).id());
            }
            for (List<Integer> split : compositions(m.layers(), ring.length)) {
                if (!PipelineBaselines.memoryProblem(t, m, ids, split, s).isEmpty()) {
                    continue;
                }
                best = Math.max(best, lat.estimate(ids, split).tokensPerSecond(s));
            }
        }
        return best;
    }

    static void permutations(List<Integer> left, List<Integer> prefix, List<int[]> out) {
        if (left.isEmpty()) {
            out.add(prefix.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        for (int i = 0; i < left.size(); i++) {
            List<Integer> rest = new ArrayList<>(left);
            int x = rest.remove(i);
            List<Integer> p = new ArrayList<>(prefix);
            p.add(x);
            permutations(rest, p, out);
        }
    }

    /** Starter ≥ 0 layers, every other member ≥ 1, summing to total. */
    static List<List<Integer>> compositions(int total, int parts) {
        List<List<Integer>> out = new ArrayList<>();
        compose(total, parts, 0, new ArrayList<>(), out);
        return out;
    }

    static void compose(int left, int parts, int pos, List<Integer> cur, List<List<Integer>> out) {
        if (pos == parts - 1) {
            if (left >= (pos == 0 ? 0 : 1)) {
                List<Integer> c = new ArrayList<>(cur);
                c.add(left);
                out.add(c);
            }
            return;
        }
        for (int v = pos == 0 ? 0 : 1; v <= left; v++) {
            cur.add(v);
            compose(left - v, parts, pos + 1, cur, out);
            cur.remove(cur.size() - 1);
        }
    }

    @Test
    void matchesBruteForceOnRandomSmallInstances() throws Exception {
        var base = load("local-demo.json");
        Random rnd = new Random(20261122);
        int compared = 0;
        for (int trial = 0; trial < 40; trial++) {
            int k = 1 + rnd.nextInt(4);
            int layers = 2 + rnd.nextInt(8);
            int s = 1 + rnd.nextInt(4);
            Topology t = randomTopology(base.topology(), k, rnd);
            ModelSpec m = withLayers(base.model(), layers);
            RadioRates rates = new RadioRates(t, 1);
            PipelinePartitioner p = new PipelinePartitioner(t, m, rates);
            PartitionResult r = p.partition(PipelinePartitioner.Options.of(s), Cancellation.none());
            double brute = bruteForce(t, m, p.latency(), s);
            if (brute == 0) {
                assertEquals(SolverStatus.INFEASIBLE, r.status(), "trial " + trial);
                continue;
            }
            compared++;
            assertEquals(SolverStatus.OPTIMAL, r.status());
            assertEquals(brute, r.tokensPerSecond(), brute * 1e-9, "trial " + trial + " K=" + k + " N_L=" + layers + " S=" + s);
            assertTrue(r.exhaustiveRingSearch());
            // the reported plan is legal
            assertEquals("", PipelineBaselines.memoryProblem(t, m, r.best().ring(), r.best().layerCounts(), s));
            assertEquals(layers, r.best().layerCounts().stream().mapToInt(Integer::intValue).sum());
        }
        assertTrue(compared >= 30, "only " + compared + " feasible instances compared");
    }

    @Test
    void neverLosesToAFittingBaseline() throws Exception {
        var base = load("local-demo.json");
        Random rnd = new Random(5);
        for (int trial = 0; trial < 25; trial++) {
            int k = 2 + rnd.nextInt(9); // also exercises the heuristic beyond 8 devices
            Topology t = randomTopology(base.topology(), k, rnd);
            ModelSpec m = withLayers(base.model(), 12 + rnd.nextInt(40));
            int s = 1 + rnd.nextInt(2 * k);
            PartitionResult r = new PipelinePartitioner(t, m, new RadioRates(t, 1))
                    .partition(PipelinePartitioner.Options.of(s), Cancellation.none());
            if (r.status() == SolverStatus.INFEASIBLE) {
                assertTrue(r.baselines().stream().noneMatch(Baseline::fits));
                continue;
            }
            for (Baseline b : r.baselines()) {
                if (b.fits()) {
                    assertTrue(r.tokensPerSecond() >= b.estimate().tokensPerSecond(s) * (1 - 1e-9),
                            "trial " + trial + ": " + b.name() + " " + b.estimate().tokensPerSecond(s) + " > " + r.tokensPerSecond());
                }
            }
        }
    }

    @Test
    void mdiLlmTableSplitIsReproduced() {
        assertEquals(List.of(8, 12, 12), PipelineBaselines.mdiLlmSplit(32, 3));
        assertEquals(List.of(5, 7), PipelineBaselines.mdiLlmSplit(12, 2));
        assertEquals(List.of(2, 5, 5), PipelineBaselines.mdiLlmSplit(12, 3));
        List<Integer> extrapolated = PipelineBaselines.mdiLlmSplit(80, 5);
        assertEquals(80, extrapolated.stream().mapToInt(Integer::intValue).sum());
        assertTrue(extrapolated.get(0) <= extrapolated.get(1));
    }

    @Test
    void onMdiLlmsOwnSettingTheOptimumIsAtLeastItsTable() throws Exception {
        for (String f : new String[] {"mdi-llm-3x-tx2.json", "mdi-llm-3x-tx2-tinyllama.json"}) {
            var l = load(f);
            PartitionResult r = new PipelinePartitioner(l.topology(), l.model(), new RadioRates(l.topology(), 1))
                    .partition(PipelinePartitioner.Options.of(3), Cancellation.none());
            Baseline mdi = r.baselines().stream().filter(b -> b.name().equals("mdi-llm-table")).findFirst().orElseThrow();
            assertTrue(mdi.fits());
            assertTrue(r.tokensPerSecond() >= mdi.estimate().tokensPerSecond(3), f);
        }
    }

    @Test
    void slowDevicesAreLeftOutAndSaidSo() throws Exception {
        var l = load("home-lab.json");
        PartitionResult r = new PipelinePartitioner(l.topology(), l.model(), new RadioRates(l.topology(), 1))
                .partition(PipelinePartitioner.Options.of(4), Cancellation.none());
        assertNotNull(r.best());
        assertTrue(r.tokensPerSecond() > r.bestBaselineTokensPerSecond());
        // Leaving a device out is reported with a reason.
        assertEquals(r.leftOut().size(), r.notes().stream().filter(n -> n.contains("left out")).count());
        assertFalse(r.best().ring().isEmpty());
    }

    @Test
    void cancellationReturnsTheBestRingSoFar() throws Exception {
        var l = load("home-lab.json");
        Cancellation c = new Cancellation();
        c.cancel();
        PartitionResult r = new PipelinePartitioner(l.topology(), l.model(), new RadioRates(l.topology(), 1))
                .partition(PipelinePartitioner.Options.of(4), c);
        assertEquals(SolverStatus.CANCELLED, r.status());
        assertNotNull(r.best(), "the file-order ring is always evaluated first");
    }

    @Test
    void memoryModelAgreesWithTheAllocatorsCapacities() throws Exception {
        var l = load("local-demo.json");
        ModelSpec m = l.model();
        double perLayer = MemoryModel.pipelineBytes(m, 1, false, 3);
        assertEquals(m.bytesPerLayer() + 3.0 * m.contextTokens() * m.kvBytesPerTokenPerLayer(), perLayer, 1e-6);
    }
}
