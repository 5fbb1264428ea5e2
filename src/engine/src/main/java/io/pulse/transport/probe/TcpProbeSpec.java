package io.pulse.transport.probe;

import io.pulse.core.NodeId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What to probe over TCP: a connect, and optionally bytes to send and the prefix the reply must
 * start with. The RTT is the connect time.
 *
 * <pre>{@code
 * engine.addTcpTarget(TcpProbeSpec.of("db-1.internal:5432"), TargetOptions.defaults());
 * engine.addTcpTarget(TcpProbeSpec.builder("10.0.0.9", 6379)
 *         .send("PING\r\n".getBytes(StandardCharsets.US_ASCII))
 *         .expectPrefix("+PONG".getBytes(StandardCharsets.US_ASCII))
 *         .build(), TargetOptions.defaults());
 * }</pre>
 *
 * @param host         an IP address or a DNS name (resolved when the target is added, looked up again by the engine)
 * @param timeout      caps the timeout of each attempt, or {@code null} for the detector's
 * @param send         bytes written once connected; empty for none
 * @param expectPrefix what the reply must start with; empty to succeed on connect (after
 *                     {@code send}, if any, is written)
 */
public record TcpProbeSpec(String host, int port, Duration timeout, byte[] send, byte[] expectPrefix) {
    public static final int MAX_PAYLOAD_BYTES = 4096;

    public TcpProbeSpec {
        NodeId.of(host, port); // checks host and port, with the messages NodeId gives
        if (timeout != null && timeout.compareTo(HttpProbeSpec.MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException(
                    "timeout must be >= 1 ms (or null for the detector's), got " + timeout.toMillis() + " ms");
        }
        send = checkPayload("send", send).clone();
        expectPrefix = checkPayload("expectPrefix", expectPrefix).clone();
    }

    /** Connect-only probe of {@code host:port} ({@code [ipv6]:port} for IPv6). */
    public static TcpProbeSpec of(String hostPort) {
        NodeId id = NodeId.parse(hostPort);
        return builder(id.host(), id.port()).build();
    }

    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** The node id used when the caller gives none: {@code host:port}. */
    public NodeId defaultNodeId() {
        return NodeId.of(host, port);
    }

    @Override
    public byte[] send() {
        return send.clone();
    }

    @Override
    public byte[] expectPrefix() {
        return expectPrefix.clone();
    }

    byte[] sendUnsafe() {
        return send;
    }

    byte[] expectPrefixUnsafe() {
        return expectPrefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpProbeSpec other
                && host.equals(other.host)
                && port == other.port
                && Objects.equals(timeout, other.timeout)
                && Arrays.equals(send, other.send)
                && Arrays.equals(expectPrefix, other.expectPrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, timeout, Arrays.hashCode(send), Arrays.hashCode(expectPrefix));
    }

    @Override
    public String toString() {
        return "TcpProbeSpec[" + defaultNodeId() + ", timeout=" + timeout + ", send="
                + HexFormat.of().formatHex(send) + ", expectPrefix="
                + HexFormat.of().formatHex(expectPrefix) + "]";
    }

    private static byte[] checkPayload(String name, byte[] bytes) {
        Objects.requireNonNull(bytes, name);
        if (bytes.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(
                    name + " must be at most " + MAX_PAYLOAD_BYTES + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    /**
     * Builds a {@link TcpProbeSpec}; each setter checks its own argument.
     *
     * <pre>{@code
     * TcpProbeSpec spec = TcpProbeSpec.builder("10.0.0.9", 22).expectPrefix("SSH-").build();
     * }</pre>
     */
    public static final class Builder {
        private final String host;
        private final int port;
        private Duration timeout;
        private byte[] send = new byte[0];
        private byte[] expectPrefix = new byte[0];

        private Builder(String host, int port) {
            NodeId.of(host, port);
            this.host = host;
            this.port = port;
        }

        /** Caps each attempt's timeout; default none (the detector's adaptive timeout). */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            if (value.compareTo(HttpProbeSpec.MIN_TIMEOUT) < 0) {
                throw new IllegalArgumentException(
                        "timeout must be >= 1 ms (or null for the detector's), got " + value.toMillis() + " ms");
            }
            this.timeout = value;
            return this;
        }

        public Builder send(byte[] bytes) {
            this.send = checkPayload("send", bytes).clone();
            return this;
        }

        /** {@link #send(byte[])} of the US-ASCII bytes of {@code text}. */
        public Builder send(String text) {
            return send(Objects.requireNonNull(text, "send").getBytes(StandardCharsets.US_ASCII));
        }

        public Builder expectPrefix(byte[] bytes) {
            this.expectPrefix = checkPayload("expectPrefix", bytes).clone();
            return this;
        }

        /** {@link #expectPrefix(byte[])} of the US-ASCII bytes of {@code text}. */
        public Builder expectPrefix(String text) {
            return expectPrefix(Objects.requireNonNull(text, "expectPrefix").getBytes(StandardCharsets.US_ASCII));
        }

        public TcpProbeSpec build() {
            return new TcpProbeSpec(host, port, timeout, send, expectPrefix);
        }
    }
}
