package org.airshard.planner.latency;

/** Fixed modelling constants; each is explained in docs/model.md. */
public final class ModelConstants {

    private ModelConstants() {
    }

    /** Bits per value when the server broadcasts a block input (fp16). */
    public static final double BROADCAST_BITS_PER_VALUE = 16;

    /** Bits per value of the digital baseline's quantised partial sums. */
    public static final double DIGITAL_BITS_PER_VALUE = 8;

    /** Medium-access latency of one wireless hop through the access point, s. */
    public static final double WIRELESS_HOP_ACCESS_LATENCY_S = 1.0e-3;

    /** FLOPs per complex multiply-accumulate (4 multiplies + 4 adds). */
    public static final double FLOPS_PER_COMPLEX_MAC = 8;

    /**
     * Attended positions used for attention FLOPs, as a fraction of the context length: a generation
     * that fills the context attends to ctx/2 positions on average.
     */
    public static final double MEAN_ATTENDED_FRACTION = 0.5;

    /**
     * Largest spectral efficiency one spatial stream achieves, bit/s/Hz: Shannon's formula is capped here
     * because practical modulation and coding stop near 1024-QAM with rate 5/6 (≈ 8.3) plus margin.
     */
    public static final double MAX_SPECTRAL_EFFICIENCY_PER_STREAM = 10;
}
