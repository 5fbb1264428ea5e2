package io.pulse.core;

/**
 * Thrown when an operation names a node that is not watched.
 *
 * <pre>{@code
 * try { engine.status(id); } catch (UnknownNodeException e) { ... }
 * }</pre>
 */
public final class UnknownNodeException extends IllegalArgumentException {
    private final NodeId node;

    public UnknownNodeException(NodeId node) {
        super("node " + node + " is not watched");
        this.node = node;
    }

    public NodeId node() {
        return node;
    }
}
