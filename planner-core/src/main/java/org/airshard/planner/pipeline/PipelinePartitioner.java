package org.airshard.planner.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.PipelineLatency;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/**
 * Chooses the ring (which devices, which starter, in which order) and each member's contiguous layer range
 * to maximise tokens/s with S sequences in flight, min(S/R, 1/b) (docs/model.md §Pipeline), subject to each
 * device's memory (weights + KV caches of S sequences, headroom kept).
 *
 * <ul>
 *   <li>Ranges for a given ring are exact ({@link RangeAllocator}).</li>
 *   <li>Ring membership and order: with at most {@link Options#exhaustiveDevices} devices every subset,
 *   starter and order is searched; the order only changes the hop sum and maximum, so only orders on the
 *   Pareto front of (Σh, max h) are evaluated against a member set's allocation frontier.</li>
 *   <li>Beyond that, a documented heuristic: every device as starter; the rest ordered by nearest neighbour
 *   on hop time then improved by 2-opt on (Σh, max h); membership by greedy removal of the device whose
 *   removal raises tokens/s most, while it does. The file-order ring with all devices is always evaluated,
 *   so the result never loses to a baseline that fits.</li>
 * </ul>
 */
public final class PipelinePartitioner {

    /**
     * @param sequences          S, sequences in flight
     * @param exhaustiveDevices  search all subsets and orders up to this many devices
     * @param allowLeavingOut    whether devices may be left out of the ring
     * @param timeLimitMillis    stop with the best ring so far after this long (0 = no limit)
     */
    public record Options(int sequences, int exhaustiveDevices, boolean allowLeavingOut, long timeLimitMillis) {
        public static Options of(int sequences) {
            return new Options(sequences, 8, true, 30_000);
        }
    }

    private final Topology topology;
    private final ModelSpec model;
    private final PipelineLatency latency;

    public PipelinePartitioner(Topology topology, ModelSpec model, RadioRates rates) {
        this.topology = topology;
        this.model = model;
        this.latency = new PipelineLatency(topology, model, rates);
    }

    public PipelineLatency latency() {
        return latency;
    }

