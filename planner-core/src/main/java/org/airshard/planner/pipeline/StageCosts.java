package org.airshard.planner.pipeline;

import java.util.List;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.latency.PipelineLatency;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/**
 * Per-device quantities the partitioner needs, precomputed once: compute seconds per layer c_n, the
 * starter's fixed work (LM head, final norm) s_n, and memory capacities in layers (as starter and as
 * secondary) for S sequences in flight (docs/model.md §Pipeline, §Memory).
 */
final class StageCosts {

    final List<Device> devices;
    final double[] secondsPerLayer;
    final double[] starterFixedS;
    final int[] maxLayersAsStarter;
    final int[] maxLayersAsSecondary;
    final int layers;

    StageCosts(Topology t, ModelSpec m, PipelineLatency latency, int sequences) {
        devices = t.devices();
        int n = devices.size();
        layers = m.layers();
        secondsPerLayer = new double[n];
        starterFixedS = new double[n];
        maxLayersAsStarter = new int[n];
        maxLayersAsSecondary = new int[n];
        double perLayerBytes = MemoryModel.pipelineBytes(m, 1, false, sequences);
        double starterFixedBytes = MemoryModel.pipelineBytes(m, 0, true, sequences);
        for (int i = 0; i < n; i++) {
            Device d = devices.get(i);
            secondsPerLayer[i] = latency.stageS(d, 1, false);
            starterFixedS[i] = latency.stageS(d, 0, true);
            double usable = d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
            maxLayersAsSecondary[i] = (int) Math.min(layers, Math.floor(usable / perLayerBytes));
            double left = usable - starterFixedBytes;
            maxLayersAsStarter[i] = left < 0 ? -1 : (int) Math.min(layers, Math.floor(left / perLayerBytes));
        }
    }

    /** Stage time of device i holding ℓ layers. */
    double stageS(int i, int l, boolean starter) {
        return l * secondsPerLayer[i] + (starter ? starterFixedS[i] : 0);
    }
}
