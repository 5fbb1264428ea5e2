package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.DetectorConfig;
import io.pulse.core.DuplicateNodeException;
import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.RttSample;
import io.pulse.core.TargetOptions;
import io.pulse.core.Transition;
import io.pulse.core.UnknownNodeException;
import io.pulse.testkit.Eventually;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine on real UDP sockets on 127.0.0.1. */
class PulseEngineIT {
    /** Fast timing so that the test takes seconds; the logic is the same as the defaults'. */
    static final DetectorConfig FAST = DetectorConfig.builder()
            .probeInterval(Duration.ofMillis(200))
            .probeTimeoutMin(Duration.ofMillis(100))
            .probeTimeoutMax(Duration.ofMillis(200))
            .suspicionTimeout(Duration.ofMillis(500))
            .deadProbeInterval(Duration.ofMillis(300))
            .build();
    /** Slack for scheduling on a busy 2-core machine, on top of the detector's own bound. */
    static final Duration SLACK = Duration.ofSeconds(2);

    private final List<PulseEngine> engines = new ArrayList<>();

    static InetSocketAddress anyLoopbackPort() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    PulseEngine responder(InetSocketAddress bind) {
        PulseEngine engine =
                PulseEngine.builder().bind(bind).config(FAST).probing(false).start();
        engines.add(engine);
        return engine;
    }

    PulseEngine monitor() {
        PulseEngine engine =
                PulseEngine.builder().bind(anyLoopbackPort()).config(FAST).start();
        engines.add(engine);
        return engine;
    }

    @AfterEach
    void closeAll() {
        engines.forEach(PulseEngine::close);
    }

    @Test
    void aStoppedResponderIsDeclaredDeadAndRecoversWhenItComesBack() throws Exception {
        PulseEngine monitor = monitor();
        EngineEvents events = new EngineEvents(monitor);
        List<PulseEngine> responders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PulseEngine responder = responder(anyLoopbackPort());
            responders.add(responder);
            monitor.addTarget(responder.localId(), TargetOptions.defaults());
        }
        for (PulseEngine responder : responders) {
            events.awaitChange(
                    c -> c.node().equals(responder.localId()) && c.current() == Liveness.ALIVE,
                    FAST.probeInterval().plus(SLACK));
        }
        NodeStatus alive = monitor.status(responders.get(0).localId());
        assertNotNull(alive.srtt());
        // The first samples carry class loading and JIT warm-up; an answered probe is still within the timeout ceiling.
        assertTrue(alive.srtt().compareTo(FAST.probeTimeoutMax()) < 0, "loopback SRTT: " + alive.srtt());
        assertTrue(
                alive.clockOffset().abs().compareTo(alive.clockOffsetError().plus(Duration.ofMillis(1))) <= 0,
                "same clock, so |offset| <= its error bound: " + alive);

        PulseEngine victim = responders.get(2);
        NodeId victimId = victim.localId();
        InetSocketAddress victimAddress = victim.localAddress();
        long oldIncarnation = victim.incarnation();
        Instant stoppedAt = Instant.now();
        victim.close();

        Transition dead = events.awaitChange(
                c -> c.node().equals(victimId) && c.current() == Liveness.DEAD,
                FAST.worstCaseDetection().plus(SLACK));
        Duration took = Duration.between(stoppedAt, dead.at());
        assertTrue(took.compareTo(FAST.worstCaseDetection().plus(SLACK)) <= 0, "detected after " + took);
        NodeFailure failure = events.awaitFailure(f -> true, SLACK); // announced just after the DEAD change
        assertEquals(victimId, failure.node());
        assertEquals(FAST.maxRetries(), failure.retryAttempts());
        // Three peers, unless a starved CPU made another responder SUSPECT at that moment.
        assertTrue(
                failure.indirectPeers().size() >= 1 && failure.indirectPeers().size() <= 3, failure.toString());
        assertEquals(
                failure.indirectPeers().size(),
                Set.copyOf(failure.indirectPeers()).size());
        assertTrue(failure.indirectPeers().stream().noneMatch(victimId::equals));
        assertEquals(1, events.failures.size(), "only the victim failed: " + events.failures);

