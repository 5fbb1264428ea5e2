package io.pulse.core;

import static io.pulse.core.ScriptedCore.address;
import static io.pulse.core.ScriptedCore.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.core.NodeStatus.ProbeKind;
import io.pulse.core.ScriptedCore.Sent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every RTT sample that feeds a node's estimator is also handed to the output, once, after the state work. */
class RttSampleTest {
    private static final long MS = 1_000_000L;
    private static final NodeId WEB = NodeId.parse("web-1:8080");

    private final ScriptedCore s = new ScriptedCore(ScriptedCore.exactConfig(), 1);

    @Test
    void aDirectAckGivesOneSampleOfItsRoundTrip() {
        s.add(1);
        s.core.startProbing();
        Sent ping = s.awaitPing(address(1), Duration.ofSeconds(2));
        s.clock.advance(Duration.ofNanos(3 * MS + 250));
        s.ack(address(1), (Message.Ping) ping.message(), 1);

        assertEquals(List.of(new RttSample(id(1), ProbeKind.PULSE, Duration.ofNanos(3 * MS + 250))), s.rttSamples);
        assertEquals(Duration.ofNanos(3 * MS + 250), s.core.status(id(1)).srtt());
    }

    @Test
    void aRelayedAckGivesNoSample() {
        s.add(1);
        s.add(2);
        s.core.startProbing();
        s.runAnswering(Duration.ofSeconds(2), Set.of(), Set.of(address(1)));

        assertEquals(Liveness.ALIVE, s.core.status(id(1)).state(), "reached through node 2");
        assertEquals(
                List.of(),
                s.rttSamples.stream().filter(r -> r.node().equals(id(1))).toList());
        assertEquals(
                s.core.status(id(2)).totalProbes(),
                s.rttSamples.stream().filter(r -> r.node().equals(id(2))).count(),
                "one per answered PING");
    }

    @Test
    void anExternalProbeGivesItsMeasuredRttAndAFailedOneNone() {
        s.core.addExternalTarget(WEB, TargetOptions.defaults());
        s.core.startProbing();
        awaitAsks(1);
        s.core.onProbeResult(ProbeResult.failure(s.asked.get(0).sequence(), "HTTP 500"));
        assertEquals(List.of(), s.rttSamples);

        awaitAsks(2); // the first retry
        s.core.onProbeResult(ProbeResult.success(s.asked.get(1).sequence(), 4 * MS));
        assertEquals(List.of(new RttSample(WEB, ProbeKind.EXTERNAL, Duration.ofMillis(4))), s.rttSamples);
    }

    /** Fires timers one by one until the core has asked for {@code count} external probes. */
    private void awaitAsks(int count) {
        while (s.asked.size() < count) {
            s.clock.advanceTo(s.core.nextDeadlineNanos());
            s.core.tick();
        }
    }

    @Test
    void theSampleIsDeliveredAfterTheAckIsAccountedForAndBeforeTheStatusChange() {
        ManualClock clock = new ManualClock();
        List<String> seen = new ArrayList<>();
        PulseCore[] holder = new PulseCore[1];
        PulseCore core = new PulseCore(ScriptedCore.exactConfig(), clock, 1, new PulseCore.Output() {
            @Override
            public void send(InetSocketAddress to, Message message) {
                if (message instanceof Message.Ping ping) {
                    clock.advance(Duration.ofMillis(2));
                    holder[0].onMessage(
                            to,
                            new Message.Ack(
                                    ping.sequence(), ping.sentEpochNanos(), clock.epochNanos(), clock.epochNanos(), 5));
                }
            }

            @Override
            public void rttSampled(RttSample sample) {
                NodeStatus status = holder[0].status(sample.node());
                seen.add("rtt " + sample.rtt().toMillis() + " ms, srtt "
                        + status.srtt().toMillis() + " ms, " + status.state());
            }

            @Override
            public void statusChanged(Transition change) {
                seen.add(change.previous() + " -> " + change.current());
            }
        });
        holder[0] = core;
        core.addTarget(id(1), address(1), TargetOptions.defaults());
        core.startProbing();
        clock.advanceTo(core.nextDeadlineNanos());
        core.tick();

        assertEquals(List.of("rtt 2 ms, srtt 2 ms, ALIVE", "PENDING -> ALIVE"), seen);
    }

    @Test
    void aSampleNeedsANodeAKindAndAnRtt() {
        assertEquals(
                "node",
                assertThrows(NullPointerException.class, () -> new RttSample(null, ProbeKind.PULSE, Duration.ZERO))
                        .getMessage());
        assertEquals(
                "kind",
                assertThrows(NullPointerException.class, () -> new RttSample(id(1), null, Duration.ZERO))
                        .getMessage());
        assertEquals(
                "rtt",
                assertThrows(NullPointerException.class, () -> new RttSample(id(1), ProbeKind.PULSE, null))
                        .getMessage());
    }
}
