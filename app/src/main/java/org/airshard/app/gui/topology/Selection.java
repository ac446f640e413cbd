package org.airshard.app.gui.topology;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What is selected in the editor: nodes (device ids and the server id) and digital links. Immutable.
 * An empty selection means "the topology itself" for the property sheet.
 */
public record Selection(Set<String> nodes, Set<LinkKey> links) {

    public static final Selection EMPTY = new Selection(Set.of(), Set.of());

    public Selection {
        nodes = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(nodes));
        links = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(links));
    }

    public static Selection ofNode(String id) {
        return new Selection(Set.of(id), Set.of());
    }

    public static Selection ofNodes(Set<String> ids) {
        return new Selection(ids, Set.of());
    }

    public static Selection ofLink(LinkKey k) {
        return new Selection(Set.of(), Set.of(k));
    }

    public boolean isEmpty() {
        return nodes.isEmpty() && links.isEmpty();
    }

    public int size() {
        return nodes.size() + links.size();
    }

    public boolean contains(String nodeId) {
        return nodes.contains(nodeId);
    }

    public boolean contains(LinkKey k) {
        return links.contains(k);
    }

    /** This selection with {@code nodeId} added or removed. */
    public Selection toggle(String nodeId) {
        Set<String> n = new LinkedHashSet<>(nodes);
        if (!n.remove(nodeId)) {
            n.add(nodeId);
        }
        return new Selection(n, links);
    }

    public Selection toggle(LinkKey k) {
        Set<LinkKey> l = new LinkedHashSet<>(links);
        if (!l.remove(k)) {
            l.add(k);
        }
        return new Selection(nodes, l);
    }

    public Selection union(Selection other) {
        Set<String> n = new LinkedHashSet<>(nodes);
        n.addAll(other.nodes);
        Set<LinkKey> l = new LinkedHashSet<>(links);
        l.addAll(other.links);
        return new Selection(n, l);
    }
}
