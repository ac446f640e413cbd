package org.airshard.planner.solver;

/** Receives progress from long-running planners; called on the solver's thread, so keep it cheap. */
@FunctionalInterface
public interface ProgressListener<P> {

    void onProgress(P progress);

    /** A listener that ignores everything. */
    static <P> ProgressListener<P> none() {
        return p -> { };
    }
}
