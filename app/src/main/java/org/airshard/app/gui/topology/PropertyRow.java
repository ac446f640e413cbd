package org.airshard.app.gui.topology;

import java.util.List;

/**
 * One row of the property sheet, already formatted for display.
 *
 * @param key      stable key used to apply an edit ({@link TopologyProperties#apply})
 * @param group    section heading (e.g. "Radio", "Compute")
 * @param label    what the value is
 * @param unit     display unit (values are shown and typed in this unit), or empty
 * @param value    current value as text in {@code unit}
 * @param choices  allowed values for a drop-down, or empty for free text
 * @param editable false for derived, read-only values
 * @param path     JSON path of the value in the topology file (validator findings on it are shown inline),
 *                 or empty for derived values
 * @param help     tooltip text: meaning and allowed range
 * @param prompt   hint shown in an empty editor (e.g. what a blank value means), or empty
 */
public record PropertyRow(String key, String group, String label, String unit, String value, List<String> choices,
                          boolean editable, String path, String help, String prompt) {

    public PropertyRow {
        choices = List.copyOf(choices);
        prompt = prompt == null ? "" : prompt;
    }

    public PropertyRow(String key, String group, String label, String unit, String value, List<String> choices,
                       boolean editable, String path, String help) {
        this(key, group, label, unit, value, choices, editable, path, help, "");
    }

    /** Whether a validator finding at {@code issuePath} is about this row's value. */
    public boolean isAbout(String issuePath) {
        if (path.isEmpty() || issuePath == null) {
            return false;
        }
        return issuePath.equals(path) || path.startsWith(issuePath + ".");
    }
}
