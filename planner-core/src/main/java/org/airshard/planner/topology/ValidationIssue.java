package org.airshard.planner.topology;

/**
 * One finding about a topology.
 *
 * @param severity  error (blocks planning) or warning
 * @param path      JSON path of the offending value, e.g. {@code $.devices[2].memoryBytes}
 * @param message   readable message naming the value
 * @param subjectId id of the device / server / link endpoint concerned (so an editor can select it), or empty
 */
public record ValidationIssue(Severity severity, String path, String message, String subjectId) {

    public ValidationIssue {
        subjectId = subjectId == null ? "" : subjectId;
    }

    public static ValidationIssue error(String path, String message, String subjectId) {
        return new ValidationIssue(Severity.ERROR, path, message, subjectId);
    }

    public static ValidationIssue warning(String path, String message, String subjectId) {
        return new ValidationIssue(Severity.WARNING, path, message, subjectId);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return (severity == Severity.ERROR ? "error: " : "warning: ") + path + ": " + message;
    }
}
