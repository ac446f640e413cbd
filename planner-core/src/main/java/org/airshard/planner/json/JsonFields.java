package org.airshard.planner.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.DoublePredicate;
import org.airshard.planner.topology.ValidationIssue;

/**
 * Reads typed fields from a Jackson tree while collecting every problem with its JSON path, instead of
 * stopping at the first one. A missing or ill-typed required value yields a placeholder (NaN, 0, "") and
 * an error, so that reading can go on and report the rest of the file too.
 */
public final class JsonFields {

    private final List<ValidationIssue> issues = new ArrayList<>();

    /** Problems found so far. */
    public List<ValidationIssue> issues() {
        return issues;
    }

    public void error(String path, String message, String subject) {
        issues.add(ValidationIssue.error(path, message, subject));
    }

    public void warning(String path, String message, String subject) {
        issues.add(ValidationIssue.warning(path, message, subject));
    }

    /** A child object; records an error and returns null when missing (if required) or not an object. */
    public JsonNode object(JsonNode parent, String path, String field, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                error(path + "." + field, "required object is missing", "");
            }
            return null;
        }
        if (!n.isObject()) {
            error(path + "." + field, "expected an object, got " + describe(n), "");
            return null;
        }
        return n;
    }

    /** A child array; records an error and returns null when missing (if required) or not an array. */
    public JsonNode array(JsonNode parent, String path, String field, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                error(path + "." + field, "required array is missing", "");
            }
            return null;
        }
        if (!n.isArray()) {
            error(path + "." + field, "expected an array, got " + describe(n), "");
            return null;
        }
        return n;
    }

    /** A string field; {@code def} when absent (null def = required). */
    public String string(JsonNode parent, String path, String field, String def, String subject) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (def == null) {
                error(path + "." + field, "required text field is missing", subject);
                return "";
            }
            return def;
        }
        if (!n.isTextual()) {
            error(path + "." + field, "expected text, got " + describe(n), subject);
            return def == null ? "" : def;
        }
        return n.textValue();
    }

    /**
     * A finite number; {@code def} when absent (null def = required). {@code rule} is checked when present
     * and {@code ruleText} completes "must be ..." in the message.
     */
    public double number(JsonNode parent, String path, String field, Double def, DoublePredicate rule,
                         String ruleText, String subject) {
        JsonNode n = parent.get(field);
        String p = path + "." + field;
        if (n == null || n.isNull()) {
            if (def == null) {
                error(p, "required number is missing", subject);
                return Double.NaN;
            }
            return def;
        }
        if (!n.isNumber()) {
            error(p, "expected a number, got " + describe(n), subject);
            return Double.NaN;
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            error(p, "number out of range: " + n.asText(), subject);
            return Double.NaN;
        }
        if (rule != null && !rule.test(v)) {
            error(p, "must be " + ruleText + ", got " + fmt(v), subject);
            return Double.NaN;
        }
        return v;
    }

    /** An integer field in [min, max]; {@code def} when absent (null def = required); placeholder 0 on error. */
    public long integer(JsonNode parent, String path, String field, Long def, long min, long max, String subject) {
        JsonNode n = parent.get(field);
        String p = path + "." + field;
        if (n == null || n.isNull()) {
            if (def == null) {
                error(p, "required integer is missing", subject);
                return 0;
            }
            return def;
        }
        if (!n.isNumber()) {
            error(p, "expected an integer, got " + describe(n), subject);
            return 0;
        }
        double d = n.doubleValue();
        if (!n.canConvertToExactIntegral() || !Double.isFinite(d) || Math.abs(d) > 9.0e18) {
            error(p, "expected a whole number, got " + n.asText(), subject);
            return 0;
        }
        long v = n.asLong();
        if (v < min || v > max) {
            error(p, (max == Long.MAX_VALUE ? "must be at least " + min : "must be between " + min + " and " + max)
                    + ", got " + v, subject);
            return 0;
        }
        return v;
    }

    /** A boolean field with a default. */
    public boolean bool(JsonNode parent, String path, String field, boolean def, String subject) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isBoolean()) {
            error(path + "." + field, "expected true or false, got " + describe(n), subject);
            return def;
        }
        return n.booleanValue();
    }

    /** Warns about fields this reader does not know (typos are the usual cause). */
    public void unknownFields(JsonNode obj, String path, Set<String> known, String subject) {
        Iterator<String> it = obj.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!known.contains(f)) {
                warning(path + "." + f, "unknown field '" + f + "' is ignored (known: " + String.join(", ", known) + ")",
                        subject);
            }
        }
    }

    /** A short description of a JSON value for messages. */
    public static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            String t = n.textValue();
            return "text \"" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "\"";
        }
        if (n.isNumber()) {
            return "number " + n.asText();
        }
        if (n.isBoolean()) {
            return "boolean " + n.asText();
        }
        if (n.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.valueOf(v);
    }
}
