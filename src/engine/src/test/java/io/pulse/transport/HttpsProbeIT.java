package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.TargetOptions;
import io.pulse.testkit.SelfSignedPem;
import io.pulse.transport.health.HealthHandlerAccess;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.ProbeCounters;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS probes against a self-signed certificate: trusted through a PEM file, or not trusted at all. */
class HttpsProbeIT extends ExternalProbeFixture {
    @TempDir
    static Path dir;

    static SelfSignedPem forLoopback;
    static SelfSignedPem forAnotherHost;

    @BeforeAll
    static void makeCertificates() {
        forLoopback = SelfSignedPem.create(dir, "loopback", "EC");
        forAnotherHost = SelfSignedPem.create(dir, "another-host", "EC", "dns:pulse.invalid");
    }

    /** The server's side, from the PEM files as an operator's would be. */
    static SslContext serverContext(SelfSignedPem pem) throws Exception {
        return SslContextBuilder.forServer(
                        pem.certFile().toFile(), pem.keyFile().toFile())
                .sslProvider(SslProvider.JDK)
                .build();
    }

    @Test
    void aTrustedSelfSignedServerIsAliveOnOneKeptAliveConnection() throws Exception {
        TestServer server = server(TestServer.health(serverContext(forLoopback)));
        NodeId id = monitor.addHttpTarget(
                HttpProbeSpec.builder()
                        .endpoint(server.url("https", "/health"))
                        .trustedCertificates(forLoopback.certFile())
                        .build(),
                TargetOptions.defaults());
        awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK);
        awaitProbes(id, 5);
        ProbeCounters c = quiesce();

        NodeStatus s = monitor.status(id);
        assertNull(s.lastError());
        assertNotNull(s.srtt());
        assertNotNull(s.clockOffset());
        assertConnectionAccounting(c, server);
        assertKeptAlive(c);
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void theClockOffsetIsTakenFromTheRequestNotFromTheConnect() throws Exception {
        // Every probe connects anew (Connection: close) and waits 60 ms for its TLS handshake before
        // it can write. Timed from the core's request instead of the write, the same clock would
        // look 60 ms ahead with an error bound under a millisecond.
        Duration handshakeDelay = Duration.ofMillis(60);
        TestServer server = server(TestServer.https(serverContext(forLoopback), handshakeDelay, () -> {
            var response = TestServer.response(
                    200,
                    "application/json",
                    HealthHandlerAccess.body(true, io.pulse.core.Clock.system().epochNanos()));
            io.netty.handler.codec.http.HttpUtil.setKeepAlive(response, false);
            return response;
        }));
        NodeId id = monitor.addHttpTarget(
                HttpProbeSpec.builder()
                        .endpoint(server.url("https", "/health"))
                        .trustedCertificates(forLoopback.certFile())
                        .build(),
                TargetOptions.defaults());
        awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK);
        awaitProbes(id, 5);
        ProbeCounters c = quiesce();

        NodeStatus s = monitor.status(id);
        assertEquals(c.httpProbes(), c.connectionsOpened(), "a new connection, and handshake, for every probe");
        // The error bound is half the least RTT sample: under 30 ms, so RTTs leave the handshake out
        // (SRTT itself may still carry a cold JVM's first samples).
        assertTrue(s.clockOffsetError().compareTo(handshakeDelay.dividedBy(2)) < 0, s.toString());
        assertTrue(
                s.clockOffset().abs().compareTo(s.clockOffsetError().plus(Duration.ofMillis(1))) <= 0,
                "same clock, so |offset| <= its error bound: " + s);
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void anUntrustedCertificateIsATlsFailureAndDead() throws Exception {
        TestServer server = server(TestServer.health(serverContext(forLoopback)));
        String url = server.url("https", "/health");
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(url), TargetOptions.defaults()); // the JVM's trust store
        awaitState(id, Liveness.DEAD, DEAD_WITHIN);
        ProbeCounters c = quiesce();

        assertEquals(
                url + ": TLS handshake failed: unable to find valid certification path to requested target",
                monitor.status(id).lastError());
        assertEquals(0, c.succeeded());
        assertEquals(0, c.connectionsReused());
        assertEquals(server.accepted(), c.connectionsOpened());
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        TestServer server = server(TestServer.health(serverContext(forAnotherHost)));
        String url = server.url("https", "/health");
        NodeId id = monitor.addHttpTarget(
                HttpProbeSpec.builder()
                        .endpoint(url)
                        .trustedCertificates(forAnotherHost.certFile())
                        .build(),
                TargetOptions.defaults());
        awaitState(id, Liveness.DEAD, DEAD_WITHIN);
        quiesce();

        assertEquals(
                url + ": TLS handshake failed: No subject alternative names matching IP address 127.0.0.1 found",
                monitor.status(id).lastError());
        assertRemovalLeavesNoConnection(id, server);
    }
}
