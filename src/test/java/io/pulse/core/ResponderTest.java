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
        assertEquals(new Message.Ack(500, relayed.sentEpochNanos(), 77, 78, 9), s.sent.get(1).message());

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
    void dropsPingReqsBeyondTheRelayBound() {
        for (int i = 0; i < Responder.MAX_PENDING_RELAYS + 10; i++) {
            s.core.onMessage(REQUESTER, new Message.PingReq(i, TARGET, Duration.ofSeconds(10)));
        }
        assertEquals(Responder.MAX_PENDING_RELAYS, s.sent.size());
        assertEquals(10, s.core.counters().relaysDropped());
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
