package io.pulse.core;

import static io.pulse.core.ScriptedCore.address;
import static io.pulse.core.ScriptedCore.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Local health (Lifeguard): what stretches the timeouts and intervals, what does not, and the way back. */
class LocalHealthTest {
    private static final int TARGETS = 5;

    private static ScriptedCore aliveTargets(DetectorConfig config) {
        ScriptedCore s = new ScriptedCore(config, 99);
        for (int i = 1; i <= TARGETS; i++) {
            s.add(i);
        }
        s.core.startProbing();
        s.runAnswering(Duration.ofSeconds(2), Set.of());
        return s;
    }

    private static Set<InetSocketAddress> everyTarget() {
        Set<InetSocketAddress> all = new HashSet<>();
        for (int i = 1; i <= TARGETS; i++) {
            all.add(address(i));
        }
        return all;
    }

    @Test
    void aRoundWithSilentPeersWeighsNineAnsweredOnesAtMostOneStepWithinOneAndTheMaximum() {
        LocalHealth health = new LocalHealth(3);
        health.answered(18);
        assertEquals(1, health.multiplier());
        health.peersSilent(18);
        health.peersSilent(18);
        assertEquals(2, health.multiplier()); // 2 x 9/18
        assertEquals(200, health.stretch(100));
        health.answered(18);
        assertEquals(1, health.multiplier()); // 1 - 1/18
        health.peersSilent(1); // 9/1, but one step at most
        assertEquals(2, health.multiplier());
        for (int i = 0; i < 10; i++) {
            health.peersSilent(1);
        }
        assertEquals(3, health.multiplier());
        assertEquals(Long.MAX_VALUE, health.stretch(Long.MAX_VALUE / 2));
    }

    @Test
    void aMonitorThatHearsNothingFromAnyoneStretchesItsTimeoutsAndIntervals() {
        ScriptedCore s = aliveTargets(ScriptedCore.exactConfig());
        assertEquals(1, s.core.localHealthMultiplier());

        // The monitor's network is cut: no ACK, no NACK, from targets or relays. The evidence
        // stops when no target is ALIVE to relay any more: the multiplier then stays as it is.
        s.runAnswering(Duration.ofMinutes(1), everyTarget());

        int m = s.core.localHealthMultiplier();
        assertTrue(m > 1 && m <= DetectorConfig.DEFAULT_LOCAL_HEALTH_MAX_MULTIPLIER, "multiplier " + m);
        assertEquals(Duration.ofMillis(100L * m), s.core.status(id(1)).probeTimeout());
        // DEAD targets are probed every deadProbeInterval (5 s) times the multiplier.
        int from = s.sent.size();
        s.runAnswering(Duration.ofSeconds(50L * m), everyTarget());
        long pings = s.sentTo(address(1), from).stream()
                .filter(msg -> msg instanceof Message.Ping)
                .count();
        long rounds = pings / (1 + ScriptedCore.exactConfig().maxRetries());
        assertTrue(rounds >= 9 && rounds <= 11, "DEAD rounds in 50 s x " + m + ", " + 5 * m + " s apart: " + rounds);
        assertEquals(m, s.core.localHealthMultiplier());
    }

    @Test
    void answersInTimeBringTheMultiplierBackToOne() {
        ScriptedCore s = aliveTargets(ScriptedCore.exactConfig());
        s.runAnswering(Duration.ofMinutes(1), everyTarget());
        assertTrue(s.core.localHealthMultiplier() > 1);

        s.runAnswering(Duration.ofMinutes(2), Set.of());
        assertEquals(1, s.core.localHealthMultiplier());
        for (int i = 1; i <= TARGETS; i++) {
            assertEquals(Liveness.ALIVE, s.core.status(id(i)).state());
            assertEquals(Duration.ofMillis(100), s.core.status(id(i)).probeTimeout());
        }
    }

    @Test
    void aDeadTargetWhosePeersNackLeavesTheMonitorHealthy() {
        ScriptedCore s = aliveTargets(ScriptedCore.exactConfig());
        s.runAnswering(Duration.ofMinutes(2), Set.of(address(1)));

        assertEquals(Liveness.DEAD, s.core.status(id(1)).state());
        assertEquals(1, s.core.localHealthMultiplier());
        assertTrue(s.core.counters().nacksReceived() > 0);
    }

    @Test
    void aTargetWithNoPeerToAskLeavesTheMonitorHealthy() {
        ScriptedCore s = new ScriptedCore(ScriptedCore.exactConfig(), 99);
        s.add(1);
        s.core.startProbing();
        s.runAnswering(Duration.ofMinutes(2), Set.of(address(1)));

        assertEquals(Liveness.DEAD, s.core.status(id(1)).state());
        assertEquals(1, s.core.localHealthMultiplier());
    }

    @Test
    void aMaximumOfOneTurnsItOff() {
        ScriptedCore s = aliveTargets(ScriptedCore.exactConfig().toBuilder()
                .localHealthMaxMultiplier(1)
                .build());
        s.runAnswering(Duration.ofMinutes(1), everyTarget());

        assertEquals(1, s.core.localHealthMultiplier());
        assertEquals(Duration.ofMillis(100), s.core.status(id(1)).probeTimeout());
    }

    @Test
    void theMaximumIsChecked() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> DetectorConfig.builder().localHealthMaxMultiplier(0));
        assertEquals("localHealthMaxMultiplier must be in 1..64 (1 turns local health off), got 0", e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> DetectorConfig.builder().localHealthMaxMultiplier(65));
    }

    @Test
    void aStretchedRelayTimeoutStaysWithinWhatTheWireCarries() {
        DetectorConfig slow = ScriptedCore.exactConfig().toBuilder()
                .probeTimeoutMin(Duration.ofSeconds(40))
                .probeTimeoutMax(Duration.ofSeconds(40))
                .build();
        ScriptedCore s = aliveTargets(slow);
        s.runAnswering(Duration.ofHours(2), everyTarget());

        assertTrue(
                s.core.localHealthMultiplier() * 40 > Message.PingReq.MAX_TIMEOUT.toSeconds(),
                "stretched past the wire's limit: " + s.core.localHealthMultiplier());
        assertTrue(s.sentOfType(Message.PingReq.class, 0).stream()
                .allMatch(r -> ((Message.PingReq) r.message()).timeout().compareTo(Message.PingReq.MAX_TIMEOUT) <= 0));
    }
}
