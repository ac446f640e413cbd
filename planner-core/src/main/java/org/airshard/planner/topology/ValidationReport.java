package org.airshard.planner.topology;

import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.io.InputException;
import org.airshard.planner.io.InputProblem;

/** Every finding about one topology, errors first in file order. */
public record ValidationReport(List<ValidationIssue> issues) {

    public ValidationReport {
        issues = List.copyOf(issues);
    }

    public List<ValidationIssue> errors() {
        return issues.stream().filter(ValidationIssue::isError).toList();
    }

    public List<ValidationIssue> warnings() {
        return issues.stream().filter(i -> !i.isError()).toList();
    }

    public boolean hasErrors() {
        return issues.stream().anyMatch(ValidationIssue::isError);
    }

    /** Findings about one node (device or server id). */
    public List<ValidationIssue> about(String subjectId) {
        return issues.stream().filter(i -> i.subjectId().equals(subjectId)).toList();
    }

    /** The errors as an {@link InputException} for {@code source}; call only when {@link #hasErrors()}. */
    public InputException toException(String source) {
        List<InputProblem> problems = new ArrayList<>();
        for (ValidationIssue i : errors()) {
            problems.add(new InputProblem(source, i.path(), i.message()));
        }
        return new InputException(problems);
    }

    public ValidationReport plus(ValidationReport other) {
        List<ValidationIssue> all = new ArrayList<>(issues);
        all.addAll(other.issues);
        return new ValidationReport(all);
    }
}
