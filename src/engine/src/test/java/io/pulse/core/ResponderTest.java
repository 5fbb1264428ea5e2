package io.pulse.core;

import static io.pulse.core.ScriptedCore.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponderTest {
    private static final InetSocketAddress REQUESTER = address(1);
    private static final InetSocketAddress TARGET = address(2);

    private ScriptedCore s;

    @BeforeEach
    void answering() {
        s = new ScriptedCore(ScriptedCore.exactConfig(), 42);
        s.core.startResponding();
    }

    @Test
    void answersAPingWithItsTimestampsAndIncarnation() {
        s.clock.advance(Duration.ofMillis(3));
        s.core.onMessage(REQUESTER, new Message.Ping(17, 123_456));
        assertEquals(1, s.sent.size());
        assertEquals(REQUESTER, s.sent.get(0).to());
        long now = s.clock.epochNanos();
        assertEquals(new Message.Ack(17, 123_456, now, now, 42), s.sent.get(0).message());
    }

    @Test
    void staysSilentWhenStopped() {
        s.core.stopResponding();
        s.core.onMessage(REQUESTER, new Message.Ping(17, 1));
        s.core.onMessage(REQUESTER, new Message.PingReq(18, TARGET, Duration.ofMillis(100)));
        assertTrue(s.sent.isEmpty());
        s.core.startResponding();
        s.core.onMessage(REQUESTER, new Message.Ping(19, 1));
        assertEquals(1, s.sent.size());
    }

    @Test
    void relaysAPingReqAndPassesTheTargetsAckBack() {
        s.core.onMessage(REQUESTER, new Message.PingReq(500, TARGET, Duration.ofMillis(100)));
        assertEquals(1, s.sent.size());
        assertEquals(TARGET, s.sent.get(0).to());
        Message.Ping relayed = (Message.Ping) s.sent.get(0).message();

        s.clock.advance(Duration.ofMillis(5));
        s.core.onMessage(TARGET, new Message.Ack(relayed.sequence(), relayed.sentEpochNanos(), 77, 78, 9));
        assertEquals(2, s.sent.size());
        assertEquals(REQUESTER, s.sent.get(1).to());
        assertEquals(
                new Message.Ack(500, relayed.sentEpochNanos(), 77, 78, 9),
                s.sent.get(1).message());

        s.advance(Duration.ofSeconds(1)); // the relay's timer was cancelled: no NACK follows
        assertEquals(2, s.sent.size());
        assertEquals(1, s.core.counters().relaysStarted());
    }

    @Test
    void nacksWhenTheTargetStaysSilentForTheTimeout() {
        s.core.onMessage(REQUESTER, new Message.PingReq(500, TARGET, Duration.ofMillis(100)));
        s.advance(Duration.ofMillis(99));
        assertEquals(1, s.sent.size());
        s.advance(Duration.ofMillis(1));
        assertEquals(2, s.sent.size());
        assertEquals(REQUESTER, s.sent.get(1).to());
        assertEquals(new Message.Nack(500, TARGET), s.sent.get(1).message());
        assertEquals(100_000_000L, s.sent.get(1).atNanos() - s.sent.get(0).atNanos());
    }

    @Test
    void doesNotRelayAnAckFromAnotherAddress() {
        s.core.onMessage(REQUESTER, new Message.PingReq(500, TARGET, Duration.ofMillis(100)));
        Message.Ping relayed = (Message.Ping) s.sent.get(0).message();
        s.core.onMessage(address(3), new Message.Ack(relayed.sequence(), 0, 0, 0, 1));
        assertEquals(1, s.sent.size());
        assertEquals(1, s.core.counters().unmatchedAcks());
    }

    @Test
    void dropsPingReqsBeyondEachRequestersShareAndStrangersBeyondHalfTheTable() {
        s.core.answerLimits(100_000, 100_000);
        for (int i = 0; i < Responder.MAX_RELAYS_PER_REQUESTER + 10; i++) {
            s.core.onMessage(REQUESTER, new Message.PingReq(i, TARGET, Duration.ofSeconds(10)));
        }
        assertEquals(Responder.MAX_RELAYS_PER_REQUESTER, s.sent.size());
        assertEquals(10, s.core.counters().relaysDropped());
        for (int r = 0; r < 40; r++) { // 40 more strangers fill their half of the table
            for (int i = 0; i < Responder.MAX_RELAYS_PER_REQUESTER; i++) {
                s.core.onMessage(
                        new InetSocketAddress(REQUESTER.getAddress(), 1000 + r),
                        new Message.PingReq(i, TARGET, Duration.ofSeconds(10)));
            }
        }
        assertEquals(Responder.MAX_STRANGER_RELAYS, s.sent.size());
        assertEquals(
                10 + 41L * Responder.MAX_RELAYS_PER_REQUESTER - Responder.MAX_STRANGER_RELAYS,
                s.core.counters().relaysDropped());
        for (int m = 0; m < 8; m++) { // members still have the other half, a share each
            for (int i = 0; i < Responder.MAX_RELAYS_PER_REQUESTER; i++) {
                s.core.onMessage(address(100 + m), new Message.PingReq(i, TARGET, Duration.ofSeconds(10)), true);
            }
        }
        assertEquals(Responder.MAX_PENDING_RELAYS, s.sent.size());
        s.advance(Duration.ofMillis(100)); // all timed out (after the probe timeout): the shares are free again
        s.core.onMessage(REQUESTER, new Message.PingReq(1, TARGET, Duration.ofSeconds(10)));
        assertEquals(Message.Ping.class, s.sent.get(s.sent.size() - 1).message().getClass());
    }

    /** A requester cannot hold a relay (and its slot in the table) longer than this node would wait itself. */
    @Test
    void aRelayWaitsAtMostThisNodesLongestProbeTimeout() {
        s.core.onMessage(REQUESTER, new Message.PingReq(500, TARGET, Duration.ofSeconds(60)));
        s.advance(Duration.ofMillis(99));
        assertEquals(1, s.sent.size());
        s.advance(Duration.ofMillis(1));
        assertEquals(new Message.Nack(500, TARGET), s.sent.get(1).message());
        assertEquals(
                ScriptedCore.exactConfig().probeTimeoutMax().toNanos(),
                s.sent.get(1).atNanos() - s.sent.get(0).atNanos());
    }

    @Test
    void strangersAreRelayedOnlyIfThePolicyLetsThemInAndPeersAlways() {
        s.core.relayPolicy(from -> false, RelayPolicy.targets(false));
        s.core.onMessage(REQUESTER, new Message.PingReq(1, TARGET, Duration.ofMillis(100)));
        assertTrue(s.sent.isEmpty());
        assertEquals(1, s.core.counters().relaysRefused());
        s.core.onMessage(REQUESTER, new Message.PingReq(2, TARGET, Duration.ofMillis(100)), true);
        assertEquals(1, s.sent.size(), "an authenticated requester");
        s.add(1);
        s.core.onMessage(REQUESTER, new Message.PingReq(3, TARGET, Duration.ofMillis(100)));
        assertEquals(2, s.sent.size(), "a watched requester");
    }

    @Test
    void neverProbesMulticastBroadcastUnspecifiedOrLoopbackTargetsForOthers() throws Exception {
        s.core.relayPolicy(from -> true, RelayPolicy.targets(false));
        for (String target :
                new String[] {"224.0.0.1", "255.255.255.255", "0.0.0.0", "127.0.0.1", "::1", "ff02::1", "::"}) {
            s.core.onMessage(
                    REQUESTER,
                    new Message.PingReq(
                            1,
                            new InetSocketAddress(java.net.InetAddress.getByName(target), 7946),
                            Duration.ofMillis(100)),
                    true);
        }
        assertTrue(s.sent.isEmpty(), s.sent.toString());
        assertEquals(7, s.core.counters().relaysRefused());
        s.core.relayPolicy(from -> true, RelayPolicy.targets(true));
        s.core.onMessage(
                REQUESTER, new Message.PingReq(1, new InetSocketAddress("127.0.0.1", 7946), Duration.ofMillis(100)));
        assertEquals(1, s.sent.size(), "a node on loopback probes loopback");
    }

    @Test
    void answersAreCappedPerSourceAndInAllButRefillWithTime() {
        s.core.answerLimits(50, 120);
        for (int i = 0; i < 100; i++) {
            s.core.onMessage(REQUESTER, new Message.Ping(i, 0));
        }
        assertEquals(50, s.sent.size(), "one source: a second's worth");
        for (int source = 0; source < 10; source++) {
            for (int i = 0; i < 10; i++) {
                s.core.onMessage(new InetSocketAddress(REQUESTER.getAddress(), 2000 + source), new Message.Ping(i, 0));
            }
        }
        assertEquals(120, s.sent.size(), "all sources: a second's worth");
        assertEquals(50 + 30, s.core.counters().answersLimited());
        s.advance(Duration.ofSeconds(1));
        s.core.onMessage(REQUESTER, new Message.Ping(1, 0));
        assertEquals(121, s.sent.size());
    }

    /**
     * A crowd of strangers empties the bucket for all sources: the answers to a watched node, a
     * member or an authenticated sender draw on their own buckets and still go out, so that a flood
     * cannot get this node declared DEAD by its observers.
     */
    @Test
    void aCrowdOfStrangersCannotStarveTheAnswersToMembers() {
        s.core.answerLimits(50, 120);
        s.add(1); // watches REQUESTER
        for (int source = 0; source < 10; source++) {
            for (int i = 0; i < 20; i++) {
                s.core.onMessage(new InetSocketAddress(REQUESTER.getAddress(), 2000 + source), new Message.Ping(i, 0));
            }
        }
        int crowd = s.sent.size();
        assertEquals(120, crowd, "all strangers together: a second's worth");
        s.core.onMessage(new InetSocketAddress(REQUESTER.getAddress(), 3000), new Message.Ping(1, 0));
        assertEquals(crowd, s.sent.size(), "one more stranger: nothing left for it");
        s.core.onMessage(REQUESTER, new Message.Ping(2, 0));
        s.core.onMessage(address(7), new Message.Ping(3, 0), true);
        assertEquals(crowd + 2, s.sent.size(), "the watched node and the authenticated sender are answered");
        assertEquals(REQUESTER, s.sent.get(crowd).to());
        assertEquals(address(7), s.sent.get(crowd + 1).to());
    }

    @Test
    void countsAnswersToNothing() {
        s.core.onMessage(REQUESTER, new Message.Ack(1, 0, 0, 0, 1));
        s.core.onMessage(REQUESTER, new Message.Nack(2, TARGET));
        PulseCore.Counters counters = s.core.counters();
        assertEquals(1, counters.unmatchedAcks());
        assertEquals(1, counters.unmatchedNacks());
        assertTrue(s.sent.isEmpty());
    }
}
