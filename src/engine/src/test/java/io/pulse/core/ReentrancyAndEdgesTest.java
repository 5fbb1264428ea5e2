package io.pulse.core;

import static io.pulse.core.ScriptedCore.address;
import static io.pulse.core.ScriptedCore.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Listeners that throw or call back into the core, late answers, and configuration extremes:
 * none of them may leave a transition half done or a node unprobed.
 */
class ReentrancyAndEdgesTest {
    private static final InetSocketAddress SILENT = address(1);

    /** A core whose status listener runs a hook; ticks that throw are counted, as a surviving driver would. */
    private static final class Hooked {
        final ManualClock clock = new ManualClock();
        final List<Transition> changes = new ArrayList<>();
        final List<NodeFailure> failures = new ArrayList<>();
        final List<Message> sent = new ArrayList<>();
        Consumer<Transition> hook = change -> {};
        final PulseCore core;

        Hooked(DetectorConfig config) {
            core = new PulseCore(config, clock, 99, new PulseCore.Output() {
                @Override
                public void send(InetSocketAddress to, Message message) {
                    sent.add(message);
                }

                @Override
                public void statusChanged(Transition change) {
                    changes.add(change);
                    hook.accept(change);
                }

                @Override
                public void failed(NodeFailure failure) {
                    failures.add(failure);
                }
            });
        }

        int run(Duration duration) {
            int thrown = 0;
            long until = clock.monotonicNanos() + duration.toNanos();
            while (core.nextDeadlineNanos() <= until) {
                clock.advanceTo(core.nextDeadlineNanos());
                try {
                    core.tick();
                } catch (AssertionError e) {
                    thrown++;
                }
            }
            clock.advanceTo(until);
            return thrown;
        }
    }

    @Test
    void aListenerThatThrowsCannotFreezeANode() {
        Hooked h = new Hooked(ScriptedCore.exactConfig());
        h.core.addTarget(id(1), SILENT, TargetOptions.defaults());
        boolean[] once = {true};
        h.hook = change -> {
            if (change.current() == Liveness.SUSPECT && once[0]) {
                once[0] = false;
                throw new AssertionError("listener bug");
            }
        };
        h.core.startProbing();
        assertEquals(1, h.run(Duration.ofSeconds(2)));
        h.run(Duration.ofSeconds(5));
        assertEquals(Liveness.DEAD, h.core.status(id(1)).state());
        assertEquals(1, h.failures.size());
        assertTrue(h.core.nextDeadlineNanos() < Long.MAX_VALUE, "still probed, at the dead rate");
    }

    @Test
    void stoppingFromAListenerStopsEverything() {
        Hooked h = new Hooked(ScriptedCore.exactConfig());
        h.core.addTarget(id(1), SILENT, TargetOptions.defaults());
        h.hook = change -> {
            if (change.current() == Liveness.SUSPECT) {
                h.core.stopProbing();
            }
        };
        h.core.startProbing();
        h.run(Duration.ofSeconds(10));
        assertFalse(h.core.probing());
        assertEquals(List.of(), h.failures, "no DEAD while probing is stopped");
        assertEquals(Long.MAX_VALUE, h.core.nextDeadlineNanos());
    }

    @Test
    void removingEverythingFromARemovalListenerIsSafe() {
        List<NodeId> removed = new ArrayList<>();
        PulseCore[] core = new PulseCore[1];
        core[0] = new PulseCore(ScriptedCore.exactConfig(), new ManualClock(), 1, new PulseCore.Output() {
            @Override
            public void send(InetSocketAddress to, Message message) {}

            @Override
            public void removed(NodeId node) {
                removed.add(node);
                core[0].removeAll();
            }
        });
        for (int i = 1; i <= 3; i++) {
            core[0].addTarget(id(i), address(i), TargetOptions.defaults());
        }
        core[0].removeAll();
        assertEquals(List.of(id(1), id(2), id(3)), removed);
        assertEquals(0, core[0].targetCount());
    }

    @Test
    void stopAndStartCannotPostponeDead() {
        ScriptedCore s = new ScriptedCore(ScriptedCore.exactConfig(), 1);
        s.add(1);
        s.core.startProbing();
        s.runAnswering(Duration.ofSeconds(2), Set.of());
        while (s.core.status(id(1)).state() != Liveness.SUSPECT) {
            s.runAnswering(Duration.ofMillis(10), Set.of(SILENT));
        }
        long suspectedAt = s.clock.monotonicNanos();
        for (int i = 0; i < 10; i++) { // bounce probing every 200 ms, well inside the 1 s suspicion
            s.core.stopProbing();
            s.core.startProbing();
            s.runAnswering(Duration.ofMillis(200), Set.of(SILENT));
        }
        assertEquals(Liveness.DEAD, s.core.status(id(1)).state());
        Transition dead = s.lastChange();
        long took = dead.at().toEpochMilli()
                - s.clock.now().toEpochMilli()
                + (s.clock.monotonicNanos() - suspectedAt) / 1_000_000;
        assertTrue(took <= 1_000 + 300 + 100, "DEAD " + took + " ms after SUSPECT");
    }

