package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.core.DetectorConfig;
import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.Transition;
import io.pulse.core.Transition.Reason;
import io.pulse.testkit.Eventually;
import io.pulse.transport.probe.ProbeCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A monitor engine with fast timing, the real servers a test starts, and the checks every HTTP and
 * TCP probe test makes: state, counts, and no connection left open.
 */
abstract class ExternalProbeFixture {
    /** FAST, with room for a cold JVM's first HTTP exchange (and TLS handshake) within the probe timeout. */
    static final DetectorConfig PROBES = PulseEngineIT.FAST.toBuilder()
            .probeTimeoutMax(Duration.ofMillis(300))
            .build();

    static final Duration DEAD_WITHIN = PROBES.worstCaseDetection().plus(PulseEngineIT.SLACK);
    static final Duration RECOVERED_WITHIN =
            PROBES.deadProbeInterval().plus(PROBES.maxRoundDuration()).plus(PulseEngineIT.SLACK);

    private final List<AutoCloseable> servers = new ArrayList<>();
    PulseEngine monitor;
    EngineEvents events;

    @BeforeEach
    void startMonitor() {
        monitor = PulseEngine.builder()
                .bind(PulseEngineIT.anyLoopbackPort())
                .config(PROBES)
                .responding(false)
                .start();
        events = new EngineEvents(monitor);
    }

    @AfterEach
    void closeAll() throws Exception {
        monitor.close();
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    <T extends AutoCloseable> T server(T server) {
        servers.add(server);
        return server;
    }

    Transition awaitState(NodeId id, Liveness state, Duration limit) throws InterruptedException {
        return events.awaitChange(c -> c.node().equals(id) && c.current() == state, limit);
    }

    NodeStatus awaitProbes(NodeId id, int probes) throws InterruptedException {
        return Eventually.await(
                probes + " probes of " + id,
                () -> monitor.status(id),
                s -> s.totalProbes() >= probes,
                Duration.ofSeconds(10));
    }

    /** Stops probing and waits until no attempt is in flight, so that the counters are final. */
    ProbeCounters quiesce() throws InterruptedException {
        monitor.stopProbing();
        return Eventually.await(
                "no probe in flight", monitor::probeCounters, c -> c.probesInFlight() == 0, Duration.ofSeconds(5));
    }

    /** Removing the target closes every connection it used, on both sides. */
    void assertRemovalLeavesNoConnection(NodeId id, TestServer server) throws InterruptedException {
        monitor.remove(id);
        Eventually.await(
                "prober connections closed",
                monitor::probeCounters,
                c -> c.openConnections() == 0,
                Duration.ofSeconds(5));
        Eventually.await("server connections closed", server::open, open -> open == 0, Duration.ofSeconds(5));
    }

    List<Reason> reasons(NodeId id) {
        return events.changes.stream()
                .filter(c -> c.node().equals(id))
                .map(Transition::reason)
                .collect(Collectors.toList());
    }

    /** Every attempt ran on a reused connection or a new one; each stale retry took one more new one. */
    static void assertConnectionAccounting(ProbeCounters c, TestServer server) {
        assertEquals(c.httpProbes() + c.staleRetries(), c.connectionsOpened() + c.connectionsReused(), c.toString());
        assertEquals(server.accepted(), c.connectionsOpened(), "the server saw every connection: " + c);
        assertEquals(c.httpProbes(), c.succeeded() + c.failed(), "one result per attempt: " + c);
    }

    /** A server that always answers: one connection kept alive, replaced only after a timeout closed it. */
    static void assertKeptAlive(ProbeCounters c) {
        assertEquals(1 + c.timeouts(), c.connectionsOpened(), c.toString());
    }
}
