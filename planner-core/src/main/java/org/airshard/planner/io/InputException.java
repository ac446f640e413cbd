package org.airshard.planner.io;

import java.util.List;

/**
 * A user's input (a file, a field, a command-line value) is wrong. Carries one or more
 * {@link InputProblem}s, each naming where the problem is; the command line prints them without a stack
 * trace and exits non-zero. Never used for programming errors.
 */
public class InputException extends Exception {

    private final List<InputProblem> problems;

    public InputException(String source, String path, String message) {
        this(List.of(new InputProblem(source, path, message)));
    }

    public InputException(List<InputProblem> problems) {
        super(summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InputException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public InputException(List<InputProblem> problems, Throwable cause) {
        this(problems);
        initCause(cause);
    }

    /** Every problem found, in the order found. */
    public List<InputProblem> problems() {
        return problems;
    }

    private static String summary(List<InputProblem> problems) {
        if (problems.isEmpty()) {
            return "invalid input";
        }
        String first = problems.get(0).toString();
        return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
    }
}
