package org.airshard.executor.board;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records run events as Chrome trace JSON ({@code {"traceEvents":[...]}}): {@code ph:"X"} complete events
 * with {@code ts}/{@code dur} in µs, {@code process_name}/{@code thread_name} metadata, flow events
 * ({@code ph:"s"}/{@code "f"}) and counters ({@code ph:"C"}). Opens in ui.perfetto.dev and chrome://tracing.
 */
public final class ChromeTrace implements RunListener {

    private final List<Map<String, Object>> events = new ArrayList<>();

    @Override
    public synchronized void process(int pid, String name) {
        events.add(meta(pid, 0, "process_name", name));
        events.add(meta(pid, TID_COMPUTE, "thread_name", "compute"));
        events.add(meta(pid, TID_COMM, "thread_name", "communication"));
    }

    private static Map<String, Object> meta(int pid, int tid, String what, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ph", "M");
        m.put("pid", pid);
        m.put("tid", tid);
        m.put("name", what);
        m.put("args", Map.of("name", name));
        return m;
    }

    @Override
    public synchronized void span(int pid, int tid, String name, long startMicros, long durationMicros, Map<String, Object> args) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ph", "X");
        m.put("name", name);
        m.put("cat", tid == TID_COMPUTE ? "compute" : "comm");
        m.put("pid", pid);
        m.put("tid", tid);
        m.put("ts", startMicros);
        m.put("dur", Math.max(0, durationMicros));
        if (args != null && !args.isEmpty()) {
            m.put("args", args);
        }
        events.add(m);
    }

    @Override
    public synchronized void flow(long id, int fromPid, long fromMicros, int toPid, long toMicros, String name) {
        for (String ph : new String[] {"s", "f"}) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ph", ph);
            m.put("id", id);
            m.put("name", name);
            m.put("cat", "flow");
            m.put("pid", ph.equals("s") ? fromPid : toPid);
            m.put("tid", TID_COMM);
            m.put("ts", ph.equals("s") ? fromMicros : toMicros);
            if (ph.equals("f")) {
                m.put("bp", "e");
            }
            events.add(m);
        }
    }

    @Override
    public synchronized void counter(int pid, String name, long atMicros, double value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ph", "C");
        m.put("name", name);
        m.put("pid", pid);
        m.put("ts", atMicros);
        m.put("args", Map.of("value", value));
        events.add(m);
    }

    /** A global instant event "re-plan" with the lost board, the reason, the new ranges and the token index. */
    @Override
    public synchronized void replan(String lostBoard, String reason, List<String> ranges, int tokenIndex, long atMicros) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ph", "i");
        m.put("name", "re-plan: lost " + lostBoard);
        m.put("cat", "replan");
        m.put("pid", COORDINATOR);
        m.put("tid", TID_COMM);
        m.put("ts", atMicros);
        m.put("s", "g");
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("lostBoard", lostBoard);
        a.put("reason", reason);
        a.put("ranges", List.copyOf(ranges));
        a.put("tokenIndex", tokenIndex);
        m.put("args", a);
        events.add(m);
    }

    public synchronized int size() {
        return events.size();
    }

    public synchronized List<Map<String, Object>> events() {
        return List.copyOf(events);
    }

    public synchronized void write(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("traceEvents", events);
        root.put("displayTimeUnit", "ms");
        new ObjectMapper().writeValue(file.toFile(), root);
    }
}
