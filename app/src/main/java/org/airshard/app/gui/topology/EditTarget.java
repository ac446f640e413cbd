package org.airshard.app.gui.topology;

/** What the property sheet edits, derived from the selection. */
public sealed interface EditTarget {

    /** Nothing selected: the topology's own fields (name, model, channel, settings). */
    record Document() implements EditTarget {
    }

    /** The server or one device. */
    record Node(String id) implements EditTarget {
    }

    /** One digital link. */
    record Link(LinkKey key) implements EditTarget {
    }

    /** Several things selected: a read-only summary. */
    record Many(int count) implements EditTarget {
    }

    static EditTarget of(Selection s) {
        if (s.isEmpty()) {
            return new Document();
        }
        if (s.size() > 1) {
            return new Many(s.size());
        }
        if (!s.nodes().isEmpty()) {
            return new Node(s.nodes().iterator().next());
        }
        return new Link(s.links().iterator().next());
    }
}
