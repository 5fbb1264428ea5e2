package io.pulse.transport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.NodeId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Settings are checked when set, with messages that name the setting, the value and what is allowed. */
class HttpProbeSpecTest {

    private static String message(Executable executable) {
        return assertThrows(IllegalArgumentException.class, executable).getMessage();
    }

    @Test
    void defaults() {
        HttpProbeSpec spec = HttpProbeSpec.of("http://10.0.0.7/health", "https://[::1]/health");
        assertEquals(
                List.of(URI.create("http://10.0.0.7/health"), URI.create("https://[::1]/health")), spec.endpoints());
        assertNull(spec.timeout());
        assertNull(spec.trustedCertificates());
        assertTrue(spec.successful(200));
        assertTrue(spec.successful(299));
        assertFalse(spec.successful(300));
        assertFalse(spec.successful(199));
    }

    @Test
    void theDefaultNodeIdIsHostAndPortOfTheFirstEndpoint() {
        assertEquals(
                NodeId.parse("10.0.0.7:80"),
                HttpProbeSpec.of("http://10.0.0.7/health").defaultNodeId());
        assertEquals(
                NodeId.parse("[::1]:443"), HttpProbeSpec.of("https://[::1]/").defaultNodeId());
        assertEquals(
                NodeId.parse("web-1.internal:8080"),
                HttpProbeSpec.of("http://web-1.internal:8080/health", "http://web-2.internal:8080/health")
                        .defaultNodeId());
    }

    @Test
    void endpointsMustBeHttpUrlsWithAHost() {
        assertEquals(
                "endpoint must be an http:// or https:// URL, got \"ftp://x/health\"",
                message(() -> HttpProbeSpec.of("ftp://x/health")));
        assertEquals(
                "endpoint must be an http:// or https:// URL, got \"/health\"",
                message(() -> HttpProbeSpec.of("/health")));
        assertEquals(
                "endpoint must name a host, got \"http:///health\"", message(() -> HttpProbeSpec.of("http:///health")));
        assertEquals(
                "endpoint must not carry user info, got \"http://u:p@x/health\"",
                message(() -> HttpProbeSpec.of("http://u:p@x/health")));
        assertEquals(
                "endpoint port must be in 1..65535, got \"http://x:0/health\"",
                message(() -> HttpProbeSpec.of("http://x:0/health")));
        assertEquals(
                "endpoint must be a URL, got \"http://x/a b\": Illegal character in path",
                message(() -> HttpProbeSpec.of("http://x/a b")));
        assertEquals(
                "endpoints must hold 1..16 URLs, got 0",
                message(() -> HttpProbeSpec.builder().build()));
        HttpProbeSpec.Builder full = HttpProbeSpec.builder();
        for (int i = 0; i < HttpProbeSpec.MAX_ENDPOINTS; i++) {
            full.endpoint("http://10.0.0." + i + "/");
        }
        assertEquals("endpoints must hold 1..16 URLs, got 17", message(() -> full.endpoint("http://10.0.1.1/")));
    }

    @Test
    void timeoutStatusesAndTrust() {
        assertEquals(
                "timeout must be >= 1 ms (or null for the detector's), got 0 ms",
                message(() -> HttpProbeSpec.builder().timeout(Duration.ZERO)));
        assertEquals(
                "successStatuses must be a range within 100..599, got 300..200",
                message(() -> HttpProbeSpec.builder().successStatuses(300, 200)));
        assertEquals(
                "successStatuses must be a range within 100..599, got 200..600",
                message(() -> HttpProbeSpec.builder().successStatuses(200, 600)));
        assertEquals(
                "trustedCertificates must be a readable PEM file, got /no/such/ca.pem",
                message(() -> HttpProbeSpec.builder().trustedCertificates(Path.of("/no/such/ca.pem"))));

        HttpProbeSpec spec = HttpProbeSpec.builder()
                .endpoint("http://x/")
                .timeout(Duration.ofMillis(250))
                .successStatuses(200, 399)
                .build();
        assertEquals(Duration.ofMillis(250), spec.timeout());
        assertTrue(spec.successful(302));
    }
}
