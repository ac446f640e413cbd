package org.airshard.planner.plan;

import org.airshard.planner.model.ModelSpec;

/**
 * Rounds continuous shares m to what can execute (aircomp.md §1, [ours]): whole KV groups for attention
 * (each with its h/h_kv query heads) and whole MLP columns, by largest remainder so the counts sum exactly
 * to h_kv and F. The rounding loss is the largest |m̃_n − m_n| over devices, where m̃_n is the rounded
 * parameter share.
 */
public final class TensorShareRounding {

    private TensorShareRounding() {
    }

    /**
     * @param kvGroups      groups per device, Σ = h_kv
     * @param ffnColumns    MLP columns per device, Σ = F
     * @param roundedShares the parameter share each device actually holds
     * @param maxLoss       max_n |m̃_n − m_n|
     */
    public record Rounded(int[] kvGroups, int[] ffnColumns, double[] roundedShares, double maxLoss) {
    }

    public static Rounded round(double[] shares, ModelSpec m) {
        int[] g = largestRemainder(shares, m.kvHeads());
        int[] c = largestRemainder(shares, m.ffnSize());
        double[] rounded = new double[shares.length];
        double loss = 0;
        for (int i = 0; i < shares.length; i++) {
            rounded[i] = roundedShare(m, g[i], c[i]);
            loss = Math.max(loss, Math.abs(rounded[i] - shares[i]));
        }
        return new Rounded(g, c, rounded, loss);
    }

    /** Share of the splittable parameters held with {@code groups} KV groups and {@code columns} MLP columns. */
    public static double roundedShare(ModelSpec m, int groups, int columns) {
        double attn = m.attentionParametersPerLayer() * (double) groups / m.kvHeads();
        double mlp = m.mlpParametersPerLayer() * (double) columns / m.ffnSize();
        return (attn + mlp) / m.splittableParametersPerLayer();
    }

    /** Integers summing to {@code total}, proportional to {@code w} (which sum to 1). */
    static int[] largestRemainder(double[] w, int total) {
        int n = w.length;
        int[] out = new int[n];
        double[] rem = new double[n];
        int used = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.max(0, w[i]) * total;
            out[i] = (int) Math.floor(exact + 1e-12);
            rem[i] = exact - out[i];
            used += out[i];
        }
        for (int k = used; k < total; k++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (best < 0 || rem[i] > rem[best]) {
                    best = i;
                }
            }
            out[best]++;
            rem[best] = Double.NEGATIVE_INFINITY;
        }
        for (int k = used; k > total; k--) { // only if the shares summed above 1
            int worst = 0;
            for (int i = 1; i < n; i++) {
                if (out[i] > out[worst]) {
                    worst = i;
                }
            }
            out[worst]--;
        }
        return out;
    }
}
