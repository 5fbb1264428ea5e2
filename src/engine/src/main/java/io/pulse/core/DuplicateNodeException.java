package io.pulse.core;

/**
 * Thrown when a node is added twice, under the same id or at the same address.
 *
 * <pre>{@code
 * try { engine.addTarget("10.0.0.7:7946"); } catch (DuplicateNodeException e) { ... }
 * }</pre>
 */
public final class DuplicateNodeException extends IllegalArgumentException {
    private final NodeId node;

    public DuplicateNodeException(NodeId node, String why) {
        super("node " + node + " " + why);
        this.node = node;
    }

    public NodeId node() {
        return node;
    }
}
