package io.pulse.sidecar.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What Pulse's HTTP servers (the API, the dashboard) allow a client: how long a connection may sit
 * idle, how long one request may take to arrive, how many connections may be open at once (in all
 * and from one source address), the bearer token a request must carry ({@code /health} excepted:
 * orchestrators' liveness probes carry none), and the certificate they speak TLS with, if any.
 *
 * <pre>{@code
 * ApiLimits limits = ApiLimits.defaults().withToken("s3cret").withTls(ServerTls.fromPem(...));
 * ApiServer.start(bind, engine, publisher::stats, PulseMetrics.create(), limits);
 * }</pre>
 *
 * @param idleTimeout             a connection with no request for this long is closed
 * @param requestTimeout          a request whose bytes have not all arrived this long after its first is
 *                                closed (a client that trickles headers byte by byte keeps no connection)
 * @param maxConnections          connections open at once; one more is closed as soon as it is accepted
 * @param maxConnectionsPerSource connections one source address may hold open at once (at most
 *                                {@code maxConnections} count); one more from it is closed as soon as it is
 *                                accepted, before any TLS handshake or token check
 * @param token                   the bearer token, or empty for none
 * @param tls                     the server's certificate and key, or empty for plain HTTP
 */
public record ApiLimits(
        Duration idleTimeout,
        Duration requestTimeout,
        int maxConnections,
        int maxConnectionsPerSource,
        Optional<String> token,
        Optional<ServerTls> tls) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    /** A quarter of the total: one address (a scanner, a runaway script) leaves room for the others. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 16;

    public ApiLimits {
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("requestTimeout", requestTimeout);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
        if (maxConnectionsPerSource < 1) {
            throw new IllegalArgumentException("maxConnectionsPerSource must be >= 1, got " + maxConnectionsPerSource);
        }
        Objects.requireNonNull(token, "token");
        if (token.isPresent() && token.get().isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        Objects.requireNonNull(tls, "tls");
    }

    public static ApiLimits defaults() {
        return new ApiLimits(
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
                Optional.empty(),
                Optional.empty());
    }

    public ApiLimits withToken(String value) {
        return new ApiLimits(
                idleTimeout, requestTimeout, maxConnections, maxConnectionsPerSource, Optional.of(value), tls);
    }

    public ApiLimits withTls(ServerTls value) {
        return new ApiLimits(
                idleTimeout, requestTimeout, maxConnections, maxConnectionsPerSource, token, Optional.of(value));
    }

    public ApiLimits withMaxConnections(int total, int perSource) {
        return new ApiLimits(idleTimeout, requestTimeout, total, perSource, token, tls);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    @Override
    public String toString() {
        return "ApiLimits[idleTimeout=" + idleTimeout + ", requestTimeout=" + requestTimeout + ", maxConnections="
                + maxConnections + ", maxConnectionsPerSource=" + maxConnectionsPerSource + ", token="
                + (token.isPresent() ? "[redacted]" : "none") + ", tls="
                + tls.map(ServerTls::toString).orElse("none")
                + "]";
    }
}
