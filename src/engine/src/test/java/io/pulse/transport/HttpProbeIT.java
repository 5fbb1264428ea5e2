package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.TargetOptions;
import io.pulse.core.Transition;
import io.pulse.core.Transition.Reason;
import io.pulse.testkit.Eventually;
import io.pulse.transport.health.HealthHandlerAccess;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.ProbeCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP probes from a real engine to real servers on 127.0.0.1: state, counts, and no connection left open. */
class HttpProbeIT extends ExternalProbeFixture {

    @Test
    void aHealthyServerIsAliveWithRttAndClockOffsetOnOneKeptAliveConnection() throws Exception {
        TestServer server = server(TestServer.health(null));
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(server.url("http", "/health")), TargetOptions.defaults());
        assertEquals(NodeId.of("127.0.0.1", server.port()), id);
        assertEquals(
                Reason.FIRST_CONTACT,
                awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK).reason());
        awaitProbes(id, 6);
        ProbeCounters c = quiesce();

        NodeStatus s = monitor.status(id);
        assertEquals(Liveness.ALIVE, s.state());
        assertEquals(NodeStatus.ProbeKind.EXTERNAL, s.kind());
        assertNull(s.lastError());
        assertEquals(c.httpProbes(), s.totalProbes());
        assertTrue(s.lostProbes() <= c.timeouts(), "only timeouts are lost: " + s + " " + c);
        assertNotNull(s.srtt());
        assertTrue(s.srtt().compareTo(PROBES.probeTimeoutMax()) < 0, "loopback SRTT: " + s.srtt());
        assertNotNull(s.clockOffset(), "the health body's now gives a clock sample");
        assertTrue(
                s.clockOffset().abs().compareTo(s.clockOffsetError().plus(Duration.ofMillis(1))) <= 0,
                "same clock, so |offset| <= its error bound: " + s);
        assertEquals(0, c.invalidHealthBodies());
        assertEquals(0, c.healthNotOk());
        assertEquals(c.timeouts(), c.failed());
        assertConnectionAccounting(c, server);
        assertKeptAlive(c);
        assertEquals(1, c.openConnections());
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void aServerAnswering500IsDeadAndRecoversWhenItAnswers200() throws Exception {
        TestServer server = server(TestServer.http(() -> TestServer.response(500, "text/plain", "down")));
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(server.url("http", "/health")), TargetOptions.defaults());
        awaitState(id, Liveness.DEAD, DEAD_WITHIN);
        assertEquals(List.of(Reason.PROBE_ROUND_FAILED, Reason.SUSPICION_TIMEOUT), reasons(id));
        assertEquals(
                server.url("http", "/health") + ": HTTP 500", monitor.status(id).lastError());
        NodeFailure failure = events.awaitFailure(f -> f.node().equals(id), PulseEngineIT.SLACK);
        assertEquals(PROBES.maxRetries(), failure.retryAttempts());
        assertEquals(List.of(), failure.indirectPeers());
        assertEquals(failure.totalProbes(), failure.lostProbes(), "every probe lost: " + failure);
        assertEquals(0, failure.totalProbes() % (1 + PROBES.maxRetries()), "whole rounds of 3: " + failure);

        server.answer = () -> TestServer.response(
                200,
                "application/json",
                HealthHandlerAccess.body(true, io.pulse.core.Clock.system().epochNanos()));
        Transition back =
                events.awaitChange(c -> c.node().equals(id) && c.previous() == Liveness.DEAD, RECOVERED_WITHIN);
        assertEquals(Reason.RECOVERED, back.reason());
        assertEquals(Liveness.ALIVE, back.current());
        ProbeCounters c = quiesce();
        assertNull(monitor.status(id).lastError());
        assertNotNull(monitor.status(id).clockOffset());
        assertTrue(c.succeeded() >= 1 && c.failed() >= failure.totalProbes(), c.toString());
        assertConnectionAccounting(c, server);
        assertKeptAlive(c);
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void aServerThatNeverAnswersTimesOutOnEveryAttemptAndEachConnectionIsClosed() throws Exception {
        TestServer server = server(TestServer.http(() -> null));
        String url = server.url("http", "/health");
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(url), TargetOptions.defaults());
        NodeId capped = monitor.addHttpTarget(
                NodeId.of("capped", server.port()),
                HttpProbeSpec.builder()
                        .endpoint(url)
                        .timeout(Duration.ofMillis(40))
                        .build(),
                TargetOptions.defaults());
        awaitState(id, Liveness.DEAD, DEAD_WITHIN);
        awaitState(capped, Liveness.DEAD, DEAD_WITHIN);
        ProbeCounters c = quiesce();

        assertEquals(url + ": timeout after 300 ms", monitor.status(id).lastError(), "the ceiling: no RTT sample yet");
        assertEquals(url + ": timeout after 40 ms", monitor.status(capped).lastError(), "the target's own cap");
        assertEquals(monitor.status(id).totalProbes() + monitor.status(capped).totalProbes(), c.httpProbes());
        assertEquals(0, c.succeeded());
        assertEquals(c.httpProbes(), c.timeouts());
        assertEquals(0, c.connectionsReused(), "a timed-out connection is closed, never reused");
        assertConnectionAccounting(c, server);
        assertEquals(0, c.openConnections());
        monitor.remove(capped);
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void aServerThatClosesAtOnceIsDeadWithEveryConnectionClosed() throws Exception {
        TestServer server = server(TestServer.closingAtOnce());
        String url = server.url("http", "/health");
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(url), TargetOptions.defaults());
        awaitState(id, Liveness.DEAD, DEAD_WITHIN);
        ProbeCounters c = quiesce();

        assertEquals(
                url + ": connection closed before the response",
                monitor.status(id).lastError());
        assertEquals(List.of(Reason.PROBE_ROUND_FAILED, Reason.SUSPICION_TIMEOUT), reasons(id));
        assertEquals(0, c.succeeded());
        assertEquals(0, c.timeouts());
        assertEquals(c.httpProbes(), c.failed());
        assertEquals(0, c.connectionsReused());
        assertEquals(0, c.staleRetries(), "only a reused connection is retried");
        assertConnectionAccounting(c, server);
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void invalidJsonWithA200IsHealthyWithoutAClockSampleAndCounted() throws Exception {
        TestServer server = server(TestServer.http(() -> TestServer.response(200, "application/json", "{\"ok\": tru")));
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(server.url("http", "/health")), TargetOptions.defaults());
        assertEquals(
                Reason.FIRST_CONTACT,
                awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK).reason());
        awaitProbes(id, 4);
        ProbeCounters c = quiesce();

        NodeStatus s = monitor.status(id);
        assertEquals(Liveness.ALIVE, s.state());
        assertNotNull(s.srtt());
        assertNull(s.clockOffset(), "no clock sample from an unreadable body");
        assertNull(s.lastError());
        assertEquals(c.succeeded(), c.invalidHealthBodies(), "every answer counted: " + c);
        assertTrue(c.succeeded() >= 4, c.toString());
        assertConnectionAccounting(c, server);
        assertKeptAlive(c);
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void a200ThatSaysOkFalseIsAFailure() throws Exception {
        TestServer server =
                server(TestServer.http(() -> TestServer.response(200, "application/json", "{\"ok\": false}")));
        String url = server.url("http", "/health");
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(url), TargetOptions.defaults());
        awaitState(id, Liveness.DEAD, DEAD_WITHIN);
        ProbeCounters c = quiesce();

        assertEquals(url + ": health says ok=false", monitor.status(id).lastError());
        assertEquals(0, c.succeeded());
        assertEquals(c.failed() - c.timeouts(), c.healthNotOk(), c.toString());
        assertConnectionAccounting(c, server);
        assertKeptAlive(c);
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void aServerThatSaysConnectionCloseGetsANewConnectionForEveryProbe() throws Exception {
        TestServer server = server(TestServer.http(() -> {
            var response = TestServer.response(200, "application/json", "{\"ok\": true}");
            io.netty.handler.codec.http.HttpUtil.setKeepAlive(response, false);
            return response;
        }));
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(server.url("http", "/health")), TargetOptions.defaults());
        awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK);
        awaitProbes(id, 4);
        ProbeCounters c = quiesce();

        assertNull(monitor.status(id).clockOffset(), "no now in the body");
        assertEquals(0, c.connectionsReused(), c.toString());
        assertConnectionAccounting(c, server);
        assertEquals(c.httpProbes(), c.connectionsOpened());
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void aKeptAliveConnectionClosedUnderARequestIsRetriedOnANewOne() throws Exception {
        TestServer server = server(TestServer.answeringOncePerConnection(() -> TestServer.response(
                200,
                "application/json",
                HealthHandlerAccess.body(true, io.pulse.core.Clock.system().epochNanos()))));
        NodeId id = monitor.addHttpTarget(HttpProbeSpec.of(server.url("http", "/health")), TargetOptions.defaults());
        awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK);
        awaitProbes(id, 5);
        ProbeCounters c = quiesce();

        NodeStatus s = monitor.status(id);
        assertEquals(List.of(Reason.FIRST_CONTACT), reasons(id), "never a failed round");
        assertNull(s.lastError());
        assertEquals(c.timeouts(), c.failed(), "a stale connection is no failure: " + c);
        assertEquals(c.connectionsReused(), c.staleRetries(), "every reuse found the connection closed: " + c);
        assertTrue(c.staleRetries() >= 3, c.toString());
        assertConnectionAccounting(c, server);
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void aFailedEndpointMovesTheTargetOnToTheNext() throws Exception {
        int closed = TestServer.closedPort();
        TestServer server = server(TestServer.health(null));
        NodeId id = monitor.addHttpTarget(
                HttpProbeSpec.of("http://127.0.0.1:" + closed + "/health", server.url("http", "/health")),
                TargetOptions.defaults());
        assertEquals(NodeId.of("127.0.0.1", closed), id, "the first endpoint names the node");
        assertEquals(
                Reason.FIRST_CONTACT,
                awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK).reason());
        awaitProbes(id, 5);
        ProbeCounters c = quiesce();

        NodeStatus s = monitor.status(id);
        assertEquals(Liveness.ALIVE, s.state());
        assertEquals(List.of(Reason.FIRST_CONTACT), reasons(id), "the retry went to the second endpoint");
        assertEquals(1, c.failed() - c.timeouts(), "one refused connect, then the second endpoint only: " + c);
        assertNull(s.lastError());
        assertRemovalLeavesNoConnection(id, server);
    }

    @Test
    void closingTheEngineClosesEveryConnection() throws Exception {
        TestServer server = server(TestServer.health(null));
        List<NodeId> ids = new ArrayList<>();
        // One target first, so that the others start on a warm JVM and share its connection.
        ids.add(monitor.addHttpTarget(
                NodeId.of("web-first", server.port()),
                HttpProbeSpec.of(server.url("http", "/health")),
                TargetOptions.defaults()));
        awaitState(ids.get(0), Liveness.ALIVE, PulseEngineIT.SLACK);
        for (int i = 0; i < 20; i++) {
            ids.add(monitor.addHttpTarget(
                    NodeId.of("web-" + i, server.port()),
                    HttpProbeSpec.of(server.url("http", "/health?i=" + i)),
                    TargetOptions.defaults()));
        }
        for (NodeId id : ids) {
            awaitState(id, Liveness.ALIVE, PulseEngineIT.SLACK);
        }
        assertTrue(monitor.probeCounters().openConnections() >= 1);
        monitor.close();
        Eventually.await("server connections closed", server::open, open -> open == 0, Duration.ofSeconds(5));
        assertTrue(
                server.accepted() < ids.size(),
                "targets with one endpoint share kept-alive connections: " + server.accepted() + " for " + ids.size()
                        + " targets");
    }
}
