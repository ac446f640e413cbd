package org.airshard.planner.io;

/**
 * One problem with a user's input.
 *
 * @param source  the file or argument the input came from (e.g. {@code lab.json}, {@code --seed}); may be empty
 * @param path    JSON path of the offending value ({@code $.devices[2].memoryBytes}) or empty
 * @param message what is wrong, in words a user understands, naming the value when useful
 */
public record InputProblem(String source, String path, String message) {

    public InputProblem {
        source = source == null ? "" : source;
        path = path == null ? "" : path;
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message required");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!source.isEmpty()) {
            sb.append(source).append(": ");
        }
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
