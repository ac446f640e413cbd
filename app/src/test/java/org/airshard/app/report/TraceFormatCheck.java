package org.airshard.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * Checks a Chrome trace against the rules of the Trace Event Format (the JSON that ui.perfetto.dev and
 * chrome://tracing load) and an HTML report for well-formedness. Returns the problems found; empty = valid.
 */
public final class TraceFormatCheck {

    private static final Set<String> PHASES = Set.of("B", "E", "X", "i", "I", "C", "s", "t", "f", "M", "b", "e", "n");
    private static final Set<String> METADATA = Set.of("process_name", "thread_name", "process_sort_index", "thread_sort_index",
            "process_labels");

    private TraceFormatCheck() {
    }

    public static List<String> trace(JsonNode root) {
        List<String> problems = new ArrayList<>();
        JsonNode events = root.isArray() ? root : root.get("traceEvents");
        if (events == null || !events.isArray()) {
            return List.of("no traceEvents array");
        }
        if (root.isObject() && root.has("displayTimeUnit") && !Set.of("ms", "ns").contains(root.get("displayTimeUnit").asText())) {
            problems.add("displayTimeUnit must be ms or ns");
        }
        Map<String, Double> flowStarts = new HashMap<>();
        List<JsonNode> flowEnds = new ArrayList<>();
        int i = 0;
        for (JsonNode e : events) {
            String at = "event " + i++ + " " + e;
            String ph = e.path("ph").asText(null);
            if (ph == null || !PHASES.contains(ph)) {
                problems.add(at + ": unknown ph");
                continue;
            }
            if (!e.path("pid").canConvertToInt()) {
                problems.add(at + ": pid must be an integer");
            }
            if (!ph.equals("M") && !e.path("tid").canConvertToInt() && !ph.equals("C")) {
                problems.add(at + ": tid must be an integer");
            }
            if (!e.path("name").isTextual()) {
                problems.add(at + ": name must be a string");
            }
            if (!ph.equals("M") && (!e.path("ts").isNumber() || e.path("ts").asDouble() < 0)) {
                problems.add(at + ": ts must be a non-negative number (µs)");
            }
            switch (ph) {
                case "X" -> {
                    if (!e.path("dur").isNumber() || e.path("dur").asDouble() < 0) {
                        problems.add(at + ": complete event needs dur >= 0");
                    }
                }
                case "M" -> {
                    if (!METADATA.contains(e.path("name").asText())) {
                        problems.add(at + ": unknown metadata name");
                    } else if (e.path("name").asText().endsWith("_name") && !e.path("args").path("name").isTextual()) {
                        problems.add(at + ": metadata needs args.name");
                    }
                }
                case "C" -> {
                    if (!e.path("args").isObject() || e.path("args").isEmpty()) {
                        problems.add(at + ": counter needs args");
                    }
                    e.path("args").forEach(v -> {
                        if (!v.isNumber()) {
                            problems.add(at + ": counter values must be numbers");
                        }
                    });
                }
                case "s" -> {
                    if (!e.has("id")) {
                        problems.add(at + ": flow start needs id");
                    } else if (flowStarts.put(e.path("cat").asText() + "/" + e.get("id").asText(), e.path("ts").asDouble()) != null) {
                        problems.add(at + ": flow id used twice");
                    }
                }
                case "f" -> flowEnds.add(e);
                case "i", "I" -> {
                    if (e.has("s") && !Set.of("g", "p", "t").contains(e.get("s").asText())) {
                        problems.add(at + ": instant scope must be g, p or t");
                    }
                }
                default -> {
                }
            }
        }
        for (JsonNode f : flowEnds) {
            Double start = flowStarts.get(f.path("cat").asText() + "/" + f.path("id").asText());
            if (start == null) {
                problems.add("flow end without a start: " + f);
            } else if (f.path("ts").asDouble() < start) {
                problems.add("flow ends before it starts: " + f);
            }
        }
        return problems;
    }

    /** Parses the page as XML (the report is written as polyglot HTML); returns the parser's message or null. */
    public static String htmlProblem(String html) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
            return null;
        } catch (Exception e) {
            return e.getMessage();
        }
    }
}
