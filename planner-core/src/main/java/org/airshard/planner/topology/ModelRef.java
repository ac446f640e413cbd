package org.airshard.planner.topology;

/**
 * Which model the topology runs: a named preset ({@link org.airshard.planner.model.ModelPresets}) or a
 * checkpoint on disk (a Hugging Face directory whose {@code config.json} gives the dimensions). Exactly
 * one of {@code preset} and {@code checkpoint} is set.
 *
 * @param preset            preset id, or null
 * @param checkpoint        checkpoint path as written in the file (relative paths resolve against the
 *                          topology file's folder), or null
 * @param bytesPerParameter storage precision override, or null for the model's own
 * @param contextTokens     context-length override, or null for the model's own
 */
public record ModelRef(String preset, String checkpoint, Double bytesPerParameter, Integer contextTokens) {

    public static ModelRef ofPreset(String id) {
        return new ModelRef(id, null, null, null);
    }

    /** The preset id or the checkpoint path, for display. */
    public String label() {
        return preset != null ? preset : checkpoint;
    }
}
