package org.airshard.planner.topology;

import java.nio.file.Path;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelSpec;

/** Loading a topology file end to end: read, resolve the model, validate. */
public final class TopologyFiles {

    private TopologyFiles() {
    }

    /**
     * A topology that was read and validated.
     *
     * @param topology the topology
     * @param model    the resolved model dimensions (null only when the report has errors)
     * @param report   structural and semantic findings
     * @param file     where it came from (null for in-memory)
     */
    public record Loaded(Topology topology, ModelSpec model, ValidationReport report, Path file) {
    }

    /** Reads and validates without throwing on content errors (the report has them). */
    public static Loaded inspect(Path file) throws InputException {
        TopologyReader.Result r = TopologyReader.read(file);
        if (r.topology() == null) {
            return new Loaded(null, null, r.report(), file);
        }
        TopologyValidator.Outcome o = TopologyValidator.validate(r.topology(), baseDir(file));
        return new Loaded(r.topology(), o.model(), r.report().plus(o.report()), file);
    }

    /** Reads and validates; any error becomes an {@link InputException} listing all of them. */
    public static Loaded load(Path file) throws InputException {
        Loaded l = inspect(file);
        if (l.report().hasErrors()) {
            throw l.report().toException(file.toString());
        }
        return l;
    }

    /** Validates an in-memory topology (e.g. from the editor). */
    public static Loaded check(Topology t, Path baseDir) {
        TopologyValidator.Outcome o = TopologyValidator.validate(t, baseDir);
        return new Loaded(t, o.model(), o.report(), null);
    }

    static Path baseDir(Path file) {
        Path abs = file.toAbsolutePath().getParent();
        return abs;
    }
}
