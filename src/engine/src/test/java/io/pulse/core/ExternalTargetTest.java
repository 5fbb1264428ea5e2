package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.ScriptedCore.Asked;
import io.pulse.core.Transition.Reason;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Targets the driver probes itself (HTTP, TCP): the same state machine, no indirect probes. */
class ExternalTargetTest {
    private static final long MS = 1_000_000L;
    private static final NodeId WEB = NodeId.parse("web-1:8080");

    private ScriptedCore s;

    @BeforeEach
    void oneExternalAndTwoPulseTargets() {
        s = new ScriptedCore(ScriptedCore.exactConfig(), 1);
        s.core.addExternalTarget(WEB, TargetOptions.defaults());
        s.add(1);
        s.add(2);
        s.core.startProbing();
    }

    /** Runs, answering the pulse targets, and the external one with {@code answer} for each ask. */
    private void run(Duration duration, java.util.function.Function<Asked, ProbeResult> answer) {
        long until = s.clock.monotonicNanos() + duration.toNanos();
        int answered = s.asked.size();
        while (true) {
            s.runAnswering(Duration.ZERO, java.util.Set.of());
            while (answered < s.asked.size()) {
                ProbeResult result = answer.apply(s.asked.get(answered++));
                if (result != null) {
                    s.core.onProbeResult(result);
                }
            }
            long next = s.core.nextDeadlineNanos();
            if (next > until) {
                break;
            }
            s.clock.advanceTo(next);
            s.core.tick();
        }
        s.clock.advanceTo(until);
    }

    @Test
    void aSuccessfulProbeWithPeerTimeGivesRttAndClockOffset() {
        // RTT 4 ms, and the peer's clock 30 ms ahead: peer time = t0 + 2 ms + 30 ms.
        run(
                Duration.ofSeconds(1),
                ask -> ProbeResult.successWithPeerTime(ask.sequence(), 4 * MS, s.clock.epochNanos() + 32 * MS));
        NodeStatus status = s.core.status(WEB);
        assertEquals(Liveness.ALIVE, status.state());
        assertEquals(NodeStatus.ProbeKind.EXTERNAL, status.kind());
        assertEquals(Duration.ofMillis(4), status.srtt());
        assertEquals(Duration.ofMillis(30), status.clockOffset());
        assertEquals(Duration.ofMillis(2), status.clockOffsetError());
        assertEquals(0, status.incarnation());
        assertEquals(Duration.ofMillis(100), s.asked.get(0).timeout());
    }

    @Test
    void failedProbesRetryThenSuspectThenDeadWithoutIndirectProbes() {
        run(Duration.ofSeconds(2), ask -> ProbeResult.success(ask.sequence(), MS));
        int from = s.asked.size();
        int sentFrom = s.sent.size();
        run(Duration.ofSeconds(3), ask -> ProbeResult.failure(ask.sequence(), "HTTP 500"));

        List<Long> firstRound =
                s.asked.subList(from, from + 3).stream().map(Asked::atNanos).collect(Collectors.toList());
        assertEquals(
                List.of(0L, 100 * MS, 166_666_666L),
                firstRound.stream().map(t -> t - firstRound.get(0)).collect(Collectors.toList()),
                "a probe, then two retries");
        assertEquals(0, s.sentOfType(Message.PingReq.class, sentFrom).size(), "no relay for an external target");

        List<Reason> reasons = s.changes.stream()
                .filter(c -> c.node().equals(WEB))
                .map(Transition::reason)
                .collect(Collectors.toList());
        assertEquals(List.of(Reason.FIRST_CONTACT, Reason.PROBE_ROUND_FAILED, Reason.SUSPICION_TIMEOUT), reasons);
        assertEquals(1, s.failures.size());
        assertEquals(WEB, s.failures.get(0).node());
        assertEquals(List.of(), s.failures.get(0).indirectPeers());
        assertEquals("HTTP 500", s.core.status(WEB).lastError());

        run(Duration.ofSeconds(6), ask -> ProbeResult.success(ask.sequence(), MS));
        assertEquals(Reason.RECOVERED, s.lastChange().reason());
        assertNull(s.core.status(WEB).lastError());
    }

    @Test
    void aSilentDriverIsATimeout() {
        run(Duration.ofSeconds(2), ask -> ProbeResult.success(ask.sequence(), MS));
        run(Duration.ofSeconds(3), ask -> null);
        assertEquals(Liveness.DEAD, s.core.status(WEB).state());
    }

    @Test
    void aResultForNoProbeIsCounted() {
        s.core.onProbeResult(ProbeResult.success(424242, MS));
        assertEquals(1, s.core.counters().unmatchedProbeResults());
        assertEquals(Liveness.PENDING, s.core.status(WEB).state());
    }

    @Test
    void externalTargetsAreNeverAskedToRelay() {
        run(Duration.ofSeconds(2), ask -> ProbeResult.success(ask.sequence(), MS));
        int from = s.sent.size();
        s.runAnswering(Duration.ofSeconds(5), java.util.Set.of(ScriptedCore.address(1)));
        List<ScriptedCore.Sent> requests = s.sentOfType(Message.PingReq.class, from);
        assertTrue(!requests.isEmpty());
        assertTrue(requests.stream().allMatch(r -> r.to().equals(ScriptedCore.address(2))), requests.toString());
    }

    @Test
    void aFailureNeedsAnError() {
        assertThrows(NullPointerException.class, () -> ProbeResult.failure(1, null));
    }
}
