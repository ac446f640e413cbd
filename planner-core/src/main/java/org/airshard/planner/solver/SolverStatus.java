package org.airshard.planner.solver;

/** How a solver run ended. Every solver returns its best point together with one of these. */
public enum SolverStatus {
    /** Converged / proven optimal for the problem as posed. */
    OPTIMAL,
    /** Stopped at the iteration cap; the result is the best point found. */
    ITERATION_LIMIT,
    /** Stopped at the time limit; the result is the best point found. */
    TIME_LIMIT,
    /** Cancelled (thread interrupted or cancel flag); the result is the best point found so far. */
    CANCELLED,
    /** No feasible point exists (the result says why). */
    INFEASIBLE,
    /** Numerical trouble; the result may be unusable. */
    NUMERICAL,
    /** Any other failure. */
    FAILED
}
