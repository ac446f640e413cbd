package org.airshard.planner.channel;

/** A stream of channel realisations (sampled fading or measured CSI). Not thread-safe. */
public interface ChannelSource {

    /** The next realisation. */
    ChannelRealization next();

    /** True when the realisations are measured CSI rather than drawn from the fading model. */
    boolean measured();
}
