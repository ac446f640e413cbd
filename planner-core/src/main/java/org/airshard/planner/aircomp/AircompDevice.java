package org.airshard.planner.aircomp;

import org.ejml.data.ZMatrixRMaj;

/**
 * One device n of a short-term AirComp problem (spec/aircomp.md §2).
 *
 * @param id            the device's name, used in messages and output
 * @param channel       {@code H_n}, the N_r × N_t complex channel from the device's N_t transmit antennas to the
 *                      server's N_r receive antennas; not copied, do not modify
 * @param budget        {@code P_n^max}, the device's energy budget per all-reduce (same unit as {@code computeEnergy})
 * @param computeEnergy {@code e_n m_n s_tot}, the part of the budget spent on computing its share
 */
public record AircompDevice(String id, ZMatrixRMaj channel, double budget, double computeEnergy) {

    /** {@code E_n = P_n^max − e_n m_n s_tot}: what is left for transmission; a valid problem has it > 0. */
    public double transmitBudget() {
        return budget - computeEnergy;
    }

    /** N_r, the number of server antennas (rows of {@code H_n}). */
    public int receiveAntennas() {
        return channel.numRows;
    }

    /** N_t, the number of device antennas (columns of {@code H_n}). */
    public int transmitAntennas() {
        return channel.numCols;
    }
}