    @Test
    void aLateAckFromAnEarlierRoundDoesNotEndTheCurrentOneAndIsNotALoss() {
        DetectorConfig config = ScriptedCore.exactConfig().toBuilder()
                .probeInterval(Duration.ofMillis(100))
                .build();
        ScriptedCore s = new ScriptedCore(config, 99);
        for (int i = 1; i <= 4; i++) {
            s.add(i);
        }
        s.core.startProbing();
        s.runAnswering(Duration.ofSeconds(1), Set.of());
        ScriptedCore.Sent first = s.awaitPing(SILENT, Duration.ofSeconds(2)); // round 0: lost
        long lostBefore = s.core.status(id(1)).lostProbes();
        int from = s.sent.size();
        s.advance(Duration.ofMillis(100)); // the indirect phase: PING_REQs and a retry
        Message.Ping retry = null;
        Message.PingReq request = null;
        InetSocketAddress relay = null;
        for (ScriptedCore.Sent x : s.sent.subList(from, s.sent.size())) {
            if (x.to().equals(SILENT) && x.message() instanceof Message.Ping ping) {
                retry = ping;
            }
            if (x.message() instanceof Message.PingReq r && request == null) {
                request = r;
                relay = x.to();
            }
        }
        assertNotNull(retry);
        assertNotNull(request);
        int beforeAck = s.sent.size();
        s.ack(SILENT, retry, 1); // round 0 ends well; round 1 starts at once (its interval has passed)
        s.advance(Duration.ZERO);
        Message.Ping next = null;
        for (ScriptedCore.Sent x : s.sent.subList(beforeAck, s.sent.size())) {
            if (x.to().equals(SILENT) && x.message() instanceof Message.Ping ping) {
                next = ping;
            }
        }
        assertNotNull(next, "round 1 started");
        s.clock.advanceNanos(1_000_000);
        long now = s.clock.epochNanos();
        s.core.onMessage(relay, new Message.Ack(request.sequence(), now, now, now, 1)); // round 0's relay, late
        s.clock.advanceNanos(1_000_000);
        s.ack(SILENT, next, 1); // round 1's own PING, answered
        assertEquals(1, s.core.status(id(1)).lostProbes() - lostBefore, "only round 0's first PING was lost");
        assertTrue(first.atNanos() > 0);
    }

    @Test
    void aLateDirectAckTakesBackItsLoss() {
        ScriptedCore s = new ScriptedCore(ScriptedCore.exactConfig(), 1);
        s.add(1);
        s.core.startProbing();
        ScriptedCore.Sent ping = s.awaitPing(SILENT, Duration.ofSeconds(2));
        s.runAnswering(Duration.ofMillis(300), Set.of(SILENT)); // the round fails: 3 PINGs lost
        assertEquals(3, s.core.status(id(1)).lostProbes());
        s.ack(SILENT, (Message.Ping) ping.message(), 1);
        assertEquals(2, s.core.status(id(1)).lostProbes());
    }

    @Test
    void durationsThatWouldOverflowAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DetectorConfig.builder().suspicionTimeout(ChronoUnit.FOREVER.getDuration()));
        assertEquals("suspicionTimeout must be in 0 ms..86400000 ms, got 9223372036854775807 s", e.getMessage());
        assertEquals(
                "deadProbeInterval must be in 10 ms..86400000 ms, got 86400001 ms",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> DetectorConfig.builder().deadProbeInterval(Duration.ofMillis(86_400_001)))
                        .getMessage());
        assertEquals(
                "probeInterval must be in 10 ms..86400000 ms, got 172800000 ms",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TargetOptions.defaults().withProbeInterval(Duration.ofDays(2)))
                        .getMessage());
    }

    @Test
    void garbageTimestampsCannotCorruptTheOffset() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator();
        estimator.addSample(0, 5_000, 5_000, 10_000);
        estimator.addSample(1_000, Long.MIN_VALUE, Long.MAX_VALUE, 2_000); // overflowing garbage: dropped
        estimator.addSample(1_000, Long.MAX_VALUE, Long.MAX_VALUE, 2_000); // huge but well-formed: kept, delay 1 us
        // The peer is about Long.MAX_VALUE ns ahead: offset = MAX - (t0 + t3) / 2, no wrap to negative.
        assertEquals(Long.MAX_VALUE - 1_500, estimator.offsetNanos(), 2);
    }

    @Test
    void cancelledTimersDoNotPileUp() {
        TimerQueue timers = new TimerQueue();
        for (int i = 0; i < 10_000; i++) {
            timers.schedule(1_000_000_000L + i, () -> {}).cancel();
        }
        assertTrue(timers.size() <= 200, "heap holds " + timers.size() + " timers");
        assertEquals(Long.MAX_VALUE, timers.nextDeadlineNanos());
    }
}
