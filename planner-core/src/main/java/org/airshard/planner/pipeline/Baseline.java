package org.airshard.planner.pipeline;

import org.airshard.planner.latency.PipelineEstimate;

/**
 * A baseline partition evaluated on the same topology and model.
 *
 * @param name     identifier ({@code mdi-llm-table}, {@code equal}, {@code memory-proportional})
 * @param estimate its predicted timing
 * @param fits     whether every member's memory holds its part
 * @param problem  why it does not fit (empty when it does)
 */
public record Baseline(String name, PipelineEstimate estimate, boolean fits, String problem) {
}
