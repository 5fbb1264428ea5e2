package io.pulse.transport.probe;

import io.pulse.core.NodeId;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to probe over HTTP or HTTPS, and what counts as healthy.
 *
 * <pre>{@code
 * HttpProbeSpec spec = HttpProbeSpec.builder()
 *         .endpoint("https://10.0.0.7:8443/health")
 *         .endpoint("https://10.0.0.8:8443/health")   // tried when the one before fails
 *         .timeout(Duration.ofMillis(300))
 *         .trustedCertificates(Path.of("/etc/pulse/ca.pem"))
 *         .build();
 * engine.addHttpTarget(spec, TargetOptions.defaults());   // node id 10.0.0.7:8443
 * }</pre>
 *
 * <p>Each probe is one {@code GET} of the current endpoint; a failed probe moves the target on to
 * the next endpoint (round robin), a successful one keeps it where it is. A status in
 * {@code [successStatusMin, successStatusMax]} is healthy unless the body is a health document
 * (see {@link io.pulse.transport.health.HealthHandler}) that says {@code "ok": false}.
 *
 * @param endpoints           one or more absolute {@code http://} or {@code https://} URLs
 * @param timeout             caps the timeout of each attempt, or {@code null} for the detector's
 *                            adaptive timeout alone (the smaller of the two applies)
 * @param successStatusMin    lowest healthy status code
 * @param successStatusMax    highest healthy status code
 * @param trustedCertificates a PEM file of the certificates trusted for {@code https://}
 *                            endpoints, or {@code null} for the JVM's default trust store
 */
public record HttpProbeSpec(
        List<URI> endpoints, Duration timeout, int successStatusMin, int successStatusMax, Path trustedCertificates) {
    public static final int MAX_ENDPOINTS = 16;
    public static final int DEFAULT_SUCCESS_STATUS_MIN = 200;
    public static final int DEFAULT_SUCCESS_STATUS_MAX = 299;
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    public HttpProbeSpec {
        Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.isEmpty() || endpoints.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException(
                    "endpoints must hold 1.." + MAX_ENDPOINTS + " URLs, got " + endpoints.size());
        }
        endpoints.forEach(HttpProbeSpec::checkEndpoint);
        endpoints = List.copyOf(endpoints);
        checkTimeout(timeout);
        checkStatuses(successStatusMin, successStatusMax);
    }

    /** A spec with the default settings for {@code urls}. */
    public static HttpProbeSpec of(String... urls) {
        Builder builder = builder();
        for (String url : urls) {
            builder.endpoint(url);
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The node id used when the caller gives none: host and port of the first endpoint. */
    public NodeId defaultNodeId() {
        URI first = endpoints.get(0);
        return NodeId.of(unbracketed(first.getHost()), portOf(first));
    }

    /** The host of each endpoint, without IPv6 brackets: names or addresses. */
    public List<String> hosts() {
        return endpoints.stream().map(url -> unbracketed(url.getHost())).toList();
    }

    /** Whether {@code status} counts as healthy. */
    public boolean successful(int status) {
        return status >= successStatusMin && status <= successStatusMax;
    }

    static int portOf(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static void checkEndpoint(URI uri) {
        Objects.requireNonNull(uri, "endpoint");
        String scheme = uri.getScheme();
        if (!uri.isAbsolute()
                || uri.isOpaque()
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("endpoint must be an http:// or https:// URL, got \"" + uri + "\"");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint must name a host, got \"" + uri + "\"");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("endpoint must not carry user info, got \"" + uri + "\"");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException("endpoint port must be in 1..65535, got \"" + uri + "\"");
        }
    }

    private static void checkTimeout(Duration timeout) {
        if (timeout != null && timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException(
                    "timeout must be >= 1 ms (or null for the detector's), got " + timeout.toMillis() + " ms");
        }
    }

    private static void checkStatuses(int min, int max) {
        if (min < 100 || max > 599 || min > max) {
            throw new IllegalArgumentException(
                    "successStatuses must be a range within 100..599, got " + min + ".." + max);
        }
    }

    /**
     * Builds an {@link HttpProbeSpec}; each setter checks its own argument.
     *
     * <pre>{@code
     * HttpProbeSpec spec = HttpProbeSpec.builder().endpoint("http://10.0.0.7:8080/health")
     *         .successStatuses(200, 399).build();
     * }</pre>
     */
    public static final class Builder {
        private final List<URI> endpoints = new ArrayList<>();
        private Duration timeout;
        private int successStatusMin = DEFAULT_SUCCESS_STATUS_MIN;
        private int successStatusMax = DEFAULT_SUCCESS_STATUS_MAX;
        private Path trustedCertificates;

        private Builder() {}

        /** Adds an endpoint; the first one added is probed first. */
        public Builder endpoint(String url) {
            Objects.requireNonNull(url, "endpoint");
            try {
                return endpoint(new URI(url));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("endpoint must be a URL, got \"" + url + "\": " + e.getReason(), e);
            }
        }

        public Builder endpoint(URI url) {
            checkEndpoint(url);
            if (endpoints.size() == MAX_ENDPOINTS) {
                throw new IllegalArgumentException(
                        "endpoints must hold 1.." + MAX_ENDPOINTS + " URLs, got " + (MAX_ENDPOINTS + 1));
            }
            endpoints.add(url);
            return this;
        }

        /** Caps each attempt's timeout; default none (the detector's adaptive timeout). */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            checkTimeout(value);
            this.timeout = value;
            return this;
        }

        /** The healthy status codes, both ends included. Default 200..299. */
        public Builder successStatuses(int min, int max) {
            checkStatuses(min, max);
            this.successStatusMin = min;
            this.successStatusMax = max;
            return this;
        }

        /** A PEM file of trusted certificates for {@code https://}; default the JVM's trust store. */
        public Builder trustedCertificates(Path pemFile) {
            Objects.requireNonNull(pemFile, "trustedCertificates");
            if (!Files.isReadable(pemFile) || Files.isDirectory(pemFile)) {
                throw new IllegalArgumentException("trustedCertificates must be a readable PEM file, got " + pemFile);
            }
            this.trustedCertificates = pemFile;
            return this;
        }

        public HttpProbeSpec build() {
            return new HttpProbeSpec(endpoints, timeout, successStatusMin, successStatusMax, trustedCertificates);
        }
    }
}