    /** Runs the search. */
    public PartitionResult partition(Options o, Cancellation cancel) {
        long start = System.nanoTime();
        int n = topology.devices().size();
        int s = o.sequences();
        StageCosts costs = new StageCosts(topology, model, latency, s);
        double[][] hop = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    hop[i][j] = latency.hopS(topology.devices().get(i).id(), topology.devices().get(j).id());
                }
            }
        }
        Search search = new Search(costs, hop, s, o, cancel, start);
        int[] fileOrder = new int[n];
        for (int i = 0; i < n; i++) {
            fileOrder[i] = i;
        }
        search.evaluateRing(fileOrder);
        boolean exhaustive = n <= o.exhaustiveDevices();
        if (exhaustive) {
            search.exhaustive(n);
        } else {
            search.heuristic(n);
        }
        List<String> notes = new ArrayList<>();
        List<Baseline> baselines = PipelineBaselines.evaluate(topology, model, latency, s);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (search.best == null) {
            notes.add("no ring of these devices can hold " + model.displayName() + " with S = " + s
                    + " sequences (memory for weights and KV caches)");
            return new PartitionResult(SolverStatus.INFEASIBLE, null, s, List.of(), exhaustive, search.rings, baselines, notes, ms);
        }
        RingAllocation a = search.best;
        List<String> ring = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        boolean[] in = new boolean[n];
        for (int p = 0; p < a.members().length; p++) {
            ring.add(topology.devices().get(a.members()[p]).id());
            counts.add(a.layerCounts()[p]);
            in[a.members()[p]] = true;
        }
        List<String> leftOut = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!in[i]) {
                Device d = topology.devices().get(i);
                leftOut.add(d.id());
                notes.add(String.format(Locale.ROOT, "'%s' is left out: %s", d.id(),
                        costs.maxLayersAsSecondary[i] < 1 ? "it cannot hold a single layer with its KV caches"
                                : "adding it would lower tokens/s (its compute or hops slow the ring down)"));
            }
        }
        if (!exhaustive) {
            notes.add("ring order and membership found by the heuristic (more than " + o.exhaustiveDevices()
                    + " devices); the layer ranges are exact for that ring");
        }
        SolverStatus status = search.stopped != null ? search.stopped : SolverStatus.OPTIMAL;
        PipelineEstimate e = latency.estimate(ring, counts);
        return new PartitionResult(status, e, s, leftOut, exhaustive && status == SolverStatus.OPTIMAL, search.rings,
                baselines, notes, ms);
    }

    /** The search state: best allocation so far and its tokens/s. */
    private final class Search {
        final StageCosts costs;
        final double[][] hop;
        final int s;
        final Options o;
        final Cancellation cancel;
        final long startNanos;
        RingAllocation best;
        double bestRate = -1;
        double bestRing = Double.POSITIVE_INFINITY;
        long rings;
        SolverStatus stopped;

        Search(StageCosts costs, double[][] hop, int s, Options o, Cancellation cancel, long startNanos) {
            this.costs = costs;
            this.hop = hop;
            this.s = s;
            this.o = o;
            this.cancel = cancel;
            this.startNanos = startNanos;
        }

        boolean stop() {
            if (stopped != null) {
                return true;
            }
            if (cancel.isCancelled()) {
                stopped = SolverStatus.CANCELLED;
            } else if (o.timeLimitMillis() > 0 && (System.nanoTime() - startNanos) / 1_000_000 > o.timeLimitMillis()) {
                stopped = SolverStatus.TIME_LIMIT;
            }
            return stopped != null;
        }

        double[] hops(int[] ring) {
            if (ring.length == 1) {
                return new double[] {0, 0};
            }
            double sum = 0, max = 0;
            for (int p = 0; p < ring.length; p++) {
                double h = hop[ring[p]][ring[(p + 1) % ring.length]];
                sum += h;
                max = Math.max(max, h);
            }
            return new double[] {sum, max};
        }

        void consider(RingAllocation a, int[] ring, double hopSum, double hopMax) {
            rings++;
            double rate = a.tokensPerSecond(s, hopSum, hopMax);
            double r = a.computeS() + hopSum;
            boolean better = rate > bestRate * (1 + 1e-12)
                    || (rate >= bestRate * (1 - 1e-12) && (r < bestRing * (1 - 1e-12)
                    || (r <= bestRing * (1 + 1e-12) && best != null && ring.length < best.members().length)));
            if (better) {
                bestRate = rate;
                bestRing = r;
                best = new RingAllocation(ring.clone(), a.layerCounts().clone(), a.computeS(), a.computeMaxS());
            }
        }

        /** Evaluates one ring in the given order (starter first); returns its best tokens/s or -1. */
        double evaluateRing(int[] ring) {
            List<RingAllocation> frontier = new RangeAllocator(costs, ring).frontier();
            double[] h = hops(ring);
            double bestHere = -1;
            for (RingAllocation a : frontier) {
                consider(a, ring, h[0], h[1]);
                bestHere = Math.max(bestHere, a.tokensPerSecond(s, h[0], h[1]));
            }
            return bestHere;
        }

        void exhaustive(int n) {
            int full = (1 << n) - 1;
            for (int mask = 1; mask <= full; mask++) {
                if (!o.allowLeavingOut() && mask != full) {
                    continue;
                }
                int[] set = bits(mask);
                for (int si = 0; si < set.length; si++) {
                    if (stop()) {
                        return;
                    }
                    int starter = set[si];
                    int[] rest = new int[set.length - 1];
                    for (int j = 0, q = 0; j < set.length; j++) {
                        if (j != si) {
                            rest[q++] = set[j];
                        }
                    }
                    int[] members = new int[set.length];
                    members[0] = starter;
                    System.arraycopy(rest, 0, members, 1, rest.length);
                    // stage costs do not depend on the order of the secondaries: one frontier per (set, starter)
                    List<RingAllocation> frontier = new RangeAllocator(costs, members).frontier();
                    if (frontier.isEmpty()) {
                        continue;
                    }
                    for (int[] order : paretoOrders(starter, rest)) {
                        double[] h = hops(order);
                        for (RingAllocation a : frontier) {
                            // re-map the counts of the canonical member order onto this order
                            consider(remap(a, members, order), order, h[0], h[1]);
                        }
                    }
                }
            }
        }

        /** Orders of the secondaries whose (Σh, max h) is not dominated by another order's. */
        List<int[]> paretoOrders(int starter, int[] rest) {
            List<int[]> front = new ArrayList<>();
            List<double[]> frontH = new ArrayList<>();
            permute(rest, 0, perm -> {
                int[] ring = new int[perm.length + 1];
                ring[0] = starter;
                System.arraycopy(perm, 0, ring, 1, perm.length);
                double[] h = hops(ring);
                for (double[] f : frontH) {
                    if (f[0] <= h[0] && f[1] <= h[1]) {
                        return;
                    }
                }
                for (int i = frontH.size() - 1; i >= 0; i--) {
                    if (h[0] <= frontH.get(i)[0] && h[1] <= frontH.get(i)[1]) {
                        frontH.remove(i);
                        front.remove(i);
                    }
                }
                front.add(ring);
                frontH.add(h);
            });
            return front;
        }

        void heuristic(int n) {
            boolean[] in = new boolean[n];
            Arrays.fill(in, true);
            double current = bestOverStarters(in);
            while (o.allowLeavingOut() && !stop()) {
                int drop = -1;
                double dropRate = current;
                for (int i = 0; i < n; i++) {
                    if (!in[i] || count(in) == 1) {
                        continue;
                    }
                    in[i] = false;
                    double r = bestOverStarters(in);
                    in[i] = true;
                    if (r > dropRate * (1 + 1e-9)) {
                        dropRate = r;
                        drop = i;
                    }
                }
                if (drop < 0) {
                    break;
                }
                in[drop] = false;
                current = dropRate;
            }
        }

        double bestOverStarters(boolean[] in) {
            double best = -1;
            int[] set = members(in);
            for (int starter : set) {
                if (stop()) {
                    break;
                }
                best = Math.max(best, evaluateRing(twoOpt(nearestNeighbour(starter, set))));
            }
            return best;
        }

        int[] nearestNeighbour(int starter, int[] set) {
            int[] ring = new int[set.length];
            boolean[] used = new boolean[hop.length];
            ring[0] = starter;
            used[starter] = true;
            for (int p = 1; p < set.length; p++) {
                int prev = ring[p - 1];
                int next = -1;
                for (int c : set) {
                    if (!used[c] && (next < 0 || hop[prev][c] < hop[prev][next])) {
                        next = c;
                    }
                }
                ring[p] = next;
                used[next] = true;
            }
            return ring;
        }

        int[] twoOpt(int[] ring) {
            int[] cur = ring.clone();
            double[] h = hops(cur);
            boolean improved = true;
            while (improved) {
                improved = false;
                for (int i = 1; i < cur.length - 1; i++) {
                    for (int j = i + 1; j < cur.length; j++) {
                        int[] cand = cur.clone();
                        for (int a = i, b = j; a < b; a++, b--) {
                            int tmp = cand[a];
                            cand[a] = cand[b];
                            cand[b] = tmp;
                        }
                        double[] hc = hops(cand);
                        if (hc[0] < h[0] - 1e-15 || (hc[0] <= h[0] + 1e-15 && hc[1] < h[1] - 1e-15)) {
                            cur = cand;
                            h = hc;
                            improved = true;
                        }
                    }
                }
            }
            return cur;
        }
    }

    private static RingAllocation remap(RingAllocation a, int[] canonical, int[] order) {
        int[] counts = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            for (int q = 0; q < canonical.length; q++) {
                if (canonical[q] == order[p]) {
                    counts[p] = a.layerCounts()[q];
                    break;
                }
            }
        }
        return new RingAllocation(order, counts, a.computeS(), a.computeMaxS());
    }

    private static int[] bits(int mask) {
        int[] out = new int[Integer.bitCount(mask)];
        for (int i = 0, q = 0; i < 31; i++) {
            if ((mask & (1 << i)) != 0) {
                out[q++] = i;
            }
        }
        return out;
    }

    private static int count(boolean[] in) {
        int c = 0;
        for (boolean b : in) {
            c += b ? 1 : 0;
        }
        return c;
    }

    private static int[] members(boolean[] in) {
        int[] out = new int[count(in)];
        for (int i = 0, q = 0; i < in.length; i++) {
            if (in[i]) {
                out[q++] = i;
            }
        }
        return out;
    }

    private static void permute(int[] a, int k, java.util.function.Consumer<int[]> visit) {
        if (k >= a.length - 1) {
            visit.accept(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            swap(a, k, i);
            permute(a, k + 1, visit);
            swap(a, k, i);
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
