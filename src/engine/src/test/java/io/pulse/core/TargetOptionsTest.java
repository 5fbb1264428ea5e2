package io.pulse.core;

import static io.pulse.core.ScriptedCore.address;
import static io.pulse.core.ScriptedCore.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Per-target probe timeout and the retries a status reports, on a manual clock. */
class TargetOptionsTest {
    private static final long MS = 1_000_000L;

    @Test
    void aTargetsOwnCeilingReplacesTheDetectorsInBothDirections() {
        ScriptedCore s = new ScriptedCore(ScriptedCore.exactConfig(), 99); // detector: 100 ms floor and ceiling
        s.add(1);
        s.core.addTarget(id(2), address(2), TargetOptions.defaults().withProbeTimeout(Duration.ofMillis(400)));
        s.core.addTarget(id(3), address(3), TargetOptions.defaults().withProbeTimeout(Duration.ofMillis(30)));
        assertEquals(Duration.ofMillis(100), s.core.status(id(1)).probeTimeout());
        assertEquals(
                Duration.ofMillis(400), s.core.status(id(2)).probeTimeout(), "the RTO before any sample, up to 400 ms");
        assertEquals(Duration.ofMillis(30), s.core.status(id(3)).probeTimeout(), "the floor never above the ceiling");

        s.core.startProbing();
        ScriptedCore.Sent first = s.awaitPing(address(2), Duration.ofSeconds(2));
        int from = s.sent.indexOf(first);
        s.runAnswering(Duration.ofMillis(450), Set.of(address(2)));
        List<Long> retries = s.sentOfType(Message.Ping.class, from).stream()
                .filter(x -> x.to().equals(address(2)))
                .map(x -> x.atNanos() - first.atNanos())
                .collect(Collectors.toList());
        assertEquals(0L, retries.get(0));
        assertEquals(
                400 * MS, retries.get(1), "the first retry waits for this target's 400 ms, not the detector's 100 ms");
    }

    @Test
    void theStatusReportsTheRetriesOfTheLatestRound() {
        ScriptedCore s = new ScriptedCore(ScriptedCore.exactConfig(), 99);
        for (int i = 1; i <= 4; i++) {
            s.add(i);
        }
        s.core.startProbing();
        s.runAnswering(Duration.ofSeconds(2), Set.of());
        assertEquals(0, s.core.status(id(1)).lastRetries());
        s.runAnswering(Duration.ofSeconds(2), Set.of(address(1)));
        assertEquals(2, s.core.status(id(1)).lastRetries());
    }

    @Test
    void aProbeTimeoutIsCheckedWhenSet() {
        assertEquals(
                "probeTimeout must be in 1 ms..86400000 ms, got 0 ms",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TargetOptions.defaults().withProbeTimeout(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "probeTimeout must be <= " + Message.PingReq.MAX_TIMEOUT.toSeconds() + " s, got 600000 ms",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TargetOptions.defaults().withProbeTimeout(Duration.ofMinutes(10)))
                        .getMessage());
    }
}
