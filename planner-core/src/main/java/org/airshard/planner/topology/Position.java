package org.airshard.planner.topology;

/** A point on the floor plan, in metres. */
public record Position(double xM, double yM) {

    public static final Position ORIGIN = new Position(0, 0);

    /** Euclidean distance in metres. */
    public double distanceM(Position other) {
        return Math.hypot(other.xM - xM, other.yM - yM);
    }
}
