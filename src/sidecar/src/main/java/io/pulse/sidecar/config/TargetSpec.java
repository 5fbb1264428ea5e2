package io.pulse.sidecar.config;

import io.pulse.core.NodeId;
import io.pulse.transport.probe.HttpProbeSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * One watched node as written in the configuration: {@code host:port} or {@code udp://host:port}
 * for a Pulse peer, {@code http://...} or {@code https://...} for a health URL, {@code tcp://host:port}
 * for a plain TCP service.
 *
 * <pre>{@code
 * TargetSpec t = TargetSpec.parse("http://10.0.0.8:8080/health");   // kind HTTP
 * }</pre>
 *
 * Parsing checks the syntax only; host names are resolved when the target is added.
 *
 * @param kind how the node is probed
 * @param text the target as configured, e.g. {@code 10.0.0.7:7946} or {@code http://h:8080/health}
 */
public record TargetSpec(Kind kind, String text) {

    /** How a configured target is probed. */
    public enum Kind {
        UDP,
        HTTP,
        TCP
    }

    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED = "host:port, udp://host:port, http(s)://host[:port]/path or tcp://host:port";

    public TargetSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    /** @throws IllegalArgumentException with {@link #EXPECTED} when {@code text} is none of the forms */
    public static TargetSpec parse(String text) {
        String trimmed = text.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = new URI(trimmed);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host in " + trimmed + " (expected: " + EXPECTED + ")");
                }
                HttpProbeSpec.of(trimmed); // the probe's own checks (user info, port, ...), without resolving the host
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + e.getMessage() + " (expected: " + EXPECTED + ")");
            }
            return new TargetSpec(Kind.HTTP, trimmed);
        }
        Kind kind = Kind.UDP;
        String hostPort = trimmed;
        if (lower.startsWith("udp://")) {
            hostPort = trimmed.substring("udp://".length());
        } else if (lower.startsWith("tcp://")) {
            kind = Kind.TCP;
            hostPort = trimmed.substring("tcp://".length());
        } else if (lower.contains("://")) {
            throw new IllegalArgumentException("unknown scheme in " + trimmed + " (expected: " + EXPECTED + ")");
        }
        try {
            NodeId.parse(hostPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (expected: " + EXPECTED + ")");
        }
        return new TargetSpec(kind, hostPort);
    }

    /** The {@code host:port} of a UDP or TCP target. */
    public NodeId nodeId() {
        if (kind == Kind.HTTP) {
            throw new IllegalStateException("an HTTP target's id comes from its URL");
        }
        return NodeId.parse(text);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case UDP, HTTP -> text;
            case TCP -> "tcp://" + text;
        };
    }
}
