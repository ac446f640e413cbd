package org.airshard.planner.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Exact layer counts for a fixed set of ring members with a fixed starter.
 *
 * <p>With stage times t_k(ℓ) = ℓ·c_k (+ s_k for the starter), hops fixed by the ring order, and throughput
 * min(S/R, 1/b) with R = Σ t_k + Σ h and b = max(max t_k, max h), the optimum has some bottleneck stage
 * value B* = t_k(ℓ) for a k and an ℓ. For every such candidate B the allocator computes the smallest
 * R among allocations with all t_k ≤ B: capacities cap_k(B) = min(memory cap, ⌊(B − s_k)/c_k⌋), every member
 * gets its minimum (starter 0, secondaries 1), the remaining layers go to the members with the smallest
 * c_k first (exchange argument: optimal for a linear cost with box constraints). The best candidate over
 * all B is therefore optimal for the ring; this is the frontier {@link #frontier()} returns, so different
 * ring orders of the same members only add their (Σh, max h).
 */
final class RangeAllocator {

    private final StageCosts costs;
    private final int[] members;

    RangeAllocator(StageCosts costs, int[] members) {
        this.costs = costs;
        this.members = members.clone();
    }

    private int cap(int pos) {
        int dev = members[pos];
        return pos == 0 ? costs.maxLayersAsStarter[dev] : costs.maxLayersAsSecondary[dev];
    }

    private int min(int pos) {
        return pos == 0 ? 0 : 1;
    }

    /**
     * One allocation per candidate bottleneck value that admits a feasible allocation; empty when the
     * members cannot hold the model (memory) at all.
     */
    List<RingAllocation> frontier() {
        int k = members.length;
        int total = costs.layers;
        int minSum = 0, capSum = 0;
        for (int p = 0; p < k; p++) {
            if (cap(p) < min(p)) {
                return List.of();
            }
            minSum += min(p);
            capSum += cap(p);
        }
        if (minSum > total || capSum < total) {
            return List.of();
        }
        // candidate thresholds: every achievable stage time
        List<Double> thresholds = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            for (int l = min(p); l <= cap(p); l++) {
                thresholds.add(costs.stageS(members[p], l, p == 0));
            }
        }
        thresholds.sort(Double::compare);
        Integer[] byCost = new Integer[k];
        for (int p = 0; p < k; p++) {
            byCost[p] = p;
        }
        Arrays.sort(byCost, Comparator.comparingDouble(p -> costs.secondsPerLayer[members[p]]));
        List<RingAllocation> out = new ArrayList<>();
        double previous = Double.NaN;
        for (double b : thresholds) {
            if (b == previous) {
                continue;
            }
            previous = b;
            RingAllocation a = allocate(b, byCost);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** Minimum-R allocation with every stage time ≤ b, or null if none. */
    RingAllocation allocate(double b, Integer[] byCost) {
        int k = members.length;
        int[] counts = new int[k];
        int[] caps = new int[k];
        int left = costs.layers;
        for (int p = 0; p < k; p++) {
            int dev = members[p];
            double fixed = p == 0 ? costs.starterFixedS[dev] : 0;
            double room = (b - fixed) / costs.secondsPerLayer[dev];
            int byTime = room < 0 ? -1 : (int) Math.floor(room * (1 + 1e-12) + 1e-9);
            caps[p] = Math.min(cap(p), byTime);
            if (caps[p] < min(p)) {
                return null;
            }
            counts[p] = min(p);
            left -= counts[p];
        }
        for (int idx = 0; idx < k && left > 0; idx++) {
            int p = byCost[idx];
            int add = Math.min(left, caps[p] - counts[p]);
            counts[p] += add;
            left -= add;
        }
        if (left > 0) {
            return null;
        }
        double sum = 0, max = 0;
        for (int p = 0; p < k; p++) {
            double t = costs.stageS(members[p], counts[p], p == 0);
            sum += t;
            max = Math.max(max, t);
        }
        return new RingAllocation(members, counts, sum, max);
    }
}
