package org.airshard.planner.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A plan: where each part of the model lives, for pipeline or tensor parallelism, with what was predicted
 * for it and how it was made. One JSON format ({@code airshard.plan/1}, schema
 * {@code sample-topologies/plan.schema.json}); hand-editable and re-checked by {@link PlanValidator}.
 *
 * @param mode       {@link Mode#PIPELINE} or {@link Mode#TENSOR}
 * @param topology   which topology it was made for
 * @param modelId    the model's id (preset id or checkpoint name)
 * @param layers     N_L of that model (a cheap consistency check)
 * @param pipeline   pipeline stages (mode pipeline), else null
 * @param tensor     tensor-parallel shares (mode tensor), else null
 * @param predicted  predictions at planning time (re-computed by {@code validate --plan})
 * @param baselines  baselines evaluated on the same topology
 * @param provenance tool, time, seed, solver settings
 */
public record Plan(
        Mode mode,
        TopologyRef topology,
        String modelId,
        int layers,
        PipelinePart pipeline,
        TensorPart tensor,
        Predicted predicted,
        List<BaselineSummary> baselines,
        Provenance provenance) {

    public static final String FORMAT = "airshard.plan/1";

    public Plan {
        baselines = List.copyOf(baselines);
    }

    /** Parallelism of a plan. Hybrid plans (tensor-parallel groups as pipeline stages) are not supported yet. */
    public enum Mode {
        PIPELINE("pipeline"), TENSOR("tensor");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * @param name   topology name
     * @param sha256 hash of the topology's canonical JSON ({@link PlanFiles#topologyHash})
     */
    public record TopologyRef(String name, String sha256) {
    }

    /**
     * @param sequences S sequences in flight
     * @param stages    ring members in ring order; the first is the starter (embedding, final norm, head)
     */
    public record PipelinePart(int sequences, List<Stage> stages) {
        public PipelinePart {
            stages = List.copyOf(stages);
        }
    }

    /**
     * One ring member's contiguous layer range [layerStart, layerEnd).
     *
     * @param device     device id
     * @param layerStart first layer (0-based)
     * @param layerEnd   one past the last layer
     */
    public record Stage(String device, int layerStart, int layerEnd) {
        public int layerCount() {
            return layerEnd - layerStart;
        }
    }

    /**
     * @param aggregator the server id that sums partial outputs and holds embedding and head
     * @param streams    L streams of the AirComp uplink
     * @param shares     one per device
     * @param details    optimizer output kept verbatim (beamformers, channel samples, convergence, …) or null
     */
    public record TensorPart(String aggregator, int streams, List<Share> shares, JsonNode details) {
        public TensorPart {
            shares = List.copyOf(shares);
        }
    }

    /**
     * A device's tensor-parallel share.
     *
     * @param device     device id
     * @param share      continuous m_n
     * @param kvGroups   KV groups it holds (whole groups; its query heads follow)
     * @param ffnColumns MLP columns it holds
     */
    public record Share(String device, double share, int kvGroups, int ffnColumns) {
    }

    /**
     * @param tokensPerSecond tokens/s (pipeline: at S in flight)
     * @param msPerToken      latency of one token of one sequence, ms
     * @param mse             predicted all-reduce MSE (tensor/AirComp) or null
     * @param perDevice       per-device predictions
     */
    public record Predicted(double tokensPerSecond, double msPerToken, Double mse, List<DevicePrediction> perDevice) {
        public Predicted {
            perDevice = List.copyOf(perDevice);
        }
    }

    /**
     * @param device      device id
     * @param memoryBytes memory the placement needs
     * @param computeMs   compute per token (pipeline: stage time; tensor: its share of all layers), ms
     * @param hopMs       pipeline hop to the next member, ms (0 for tensor)
     */
    public record DevicePrediction(String device, double memoryBytes, double computeMs, double hopMs) {
    }

    /**
     * @param name            baseline id
     * @param tokensPerSecond its tokens/s on the same topology
     * @param fits            whether it fits in memory
     * @param note            why not, or a description
     */
    public record BaselineSummary(String name, double tokensPerSecond, boolean fits, String note) {
    }

    /**
     * @param tool      producing tool and version
     * @param createdAt ISO-8601 instant
     * @param seed      seed used, or null
     * @param solver    solver name, status and settings as free-form JSON, or null
     */
    public record Provenance(String tool, String createdAt, Long seed, JsonNode solver) {
    }
}
