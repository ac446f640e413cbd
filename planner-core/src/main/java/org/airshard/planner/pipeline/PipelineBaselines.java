package org.airshard.planner.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.PipelineLatency;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.Units;

/**
 * The partitions other systems use, on the topology's devices in file order (the order their users
 * configure): MDI-LLM's fixed table, an equal split, and a split proportional to memory (exo).
 */
public final class PipelineBaselines {

    /**
     * MDI-LLM's published split table (starter layers, secondary layers) keyed by node count and layer
     * count ({@code src/sub/split_map.json} of its repository).
     */
    private static final Map<Integer, Map<Integer, int[]>> MDI_TABLE = Map.of(
            2, Map.of(5, new int[] {2, 3}, 7, new int[] {3, 4}, 9, new int[] {4, 5}, 12, new int[] {5, 7},
                    22, new int[] {10, 12}, 24, new int[] {10, 14}, 32, new int[] {14, 18}, 36, new int[] {16, 20},
                    48, new int[] {22, 26}),
            3, Map.of(5, new int[] {1, 2}, 7, new int[] {1, 3}, 9, new int[] {1, 4}, 12, new int[] {2, 5},
                    22, new int[] {6, 8}, 24, new int[] {4, 10}, 32, new int[] {8, 12}, 36, new int[] {10, 13},
                    48, new int[] {14, 17}));

    private PipelineBaselines() {
    }

    /**
     * MDI-LLM's split for K nodes and N_L layers: its table where it has an entry; otherwise
     * [ours] the table's pattern extrapolated: secondaries equal, the starter about 3/4 of a secondary
     * (it also holds embedding and head), i.e. secondaries ⌊N_L/(K − 1/4)⌋, the starter the rest.
     */
    public static List<Integer> mdiLlmSplit(int layers, int nodes) {
        List<Integer> out = new ArrayList<>();
        if (nodes == 1) {
            out.add(layers);
            return out;
        }
        int[] row = MDI_TABLE.getOrDefault(nodes, Map.of()).get(layers);
        int starter, secondary;
        if (row != null) {
            starter = row[0];
            secondary = row[1];
        } else {
            secondary = (int) Math.floor(layers / (nodes - 0.25));
            starter = layers - (nodes - 1) * secondary;
            while (starter < 1 && secondary > 1) {
                secondary--;
                starter = layers - (nodes - 1) * secondary;
            }
            if (starter < 0) {
                return PipelineLatency.equalSplit(layers, nodes);
            }
        }
        out.add(starter);
        for (int k = 1; k < nodes; k++) {
            out.add(secondary);
        }
        return out;
    }

    /** Layers proportional to device memory (largest remainder), at least one each. */
    public static List<Integer> memoryProportionalSplit(int layers, List<Device> ring) {
        double total = ring.stream().mapToDouble(Device::memoryBytes).sum();
        double[] w = ring.stream().mapToDouble(d -> d.memoryBytes() / total).toArray();
        return largestRemainder(layers, w, 1);
    }

    /** Integer counts summing to {@code total}, proportional to weights, each at least {@code min}. */
    static List<Integer> largestRemainder(int total, double[] weights, int min) {
        int n = weights.length;
        int[] c = new int[n];
        double[] rem = new double[n];
        int left = total - min * n;
        int used = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.max(0, left) * weights[i];
            c[i] = (int) Math.floor(exact);
            rem[i] = exact - c[i];
            used += c[i];
        }
        for (int r = 0; r < Math.max(0, left) - used; r++) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (rem[i] > rem[best]) {
                    best = i;
                }
            }
            c[best]++;
            rem[best] = -1;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(c[i] + min);
        }
        return out;
    }

    /** All baselines on the topology's devices in file order. */
    public static List<Baseline> evaluate(Topology t, ModelSpec m, PipelineLatency latency, int sequences) {
        List<String> ring = t.devices().stream().map(Device::id).toList();
        int k = ring.size();
        List<Baseline> out = new ArrayList<>();
        out.add(evaluate("mdi-llm-table", t, m, latency, ring, mdiLlmSplit(m.layers(), k), sequences));
        out.add(evaluate("equal", t, m, latency, ring, PipelineLatency.equalSplit(m.layers(), k), sequences));
        if (m.layers() >= k) {
            out.add(evaluate("memory-proportional", t, m, latency, ring, memoryProportionalSplit(m.layers(), t.devices()),
                    sequences));
        }
        return out;
    }

    static Baseline evaluate(String name, Topology t, ModelSpec m, PipelineLatency latency, List<String> ring,
                             List<Integer> split, int sequences) {
        PipelineEstimate e = latency.estimate(ring, split);
        String problem = memoryProblem(t, m, ring, split, sequences);
        return new Baseline(name, e, problem.isEmpty(), problem);
    }

    /** Empty when every member's memory holds its part; otherwise names the first member that overflows. */
    public static String memoryProblem(Topology t, ModelSpec m, List<String> ring, List<Integer> split, int sequences) {
        for (int k = 0; k < ring.size(); k++) {
            Device d = t.device(ring.get(k)).orElseThrow();
            double need = MemoryModel.pipelineBytes(m, split.get(k), k == 0, sequences);
            double usable = d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
            if (need > usable) {
                return String.format(Locale.ROOT, "'%s' needs %s for %d layers%s but has %s usable", d.id(),
                        Units.formatBytes(need), split.get(k), k == 0 ? " + embedding and head" : "", Units.formatBytes(usable));
            }
        }
        return "";
    }
}
