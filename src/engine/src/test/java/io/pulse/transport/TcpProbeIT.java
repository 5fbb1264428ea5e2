package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.TargetOptions;
import io.pulse.core.Transition.Reason;
import io.pulse.transport.probe.ProbeCounters;
import io.pulse.transport.probe.TcpProbeSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TCP probes from a real engine: connect time as RTT, refused ports, reply prefixes, no connection left open. */
class TcpProbeIT extends ExternalProbeFixture {

    @Test
    void anOpenPortIsAliveWithTheConnectTimeAsRtt() throws Exception {
        TestServer server = server(TestServer.tcp(new byte[0]));
        NodeId id = monitor.addTcpTarget(TcpProbeSpec.of("127.0.0.1:" + server.port()), TargetOptions.defaults());
        assertEquals(NodeId.of("127.0.0.1", server.port()), id);
        assertEquals(
                Reason.FIRST_CONTACT,
                awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK).reason());
        awaitProbes(id, 5);
        ProbeCounters c = quiesce();

        NodeStatus s = monitor.status(id);
        assertEquals(Liveness.ALIVE, s.state());
        assertNotNull(s.srtt());
        assertNull(s.clockOffset(), "TCP carries no peer time");
        assertEquals(c.tcpProbes(), s.totalProbes());
        assertEquals(0, c.httpProbes());
        assertEquals(c.tcpProbes(), c.succeeded() + c.failed());
        assertEquals(c.timeouts(), c.failed());
        assertEquals(c.tcpProbes(), c.connectionsOpened(), "one connection per probe");
        // stopProbing may cancel a probe whose connect the server accepted before the prober saw it complete
        long accepted = server.accepted();
        assertTrue(
                accepted == c.connectionsOpened() || accepted == c.connectionsOpened() + 1,
                "server accepted " + accepted + ", prober opened " + c.connectionsOpened());
        assertEquals(0, c.openConnections(), "each closed when its probe ended");
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void aClosedPortIsDeadWithConnectionRefused() throws Exception {
        int closed = TestServer.closedPort();
        NodeId id = monitor.addTcpTarget(TcpProbeSpec.of("127.0.0.1:" + closed), TargetOptions.defaults());
        awaitState(id, Liveness.DEAD, DEAD_WITHIN);
        ProbeCounters c = quiesce();

        assertEquals(
                "127.0.0.1:" + closed + ": connection refused",
                monitor.status(id).lastError());
        assertEquals(List.of(Reason.PROBE_ROUND_FAILED, Reason.SUSPICION_TIMEOUT), reasons(id));
        assertEquals(0, c.succeeded());
        assertEquals(c.tcpProbes(), c.failed());
        assertEquals(0, c.timeouts());
        assertEquals(0, c.openConnections());
    }

    @Test
    void aReplyMustStartWithTheExpectedPrefix() throws Exception {
        TestServer server = server(TestServer.tcp("+PONG\r\n".getBytes(StandardCharsets.US_ASCII)));
        NodeId pong = monitor.addTcpTarget(
                TcpProbeSpec.builder("127.0.0.1", server.port())
                        .send("PING\r\n")
                        .expectPrefix("+PONG")
                        .build(),
                TargetOptions.defaults());
        NodeId wrong = monitor.addTcpTarget(
                NodeId.of("expects-ok", server.port()),
                TcpProbeSpec.builder("127.0.0.1", server.port())
                        .send("PING\r\n")
                        .expectPrefix("+OK")
                        .build(),
                TargetOptions.defaults());
        awaitState(pong, Liveness.ALIVE, PulseEngineIT.SLACK);
        awaitState(wrong, Liveness.DEAD, DEAD_WITHIN);
        ProbeCounters c = quiesce();

        assertNull(monitor.status(pong).lastError());
        assertEquals(Liveness.ALIVE, monitor.status(pong).state());
        assertEquals(
                "127.0.0.1:" + server.port() + ": reply does not start with the expected 3 bytes (differs at byte 1)",
                monitor.status(wrong).lastError());
        assertEquals(c.tcpProbes(), c.connectionsOpened());
        assertEquals(server.accepted(), c.connectionsOpened());
        monitor.remove(pong);
        assertRemovalLeavesNoConnection(wrong, server);
    }

    @Test
    void aSilentServerTimesOutWhenAReplyIsExpected() throws Exception {
        TestServer server = server(TestServer.tcp(new byte[0]));
        NodeId id = monitor.addTcpTarget(
                TcpProbeSpec.builder("127.0.0.1", server.port())
                        .expectPrefix("SSH-")
                        .timeout(Duration.ofMillis(40))
                        .build(),
                TargetOptions.defaults());
        awaitState(id, Liveness.DEAD, DEAD_WITHIN);
        ProbeCounters c = quiesce();

        assertEquals(
                "127.0.0.1:" + server.port() + ": timeout after 40 ms",
                monitor.status(id).lastError());
        assertEquals(c.tcpProbes(), c.timeouts());
        assertEquals(server.accepted(), c.connectionsOpened());
        assertRemovalLeavesNoConnection(id, server);
    }
}
