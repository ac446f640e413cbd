package org.airshard.planner.optimize;

/**
 * Euclidean projection onto {m : Σ m_n = 1, lo_n ≤ m_n ≤ hi_n}: m_n = clip(v_n − λ, lo_n, hi_n) with λ
 * found by bisection so that the sum is 1 (the sum is monotone in λ). Exact up to the bisection
 * tolerance, then the residual is spread over the coordinates strictly inside their box.
 */
public final class SimplexBoxProjection {

    private SimplexBoxProjection() {
    }

    /** True when the box intersects the simplex: Σ lo ≤ 1 ≤ Σ hi. */
    public static boolean feasible(double[] lo, double[] hi) {
        double a = 0, b = 0;
        for (int i = 0; i < lo.length; i++) {
            if (lo[i] > hi[i]) {
                return false;
            }
            a += lo[i];
            b += hi[i];
        }
        return a <= 1 + 1e-12 && b >= 1 - 1e-12;
    }

    public static double[] project(double[] v, double[] lo, double[] hi) {
        int n = v.length;
        double left = Double.POSITIVE_INFINITY, right = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            left = Math.min(left, v[i] - hi[i]);
            right = Math.max(right, v[i] - lo[i]);
        }
        // sum(λ = left) ≥ 1 ≥ sum(λ = right)
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (left + right);
            if (sum(v, lo, hi, mid) > 1) {
                left = mid;
            } else {
                right = mid;
            }
        }
        double lambda = 0.5 * (left + right);
        double[] m = new double[n];
        double s = 0;
        int free = 0;
        for (int i = 0; i < n; i++) {
            m[i] = Math.min(hi[i], Math.max(lo[i], v[i] - lambda));
            s += m[i];
            if (m[i] > lo[i] && m[i] < hi[i]) {
                free++;
            }
        }
        double r = 1 - s;
        if (free > 0 && r != 0) {
            for (int i = 0; i < n; i++) {
                if (m[i] > lo[i] && m[i] < hi[i]) {
                    m[i] = Math.min(hi[i], Math.max(lo[i], m[i] + r / free));
                }
            }
        }
        return m;
    }

    private static double sum(double[] v, double[] lo, double[] hi, double lambda) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += Math.min(hi[i], Math.max(lo[i], v[i] - lambda));
        }
        return s;
    }
}