        // The same address, a new process: a higher incarnation, and DEAD -> ALIVE.
        PulseEngine reborn = PulseEngine.builder()
                .bind(victimAddress)
                .config(FAST)
                .probing(false)
                .incarnation(oldIncarnation + 1)
                .start();
        engines.add(reborn);
        Transition recovered = events.awaitChange(
                c -> c.node().equals(victimId) && c.previous() == Liveness.DEAD && c.current() == Liveness.ALIVE,
                FAST.deadProbeInterval().plus(FAST.maxRoundDuration()).plus(SLACK));
        assertEquals(Transition.Reason.RECOVERED, recovered.reason());
        assertEquals(oldIncarnation + 1, recovered.incarnation());
        assertEquals(
                0,
                events.count(c -> !c.node().equals(victimId) && c.current() == Liveness.DEAD),
                "no other node declared DEAD: " + events.changes);
    }

    @Test
    void aResponderThatStopsAnsweringLooksDeadAndComesBack() throws Exception {
        PulseEngine monitor = monitor();
        EngineEvents events = new EngineEvents(monitor);
        PulseEngine a = responder(anyLoopbackPort());
        PulseEngine b = responder(anyLoopbackPort());
        monitor.addTarget(a.localId(), TargetOptions.defaults());
        monitor.addTarget(b.localId(), TargetOptions.defaults());
        events.awaitChange(c -> c.node().equals(a.localId()) && c.current() == Liveness.ALIVE, SLACK);

        a.stopResponding();
        events.awaitChange(
                c -> c.node().equals(a.localId()) && c.current() == Liveness.DEAD,
                FAST.worstCaseDetection().plus(SLACK));
        a.startResponding();
        Transition back = events.awaitChange(
                c -> c.node().equals(a.localId()) && c.previous() == Liveness.DEAD,
                FAST.deadProbeInterval().plus(FAST.maxRoundDuration()).plus(SLACK));
        assertEquals(Transition.Reason.RECOVERED, back.reason());
        assertEquals(a.incarnation(), back.incarnation());
    }

    @Test
    void aListenerThatThrowsCostsALogLineNotTheEngine() throws Exception {
        PulseEngine monitor = monitor();
        monitor.onStatusChange(change -> {
            throw new AssertionError("a listener's bug");
        });
        EngineEvents events = new EngineEvents(monitor); // registered after the bad one: still told
        PulseEngine a = responder(anyLoopbackPort());
        monitor.addTarget(a.localId(), TargetOptions.defaults());
        events.awaitChange(c -> c.current() == Liveness.ALIVE, SLACK);
        a.stopResponding();
        events.awaitChange(
                c -> c.current() == Liveness.DEAD, FAST.worstCaseDetection().plus(SLACK));
        assertTrue(monitor.listenerErrors() >= 3, "PENDING->ALIVE, ->SUSPECT, ->DEAD each threw once");
    }

    @Test
    void everyAnsweredPingGivesOneRttSampleEvenAfterAListenerThrows() throws Exception {
        PulseEngine monitor = monitor();
        monitor.onRttSample(sample -> {
            throw new AssertionError("a listener's bug");
        });
        List<RttSample> samples = new CopyOnWriteArrayList<>();
        monitor.onRttSample(samples::add);
        EngineEvents events = new EngineEvents(monitor);
        PulseEngine a = responder(anyLoopbackPort());
        NodeId id = monitor.addTarget(a.localId(), TargetOptions.defaults());
        events.awaitChange(
                c -> c.current() == Liveness.ALIVE, FAST.probeInterval().plus(SLACK));
        monitor.stopProbing();

        // Late ACKs still count (and take back a loss), so wait for the last in flight to land.
        NodeStatus status = Eventually.await(
                "one sample per answered PING",
                () -> monitor.status(id),
                s -> s.totalProbes() - s.lostProbes() == samples.size(),
                SLACK);
        assertTrue(samples.size() >= 1, "at least the first ACK: " + samples);
        for (RttSample sample : samples) {
            assertEquals(id, sample.node());
            assertEquals(NodeStatus.ProbeKind.PULSE, sample.kind());
            assertTrue(
                    !sample.rtt().isNegative()
                            && sample.rtt().compareTo(FAST.probeTimeoutMax().plus(SLACK)) < 0,
                    "loopback RTT: " + sample);
        }
        assertEquals(samples.size(), monitor.listenerErrors(), "the bad listener threw once per sample: " + status);
    }

    @Test
    void aClosedSubscriptionHearsNothingMoreAndClosesOnlyItsOwnRegistration() throws Exception {
        PulseEngine monitor = monitor();
        List<Transition> kept = new CopyOnWriteArrayList<>();
        List<Transition> twice = new CopyOnWriteArrayList<>();
        List<Transition> closed = new CopyOnWriteArrayList<>();
        monitor.onStatusChange(kept::add);
        java.util.function.Consumer<Transition> sameListener = twice::add;
        monitor.onStatusChange(sameListener);
        PulseEngine.Subscription second = monitor.onStatusChange(sameListener);
        PulseEngine.Subscription gone = monitor.onStatusChange(closed::add);
        gone.close();
        second.close();
        second.close(); // again: nothing more is removed

        PulseEngine a = responder(anyLoopbackPort());
        monitor.addTarget(a.localId(), TargetOptions.defaults());
        // 'twice' was registered after 'kept', so once it has heard the change, 'kept' has too.
        Eventually.await(
                "ALIVE",
                () -> List.copyOf(twice),
                l -> !l.isEmpty(),
                FAST.probeInterval().plus(SLACK));

        assertEquals(kept, twice, "the registration left open still hears every change, once");
        assertEquals(List.of(), closed);
    }

    @Test
    void theApiReportsDistinctErrorsAndManagesTargets() throws Exception {
        PulseEngine monitor = monitor();
        EngineEvents events = new EngineEvents(monitor);
        PulseEngine a = responder(anyLoopbackPort());
        NodeId id = monitor.addTarget(a.localId().toString());
        assertEquals(
                "node " + id + " is already watched",
                assertThrows(DuplicateNodeException.class, () -> monitor.addTarget(id.toString()))
                        .getMessage());
        NodeId unknown = NodeId.of("127.0.0.1", 9);
        assertEquals(
                "node 127.0.0.1:9 is not watched",
                assertThrows(UnknownNodeException.class, () -> monitor.status(unknown))
                        .getMessage());
        IllegalArgumentException unresolvable =
                assertThrows(IllegalArgumentException.class, () -> monitor.addTarget("no-such-host.invalid:7946"));
        assertTrue(
                unresolvable.getMessage().startsWith("cannot resolve host of node no-such-host.invalid:7946"),
                unresolvable.getMessage());

        events.awaitChange(c -> c.current() == Liveness.ALIVE, SLACK);
        monitor.resetStatistics(id);
        assertTrue(monitor.status(id).totalProbes() <= 1);
        List<NodeId> removed = new ArrayList<>();
        monitor.onRemoved(removed::add);
        monitor.removeAll();
        assertEquals(List.of(id), removed);
        assertTrue(monitor.statusAll().isEmpty());
    }

    @Test
    void resolvesADnsNameOnceWhenATargetIsAdded() throws Exception {
        PulseEngine monitor = monitor();
        EngineEvents events = new EngineEvents(monitor);
        PulseEngine a = responder(anyLoopbackPort());
        NodeId byName = monitor.addTarget("localhost:" + a.localAddress().getPort());
        Transition alive = events.awaitChange(c -> c.current() == Liveness.ALIVE, SLACK);
        assertEquals(byName, alive.node());
        assertEquals("localhost", alive.node().host());
    }

    @Test
    void aDatagramFilterMakesANodeSilentAndLetsItBack() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean silent = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
        PulseEngine a = PulseEngine.builder()
                .bind(anyLoopbackPort())
                .config(FAST)
                .probing(false)
                .datagramFilter((direction, peer) -> {
                    if (silent.get()) {
                        dropped.incrementAndGet();
                        return false;
                    }
                    return true;
                })
                .start();
        engines.add(a);
        PulseEngine monitor = monitor();
        EngineEvents events = new EngineEvents(monitor);
        monitor.addTarget(a.localId(), TargetOptions.defaults());
        events.awaitChange(c -> c.node().equals(a.localId()) && c.current() == Liveness.ALIVE, SLACK);

        silent.set(true); // a still runs and would answer: only its traffic is gone
        events.awaitChange(
                c -> c.node().equals(a.localId()) && c.current() == Liveness.DEAD,
                FAST.worstCaseDetection().plus(SLACK));
        assertTrue(dropped.get() >= 1 + FAST.maxRetries(), "the PINGs of a failed round were dropped: " + dropped);
        assertEquals(0, a.rejects().total(), "dropped datagrams are never decoded");
        silent.set(false);
        Transition back = events.awaitChange(
                c -> c.node().equals(a.localId()) && c.previous() == Liveness.DEAD,
                FAST.deadProbeInterval().plus(FAST.maxRoundDuration()).plus(SLACK));
        assertEquals(Transition.Reason.RECOVERED, back.reason());
    }
}
