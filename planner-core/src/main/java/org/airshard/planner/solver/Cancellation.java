package org.airshard.planner.solver;

import java.util.concurrent.atomic.AtomicBoolean;

/** A cancel flag a GUI can set; solvers also honour thread interruption. */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** A token that is never cancelled (interruption still counts). */
    public static Cancellation none() {
        return new Cancellation();
    }

    public void cancel() {
        cancelled.set(true);
    }

    /** True when cancelled or the current thread was interrupted. */
    public boolean isCancelled() {
        return cancelled.get() || Thread.currentThread().isInterrupted();
    }
}
