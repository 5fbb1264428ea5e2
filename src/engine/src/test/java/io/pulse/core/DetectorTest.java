package io.pulse.core;

import static io.pulse.core.ScriptedCore.address;
import static io.pulse.core.ScriptedCore.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.ScriptedCore.Sent;
import io.pulse.core.Transition.Reason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The detector's transitions, scripted on a manual clock with {@link ScriptedCore#exactConfig()}. */
class DetectorTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress SILENT = address(1);

    private ScriptedCore s;

    @BeforeEach
    void fiveAliveTargets() {
        s = ScriptedCore.withAliveTargets(5, 99);
    }

    @Test
    void theFirstAckMakesEachPendingNodeAlive() {
        ScriptedCore fresh = new ScriptedCore(ScriptedCore.exactConfig(), 99);
        fresh.add(1);
        fresh.add(2);
        fresh.core.startProbing();
        fresh.runAnswering(Duration.ofSeconds(1), Set.of());

        assertEquals(2, fresh.changes.size());
        for (Transition change : fresh.changes) {
            assertEquals(Liveness.PENDING, change.previous());
            assertEquals(Liveness.ALIVE, change.current());
            assertEquals(Reason.FIRST_CONTACT, change.reason());
            assertEquals(1, change.incarnation());
        }
        NodeStatus status = fresh.core.status(id(1));
        assertEquals(Liveness.ALIVE, status.state());
        assertEquals(1, status.totalProbes());
        assertEquals(0, status.lostProbes());
        assertNotNull(status.firstContact());
        assertEquals(status.firstContact(), status.lastContact());
    }

    @Test
    void aSilentNodeGoesThroughRetriesAndIndirectProbesToSuspectThenDead() {
        Sent ping = s.awaitPing(SILENT, Duration.ofSeconds(2));
        long t = ping.atNanos();
        int from = s.sent.indexOf(ping);
        long probesBefore = s.core.status(id(1)).totalProbes() - 1;
        s.runAnswering(Duration.ofMillis(299), Set.of(SILENT));

        // The direct PING, then at +100 ms (the probe timeout) PING_REQ to 3 distinct peers and
        // the first retry, then the second retry a third of the indirect window later.
        List<Sent> pings = s.sentOfType(Message.Ping.class, from).stream()
                .filter(x -> x.to().equals(SILENT))
                .collect(Collectors.toList());
        assertEquals(
                List.of(t, t + 100 * MS, t + 100 * MS + 66_666_666),
                pings.stream().map(Sent::atNanos).collect(Collectors.toList()));
        List<Sent> requests = s.sentOfType(Message.PingReq.class, from);
        assertEquals(3, requests.size());
        assertEquals(3, requests.stream().map(Sent::to).distinct().count());
        for (Sent request : requests) {
            assertEquals(t + 100 * MS, request.atNanos());
            assertTrue(!request.to().equals(SILENT));
            assertEquals(SILENT, ((Message.PingReq) request.message()).target());
            assertEquals(Duration.ofMillis(100), ((Message.PingReq) request.message()).timeout());
        }
        assertTrue(s.changes.isEmpty(), "still ALIVE until the round's end: " + s.changes);

        s.runAnswering(Duration.ofMillis(1), Set.of(SILENT)); // t + 300 ms: the round ends unanswered
        Transition suspect = s.lastChange();
        assertEquals(
                List.of(Liveness.ALIVE, Liveness.SUSPECT, Reason.PROBE_ROUND_FAILED),
                List.of(suspect.previous(), suspect.current(), suspect.reason()));
        assertEquals(s.clock.now(), suspect.at());
        NodeStatus status = s.core.status(id(1));
        assertEquals(3, status.lostProbes());

        // Suspect rounds run back to back; the suspicion timeout (t + 1300) falls inside the round
        // of t + 1200, which is waited for: DEAD at t + 1500.
        s.runAnswering(Duration.ofMillis(1_199), Set.of(SILENT));
        assertEquals(1, s.changes.size());
        assertTrue(s.failures.isEmpty());
        s.runAnswering(Duration.ofMillis(1), Set.of(SILENT));
        assertEquals(t + 1_500 * MS, s.clock.monotonicNanos());
        Transition dead = s.lastChange();
        assertEquals(
                List.of(Liveness.SUSPECT, Liveness.DEAD, Reason.SUSPICION_TIMEOUT),
                List.of(dead.previous(), dead.current(), dead.reason()));

        assertEquals(1, s.failures.size());
        NodeFailure failure = s.failures.get(0);
        assertEquals(id(1), failure.node());
        assertEquals(Liveness.DEAD, failure.state());
        assertEquals(1, failure.incarnation());
        assertEquals(2, failure.retryAttempts());
        assertEquals(3, failure.indirectPeers().size());
        assertTrue(failure.indirectPeers().stream().noneMatch(id(1)::equals));
        assertEquals(s.clock.now(), failure.detectedAt());
        assertNotNull(failure.initialContact());
        assertTrue(failure.lastContact().isBefore(failure.detectedAt()));
        // Five rounds (t, +300, +600, +900, +1200) of three PINGs each, all lost.
        assertEquals(
                15,
                s.sentOfType(Message.Ping.class, from).stream()
                        .filter(x -> x.to().equals(SILENT))
                        .count());
        assertEquals(probesBefore + 15, failure.totalProbes());
        assertEquals(15, failure.lostProbes());

        // DEAD nodes are probed every deadProbeInterval from the start of the last round.
        int afterDead = s.sent.size();
        Sent next = s.awaitPing(SILENT, Duration.ofSeconds(10));
        assertEquals(t + 1_200 * MS + 5_000 * MS, next.atNanos());
        assertEquals(1, s.sentTo(SILENT, afterDead).size());
    }

    @Test
    void indirectProbesGoOnlyToAlivePeersThatAreStillWatched() {
        // 1 and 2 go silent and become SUSPECT, 3 is removed: 4 and 5 are the only ALIVE peers left.
        s.runAnswering(Duration.ofMillis(1_100), Set.of(SILENT, address(2)));
        assertEquals(Liveness.SUSPECT, s.core.status(id(1)).state());
        assertEquals(Liveness.SUSPECT, s.core.status(id(2)).state());
        s.core.remove(id(3));
        int from = s.sent.size();
        s.runAnswering(Duration.ofSeconds(3), Set.of(SILENT, address(2)));

        List<Sent> requests = s.sentOfType(Message.PingReq.class, from);
        assertTrue(requests.size() >= 4, "rounds of 1 and 2 each ask peers: " + requests);
        for (Sent request : requests) {
            assertTrue(Set.of(address(4), address(5)).contains(request.to()), request.toString());
        }
        // Each failed round asks both ALIVE peers, once each: fewer than k=3 are there.
        assertEquals(
                requests.stream().filter(r -> r.to().equals(address(4))).count(),
                requests.stream().filter(r -> r.to().equals(address(5))).count());
    }

    @Test
    void aNodeReachableOnlyThroughPeersStaysAlive() {
        NodeStatus before = s.core.status(id(1));
        s.runAnswering(Duration.ofSeconds(30), Set.of(), Set.of(SILENT));
        assertTrue(s.changes.isEmpty(), s.changes.toString());
        NodeStatus status = s.core.status(id(1));
        assertEquals(Liveness.ALIVE, status.state());
        // About 30 rounds, each a PING and at least one retry before a relayed ACK: all lost.
        assertTrue(status.lostProbes() >= 60, "every direct PING is lost: " + status);
        assertEquals(before.totalProbes(), status.totalProbes() - status.lostProbes());
    }

    @Test
    void aSuspectThatAnswersIsAliveAgain() {
        runUntilState(Liveness.SUSPECT);
        s.runAnswering(Duration.ofSeconds(1), Set.of());
        Transition refuted = s.lastChange();
        assertEquals(
                List.of(Liveness.SUSPECT, Liveness.ALIVE, Reason.REFUTED),
                List.of(refuted.previous(), refuted.current(), refuted.reason()));
        assertTrue(s.failures.isEmpty());
        s.runAnswering(Duration.ofSeconds(10), Set.of());
        assertEquals(2, s.changes.size());
    }

    @Test
    void aLateAckForAFailedRoundRefutesTheSuspicion() {
        Sent ping = s.awaitPing(SILENT, Duration.ofSeconds(2));
        runUntilState(Liveness.SUSPECT);
        s.ack(SILENT, (Message.Ping) ping.message(), 1);
        assertEquals(Reason.REFUTED, s.lastChange().reason());
    }

    @Test
    void aDeadNodeThatAnswersAgainHasRecovered() {
        runUntilState(Liveness.DEAD);
        s.runAnswering(Duration.ofSeconds(6), Set.of());
        Transition recovered = s.lastChange();
        assertEquals(
                List.of(Liveness.DEAD, Liveness.ALIVE, Reason.RECOVERED),
                List.of(recovered.previous(), recovered.current(), recovered.reason()));
        // Back on the normal interval: about one PING a second.
        int from = s.sent.size();
        s.runAnswering(Duration.ofSeconds(10), Set.of());
        int pings = s.sentTo(SILENT, from).size();
        assertTrue(pings >= 9 && pings <= 11, "pings in 10 s: " + pings);
    }

    @Test
    void aHigherIncarnationIsARestart() {
        s.incarnations.put(SILENT, 2L);
        s.runAnswering(Duration.ofSeconds(2), Set.of());
        assertEquals(1, s.changes.size());
        Transition restart = s.changes.get(0);
        assertEquals(
                List.of(Liveness.ALIVE, Liveness.ALIVE, Reason.RESTARTED, 2L),
                List.of(restart.previous(), restart.current(), restart.reason(), restart.incarnation()));
        assertEquals(2, s.core.status(id(1)).incarnation());
    }

    @Test
    void anAckFromTheWrongAddressIsIgnored() {
        Sent ping = s.awaitPing(SILENT, Duration.ofSeconds(2));
        s.ack(address(2), (Message.Ping) ping.message(), 1);
        assertEquals(1, s.core.counters().misaddressedAcks());
        s.runAnswering(Duration.ofMillis(400), Set.of(SILENT));
        assertEquals(Liveness.SUSPECT, s.core.status(id(1)).state());
    }

    @Test
    void duplicateAndUnknownIdsGetDistinctErrors() {
        DuplicateNodeException sameId = assertThrows(
                DuplicateNodeException.class, () -> s.core.addTarget(id(1), address(77), TargetOptions.defaults()));
        assertEquals("node 10.0.0.1:7946 is already watched", sameId.getMessage());
        DuplicateNodeException sameAddress = assertThrows(
                DuplicateNodeException.class,
                () -> s.core.addTarget(NodeId.of("db-1", 7946), address(1), TargetOptions.defaults()));
        assertEquals("node db-1:7946 has the address /10.0.0.1:7946 of 10.0.0.1:7946", sameAddress.getMessage());
        UnknownNodeException unknown = assertThrows(UnknownNodeException.class, () -> s.core.status(id(9)));
        assertEquals("node 10.0.0.9:7946 is not watched", unknown.getMessage());
        assertThrows(UnknownNodeException.class, () -> s.core.remove(id(9)));
        assertThrows(UnknownNodeException.class, () -> s.core.resetStatistics(id(9)));
    }

    @Test
    void aRemovedNodeIsNoLongerProbed() {
        s.core.remove(id(1));
        assertEquals(List.of(id(1)), s.removed);
        int from = s.sent.size();
        s.runAnswering(Duration.ofSeconds(5), Set.of());
        assertTrue(s.sentTo(SILENT, from).isEmpty());
        assertEquals(4, s.core.statusAll().size());
        s.core.removeAll();
        assertEquals(5, s.removed.size());
        assertEquals(0, s.core.targetCount());
    }

    @Test
    void stoppedProbingSendsNothingAndKeepsState() {
        s.core.stopProbing();
        int from = s.sent.size();
        s.advance(Duration.ofSeconds(10));
        assertEquals(from, s.sent.size());
        assertEquals(Liveness.ALIVE, s.core.status(id(1)).state());
        s.core.startProbing();
        s.runAnswering(Duration.ofSeconds(1), Set.of());
        assertEquals(5, s.sentOfType(Message.Ping.class, from).size());
    }

    @Test
    void statisticsCountAndReset() {
        NodeStatus before = s.core.status(id(1));
        assertTrue(before.totalProbes() >= 2);
        assertEquals(0, before.lostProbes());
        assertEquals(Duration.ZERO, before.srtt());
        assertEquals(Duration.ofMillis(100), before.probeTimeout());
        assertEquals(Duration.ZERO, before.clockOffset());
        s.core.resetStatistics(id(1));
        NodeStatus after = s.core.status(id(1));
        assertEquals(0, after.totalProbes());
        assertNull(after.srtt());
        assertNull(after.clockOffset());
        assertEquals(Liveness.ALIVE, after.state());
        assertEquals(before.firstContact(), after.firstContact());
    }

    @Test
    void perTargetIntervalAndRetriesOverrideTheDefaults() {
        ScriptedCore fresh = new ScriptedCore(ScriptedCore.exactConfig(), 99);
        fresh.core.addTarget(
                id(1),
                address(1),
                TargetOptions.defaults()
                        .withProbeInterval(Duration.ofMillis(250))
                        .withMaxRetries(0));
        fresh.core.startProbing();
        fresh.runAnswering(Duration.ofSeconds(10), Set.of());
        int pings = fresh.sentTo(address(1), 0).size();
        assertTrue(pings >= 39 && pings <= 41, "pings in 10 s at 250 ms: " + pings);

        int from = fresh.sent.size();
        fresh.runAnswering(Duration.ofMillis(600), Set.of(address(1)));
        assertEquals(Liveness.SUSPECT, fresh.core.status(id(1)).state());
        // One PING per round, no retries, no peers to ask: rounds of 300 ms.
        assertEquals(2, fresh.sentTo(address(1), from).size());
    }

    @Test
    void firstProbesAreSpreadOverTheInterval() {
        ScriptedCore fresh = new ScriptedCore(ScriptedCore.exactConfig(), 99);
        for (int i = 1; i <= 200; i++) {
            fresh.add(i);
        }
        fresh.core.startProbing();
        fresh.advance(Duration.ofMillis(1_000));
        // The first PING to each target (timeouts and retries follow, unanswered).
        List<Long> times = fresh.sentOfType(Message.Ping.class, 0).stream()
                .collect(Collectors.toMap(Sent::to, Sent::atNanos, Math::min))
                .values()
                .stream()
                .collect(Collectors.toList());
        assertEquals(200, times.size());
        int[] perTenth = new int[10];
        times.forEach(at -> perTenth[(int) (at / (100 * MS))]++);
        for (int count : perTenth) {
            assertTrue(count >= 5 && count <= 40, "PINGs per 100 ms: " + java.util.Arrays.toString(perTenth));
        }
    }

    private void runUntilState(Liveness state) {
        for (int i = 0; i < 100 && s.core.status(id(1)).state() != state; i++) {
            s.runAnswering(Duration.ofMillis(100), Set.of(SILENT));
        }
        assertEquals(state, s.core.status(id(1)).state());
    }
}
