package org.airshard.planner.channel;

import java.util.List;
import org.ejml.data.ZMatrixRMaj;

/**
 * One block-fading realisation: H_n ∈ C^{N_r×N_t(n)} for every device, in the topology's device order.
 * Matrices are owned by the realisation; callers must not modify them.
 *
 * @param deviceIds device ids, same order as {@code channels}
 * @param channels  H_n per device
 */
public record ChannelRealization(List<String> deviceIds, List<ZMatrixRMaj> channels) {

    public ChannelRealization {
        deviceIds = List.copyOf(deviceIds);
        channels = List.copyOf(channels);
        if (deviceIds.size() != channels.size()) {
            throw new IllegalArgumentException("one matrix per device expected");
        }
    }

    public int deviceCount() {
        return channels.size();
    }

    /** H_n of the n-th device. */
    public ZMatrixRMaj h(int n) {
        return channels.get(n);
    }

    /** ‖H_n‖_F², the channel's total power gain. */
    public double frobeniusPower(int n) {
        ZMatrixRMaj m = channels.get(n);
        double s = 0;
        double[] d = m.data;
        for (int i = 0; i < m.getDataLength(); i++) {
            s += d[i] * d[i];
        }
        return s;
    }
}
