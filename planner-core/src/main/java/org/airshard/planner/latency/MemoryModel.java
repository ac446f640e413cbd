package org.airshard.planner.latency;

import org.airshard.planner.model.ModelSpec;

/**
 * Memory a device needs (docs/model.md §Memory). Tensor parallel, share m_n, S sequences, context c:
 * <pre>  M_n = N_L·(m_n·s_split + s_norm)·bytes + m_n·S·c·KV_token </pre>
 * (the server holds embedding, final norm and head). Pipeline member with ℓ layers:
 * <pre>  M_k = ℓ·s_tot·bytes + S·c·ℓ·KV_layer + [starter] (embedding + norm + head)·bytes </pre>
 * A plan is legal when M ≤ (1 − headroom)·memoryBytes on every device.
 */
public final class MemoryModel {

    private MemoryModel() {
    }

    /** Bytes on a tensor-parallel device with share m holding KV caches for {@code sequences}. */
    public static double tensorParallelBytes(ModelSpec m, double share, int sequences) {
        double weights = m.layers() * (share * m.splittableParametersPerLayer() + m.replicatedParametersPerLayer())
                * m.bytesPerParameter();
        double kv = share * sequences * (double) m.contextTokens() * m.kvBytesPerToken();
        return weights + kv;
    }

    /** Bytes on the tensor-parallel aggregator (embedding, final norm, head). */
    public static double aggregatorBytes(ModelSpec m) {
        return m.nonLayerBytes();
    }

    /** Bytes on a pipeline member holding {@code layers} layers. */
    public static double pipelineBytes(ModelSpec m, int layers, boolean starter, int sequences) {
        double w = layers * m.bytesPerLayer() + (starter ? m.nonLayerBytes() : 0);
        double kv = sequences * (double) m.contextTokens() * layers * m.kvBytesPerTokenPerLayer();
        return w + kv;
    }
}
