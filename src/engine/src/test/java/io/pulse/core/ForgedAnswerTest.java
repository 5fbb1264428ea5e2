package io.pulse.core;

import static io.pulse.core.ScriptedCore.address;
import static io.pulse.core.ScriptedCore.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers forged by a host that can send datagrams with any source address but does not see the
 * monitor's traffic: it cannot keep a dead node alive, however much it knows of the monitor.
 */
class ForgedAnswerTest {
    private static final InetSocketAddress DEAD = address(1);
    private static final InetSocketAddress ATTACKER = address(66);

    private ScriptedCore s;

    @BeforeEach
    void fiveAliveTargets() {
        s = ScriptedCore.withAliveTargets(5, 99);
        s.core.startResponding();
    }

    @Test
    void relayedAcksForgedFromTheRelaysAddressesDoNotKeepADeadNodeAlive() {
        // The attacker learns what it can of the monitor's numbers: a PING_REQ naming itself makes
        // the monitor relay a PING to it, and it sees the monitor's ACKs to its own PINGs.
        s.core.onMessage(ATTACKER, new Message.PingReq(1, ATTACKER, Duration.ofMillis(100)));
        s.core.onMessage(ATTACKER, new Message.Ping(2, 0));
        Set<Long> seen = new HashSet<>();
        for (ScriptedCore.Sent sent : s.sent) {
            if (sent.to().equals(ATTACKER)) {
                seen.add(sent.message().sequence());
            }
        }
        long relayed = s.sent.stream()
                .filter(x -> x.to().equals(ATTACKER) && x.message() instanceof Message.Ping)
                .findFirst()
                .orElseThrow()
                .message()
                .sequence();

        // Then, for the 4 s the monitor takes to declare DEAD, it sends ACKs from every relay's
        // address with every sequence near the one it saw, each answering a probe of DEAD.
        int from = s.sent.size();
        for (int step = 0; step < 40; step++) {
            s.runAnswering(Duration.ofMillis(100), Set.of(DEAD));
            for (int relay = 2; relay <= 5; relay++) {
                for (long guess = relayed - 64; guess <= relayed + 64; guess++) {
                    if (!seen.contains(guess)) {
                        s.core.onMessage(address(relay), new Message.Ack(guess, 0, 0, 0, Long.MAX_VALUE));
                    }
                }
            }
        }
        assertEquals(Liveness.DEAD, s.core.status(id(1)).state());
        assertEquals(
                List.of(Liveness.SUSPECT, Liveness.DEAD),
                s.changes.stream().map(Transition::current).toList());
        assertTrue(
                s.core.counters().unmatchedAcks() >= 40 * 4 * 128,
                s.core.counters().toString());
        // The PING_REQs the monitor sent through the relays drew numbers unrelated to the one the attacker saw.
        for (Message m : s.sentTo(address(2), from)) {
            if (m instanceof Message.PingReq request) {
                assertTrue(Math.abs(request.sequence() - relayed) > 1_000_000, request + " near " + relayed);
            }
        }
    }

    @Test
    void consecutiveRequestsCarryUnrelatedSequences() {
        List<Long> sequences = s.sent.stream().map(x -> x.message().sequence()).toList();
        assertTrue(sequences.size() >= 10);
        for (int i = 1; i < sequences.size(); i++) {
            assertNotEquals(sequences.get(i - 1) + 1, sequences.get(i), "sequences count up: " + sequences);
        }
    }

    @Test
    void anIncarnationFarAheadOfTheClockIsNotBelieved() {
        ScriptedCore.Sent ping = s.awaitPing(DEAD, Duration.ofSeconds(2));
        long dayAheadMs = s.clock.epochNanos() / 1_000_000 + Duration.ofDays(1).toMillis();
        s.ack(DEAD, (Message.Ping) ping.message(), dayAheadMs + 1);
        assertEquals(1, s.core.counters().implausibleAcks());
        assertEquals(1, s.core.status(id(1)).incarnation());
        // the true answer to the same PING still counts
        s.ack(DEAD, (Message.Ping) ping.message(), 1);
        assertEquals(Liveness.ALIVE, s.core.status(id(1)).state());
        assertTrue(s.changes.isEmpty(), s.changes.toString());
    }
}
