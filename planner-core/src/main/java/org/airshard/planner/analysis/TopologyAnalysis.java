package org.airshard.planner.analysis;

import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.channel.LinkBudget;
import org.airshard.planner.latency.AllReduceScheme;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.PipelineLatency;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.latency.TensorParallelEstimate;
import org.airshard.planner.latency.TensorParallelLatency;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/**
 * What {@code airshard analyze} reports for a validated topology before any optimisation: link budget per
 * device, tensor-parallel latency per all-reduce scheme with equal shares, and a pipeline ring in file
 * order with an equal layer split, with memory per device for both.
 *
 * @param topologyName  name of the topology
 * @param model         model dimensions
 * @param links         per-device link budget
 * @param tensorShares  the tensor-parallel shares analysed (equal)
 * @param tensor        one estimate per all-reduce scheme
 * @param tensorMemory  per device, bytes needed with the shares above
 * @param aggregatorBytes bytes the server holds (embedding, final norm, head)
 * @param pipeline      the ring estimate
 * @param pipelineMemory per ring member, bytes needed with {@code sequences} in flight
 * @param sequences     S used for memory and the reported throughput
 * @param usableMemory  per device, (1 − headroom)·memoryBytes
 */
public record TopologyAnalysis(
        String topologyName,
        ModelSpec model,
        List<DeviceLink> links,
        double[] tensorShares,
        List<TensorParallelEstimate> tensor,
        List<Double> tensorMemory,
        double aggregatorBytes,
        PipelineEstimate pipeline,
        List<Double> pipelineMemory,
        int sequences,
        List<Double> usableMemory) {

    /**
     * @param deviceId        device
     * @param distanceM       distance to the server, m
     * @param pathLossDb      large-scale path loss, dB
     * @param uplinkSnrDb     average uplink SNR per receive antenna at full power, dB
     * @param downlinkSnrDb   average downlink SNR with array gain, dB
     * @param uplinkRateBps   ergodic uplink rate alone on the full band, bit/s
     */
    public record DeviceLink(String deviceId, double distanceM, double pathLossDb, double uplinkSnrDb,
                             double downlinkSnrDb, double uplinkRateBps) {
    }

    /** Analyses a validated topology with its resolved model. */
    public static TopologyAnalysis of(Topology t, ModelSpec m) {
        RadioRates rates = new RadioRates(t);
        List<DeviceLink> links = new ArrayList<>();
        List<Double> usable = new ArrayList<>();
        for (int i = 0; i < t.devices().size(); i++) {
            Device d = t.devices().get(i);
            double dist = t.distanceToServerM(d);
            links.add(new DeviceLink(d.id(), dist, t.channel().pathLossDb(dist), LinkBudget.uplinkSnrDb(t, d),
                    10 * Math.log10(LinkBudget.downlinkSnr(t, d)), rates.uplinkRateFullBandBps(i)));
            usable.add(d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction()));
        }
        int s = t.settings().sequences();
        double[] shares = TensorParallelLatency.equalShares(t.devices().size());
        TensorParallelLatency tpl = new TensorParallelLatency(t, m, rates);
        List<TensorParallelEstimate> tensor = new ArrayList<>();
        for (AllReduceScheme scheme : AllReduceScheme.values()) {
            tensor.add(tpl.estimate(shares, scheme));
        }
        List<Double> tmem = new ArrayList<>();
        for (double share : shares) {
            tmem.add(MemoryModel.tensorParallelBytes(m, share, s));
        }
        List<String> ring = t.devices().stream().map(Device::id).toList();
        List<Integer> split = PipelineLatency.equalSplit(m.layers(), ring.size());
        PipelineEstimate pe = new PipelineLatency(t, m, rates).estimate(ring, split);
        List<Double> pmem = new ArrayList<>();
        for (int k = 0; k < ring.size(); k++) {
            pmem.add(MemoryModel.pipelineBytes(m, split.get(k), k == 0, s));
        }
        return new TopologyAnalysis(t.name(), m, links, shares, tensor, tmem, MemoryModel.aggregatorBytes(m), pe, pmem,
                s, usable);
    }
}
