package org.airshard.planner.topology;

import java.util.List;

/**
 * One measured channel realisation (CSI) given in the topology file: for each device, H_n ∈ C^{N_r×N_t}
 * as row-major real and imaginary parts.
 *
 * @param perDevice one entry per device of the topology
 */
public record MeasuredChannel(List<DeviceMatrix> perDevice) {

    /**
     * @param deviceId device the matrix belongs to
     * @param re       N_r rows of N_t real parts
     * @param im       N_r rows of N_t imaginary parts
     */
    public record DeviceMatrix(String deviceId, double[][] re, double[][] im) {
    }
}
