package org.airshard.app.gui.topology;

import org.airshard.planner.topology.DigitalLink;

/** Identifies a digital link by its (unordered) endpoints; {@code a} ≤ {@code b} lexicographically. */
public record LinkKey(String a, String b) {

    public LinkKey {
        if (a.compareTo(b) > 0) {
            String t = a;
            a = b;
            b = t;
        }
    }

    public static LinkKey of(DigitalLink l) {
        return new LinkKey(l.from(), l.to());
    }

    public boolean matches(DigitalLink l) {
        return l.joins(a, b);
    }

    public boolean touches(String id) {
        return a.equals(id) || b.equals(id);
    }

    @Override
    public String toString() {
        return a + " \u2194 " + b;
    }
}
