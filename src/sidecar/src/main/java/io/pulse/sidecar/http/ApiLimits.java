package io.pulse.sidecar.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTTP API allows a client: how long a connection may sit idle, how long one request may
 * take to arrive, how many connections may be open at once, and the bearer token a request must
 * carry ({@code /health} excepted: orchestrators' liveness probes carry none).
 *
 * <pre>{@code
 * ApiLimits limits = ApiLimits.defaults().withToken("s3cret");
 * ApiServer.start(bind, engine, publisher::stats, PulseMetrics.create(), limits);
 * }</pre>
 *
 * @param idleTimeout    a connection with no request for this long is closed
 * @param requestTimeout a request whose bytes have not all arrived this long after its first is
 *                       closed (a client that trickles headers byte by byte keeps no connection)
 * @param maxConnections connections open at once; one more is closed as soon as it is accepted
 * @param token          the bearer token, or empty for none
 */
public record ApiLimits(Duration idleTimeout, Duration requestTimeout, int maxConnections, Optional<String> token) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 64;

    public ApiLimits {
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("requestTimeout", requestTimeout);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
        Objects.requireNonNull(token, "token");
        if (token.isPresent() && token.get().isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
    }

    public static ApiLimits defaults() {
        return new ApiLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_CONNECTIONS, Optional.empty());
    }

    public ApiLimits withToken(String value) {
        return new ApiLimits(idleTimeout, requestTimeout, maxConnections, Optional.of(value));
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    @Override
    public String toString() {
        return "ApiLimits[idleTimeout=" + idleTimeout + ", requestTimeout=" + requestTimeout + ", maxConnections="
                + maxConnections + ", token=" + (token.isPresent() ? "[redacted]" : "none") + "]";
    }
}
