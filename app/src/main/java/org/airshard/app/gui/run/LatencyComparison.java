package org.airshard.app.gui.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.airshard.planner.plan.Plan;

/**
 * Measured vs predicted latency per token, per board, of a pipeline run: measured from the run's spans
 * ({@link TimelineModel#boardLatencies()}), predicted from the plan's latency model (the plan's
 * {@code predicted.perDevice}: compute ms per token of its stage and the hop to the next board).
 */
public final class LatencyComparison {

    /**
     * One board.
     *
     * @param board              the board's name (device id when it is a plan device)
     * @param layers             its stage's layer range, e.g. {@code L0–15}, or "" when the plan does not say
     * @param tokens             compute spans so far (tokens × sequences through this stage)
     * @param measuredComputeMs  mean compute ms per token
     * @param predictedComputeMs the plan's compute ms per token, NaN when there is none
     * @param measuredNetworkMs  mean round trip − compute, ms per token
     * @param predictedHopMs     the plan's hop ms to the next board, NaN when there is none
     * @param lastComputeMs      the latest token's compute ms
     */
    public record Row(String board, String layers, long tokens, double measuredComputeMs, double predictedComputeMs,
                      double measuredNetworkMs, double predictedHopMs, double lastComputeMs) {
        /** measured / predicted compute, NaN when either is missing. */
        public double computeRatio() {
            return predictedComputeMs > 0 && !Double.isNaN(measuredComputeMs) ? measuredComputeMs / predictedComputeMs
                    : Double.NaN;
        }
    }

    private LatencyComparison() {
    }

    /**
     * The rows for the boards seen so far, matched to the plan's devices by the board's address (its
     * process name carries {@code "(address)"}) in {@code deviceByAddress}, else by name ({@code "id"} or
     * {@code "id (…)"}).
     */
    public static List<Row> rows(Map<Integer, TimelineModel.BoardLatency> measured, Plan plan,
                                 Map<String, String> deviceByAddress) {
        List<Row> out = new ArrayList<>();
        for (TimelineModel.BoardLatency b : measured.values()) {
            if (b.computeSpans() == 0) {
                continue;
            }
            String name = shortName(b.name());
            for (Map.Entry<String, String> e : deviceByAddress.entrySet()) {
                if (b.name().contains("(" + e.getKey() + ")") || b.name().equals("board " + e.getKey())
                        || b.name().startsWith("board " + e.getKey() + ":")) {
                    name = e.getValue();
                }
            }
            double pc = Double.NaN, ph = Double.NaN;
            String layers = "";
            if (plan != null) {
                if (plan.predicted() != null) {
                    for (Plan.DevicePrediction dp : plan.predicted().perDevice()) {
                        if (matches(name, dp.device())) {
                            pc = dp.computeMs();
                            ph = dp.hopMs();
                        }
                    }
                }
                if (plan.pipeline() != null) {
                    for (Plan.Stage s : plan.pipeline().stages()) {
                        if (matches(name, s.device()) && s.layerCount() > 0) {
                            layers = s.layerCount() == 1 ? "L" + s.layerStart() : "L" + s.layerStart() + "\u2013" + (s.layerEnd() - 1);
                        }
                    }
                }
            }
            out.add(new Row(name, layers, b.computeSpans(), b.computeMs(), pc, b.networkMs(), ph, b.lastComputeUs() / 1e3));
        }
        return List.copyOf(out);
    }

    private static boolean matches(String board, String device) {
        return board.equals(device) || board.startsWith(device + " (");
    }

    /** "b1 (127.0.0.1:17410, emulated …)" → "b1"; a lane label's first line. */
    static String shortName(String processName) {
        String n = TimelineView.laneLabel(processName)[0];
        int paren = n.indexOf(" (");
        return paren > 0 ? n.substring(0, paren) : n;
    }
}
