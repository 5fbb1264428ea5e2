package io.pulse.core;

import java.util.Objects;

/**
 * A watched node's identifier: {@code host:port}, where host is an IPv4 address, an IPv6
 * address in brackets, or a DNS name.
 *
 * <pre>{@code
 * NodeId a = NodeId.parse("10.0.0.7:7946");
 * NodeId b = NodeId.parse("[::1]:7946");
 * NodeId c = NodeId.of("db-1.internal", 7946);
 * }</pre>
 *
 * The id is the key of every Kafka record about the node, so its text form is stable:
 * {@link #toString()} gives back exactly what {@link #parse} accepts.
 */
public record NodeId(String host, int port) implements Comparable<NodeId> {

    public NodeId {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (host.startsWith("[") || host.endsWith("]")) {
            throw new IllegalArgumentException("host must be given without brackets, got " + host);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
    }

    public static NodeId of(String host, int port) {
        return new NodeId(host, port);
    }

    /** Parses {@code host:port} or {@code [ipv6]:port}. */
    public static NodeId parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("node id must be [ipv6]:port, got \"" + text + "\"");
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException(
                        "node id must be host:port (IPv6 in brackets), got \"" + text + "\"");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number in 1..65535, got \"" + text + "\"");
        }
        return new NodeId(host, port);
    }

    @Override
    public int compareTo(NodeId other) {
        int byHost = host.compareTo(other.host);
        return byHost != 0 ? byHost : Integer.compare(port, other.port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
