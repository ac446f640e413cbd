package org.airshard.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;

/**
 * The complete events of a Chrome trace JSON file as written by {@code airshard run --trace}
 * ({@code {"traceEvents":[...]}}; {@code ph:"X"} spans with {@code ts}/{@code dur} in µs, {@code process_name}
 * metadata naming each board's pid) and the last value of every counter ({@code ph:"C"}, {@code args.value}).
 * Other event kinds are kept out.
 *
 * @param boards       board names by pid, in first-seen order
 * @param spans        complete events sorted by start
 * @param lastCounters last value of each counter by name (the latest {@code ts} wins)
 */
public record TraceEvents(Map<Integer, String> boards, List<Span> spans, Map<String, Double> lastCounters) {

    /** Spans only (no counters). */
    public TraceEvents(Map<Integer, String> boards, List<Span> spans) {
        this(boards, spans, Map.of());
    }

    /**
     * @param board    board (process) name
     * @param pid      process id
     * @param lane     "compute" or "comm" (from {@code cat}, or the thread id: 1 compute, else comm)
     * @param name     span name (compute, send, recv, allreduce, …)
     * @param startUs  start, µs
     * @param durUs    duration, µs
     * @param sequence sequence id from args ({@code seq} / {@code sequence}), or -1
     * @param token    token index from args, or -1
     */
    public record Span(String board, int pid, String lane, String name, double startUs, double durUs, int sequence, int token) {
    }

    public static TraceEvents read(Path file) throws InputException {
        JsonNode root = Json.readTree(file);
        JsonNode events = root.isArray() ? root : root.get("traceEvents");
        if (events == null || !events.isArray()) {
            throw new InputException(file.toString(), "$.traceEvents", "not a Chrome trace: expected {\"traceEvents\": [...]}");
        }
        Map<Integer, String> names = new LinkedHashMap<>();
        for (JsonNode e : events) {
            if ("M".equals(e.path("ph").asText()) && "process_name".equals(e.path("name").asText())) {
                names.put(e.path("pid").asInt(), e.path("args").path("name").asText("board " + e.path("pid").asInt()));
            }
        }
        List<Span> spans = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.path("ts").isNumber()) {
                continue;
            }
            int pid = e.path("pid").asInt();
            names.putIfAbsent(pid, "board " + pid);
            String cat = e.path("cat").asText("");
            String lane = cat.equals("compute") || (cat.isEmpty() && e.path("tid").asInt() == 1) ? "compute" : "comm";
            JsonNode args = e.path("args");
            int seq = args.has("seq") ? args.get("seq").asInt(-1) : args.path("sequence").asInt(-1);
            spans.add(new Span(names.get(pid), pid, lane, e.path("name").asText(""), e.path("ts").asDouble(),
                    e.path("dur").asDouble(0), seq, args.path("token").asInt(-1)));
        }
        spans.sort((a, b) -> Double.compare(a.startUs(), b.startUs()));
        Map<String, Double> counters = new LinkedHashMap<>();
        Map<String, Double> counterTs = new LinkedHashMap<>();
        for (JsonNode e : events) {
            if ("C".equals(e.path("ph").asText()) && e.path("args").path("value").isNumber()) {
                String name = e.path("name").asText("");
                double ts = e.path("ts").asDouble();
                if (!counterTs.containsKey(name) || ts >= counterTs.get(name)) {
                    counterTs.put(name, ts);
                    counters.put(name, e.path("args").path("value").asDouble());
                }
            }
        }
        return new TraceEvents(names, spans, counters);
    }

    /** CSV of per-token per-board timings: one row per span. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("board,lane,name,sequence,token,start_us,duration_us\n");
        for (Span s : spans) {
            sb.append(csv(s.board())).append(',').append(s.lane()).append(',').append(csv(s.name())).append(',')
                    .append(s.sequence() < 0 ? "" : s.sequence()).append(',').append(s.token() < 0 ? "" : s.token()).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.1f,%.1f", s.startUs(), s.durUs())).append('\n');
        }
        return sb.toString();
    }

    /** Per board: total compute and communication time, ms. */
    public Map<String, double[]> busyMs() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String b : boards.values()) {
            out.put(b, new double[2]);
        }
        for (Span s : spans) {
            out.get(s.board())[s.lane().equals("compute") ? 0 : 1] += s.durUs() / 1e3;
        }
        return out;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
