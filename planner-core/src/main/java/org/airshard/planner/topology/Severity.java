package org.airshard.planner.topology;

/** How bad a validation finding is: errors block planning, warnings do not. */
public enum Severity {
    ERROR, WARNING
}
