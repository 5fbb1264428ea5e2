package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.core.ConfigRef;
import io.pulse.core.Labels;
import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StateChangeLogTest {
    private static final NodeId OBSERVER = NodeId.parse("10.0.0.1:7946");
    private static final NodeId NODE = NodeId.parse("10.0.0.7:7946");
    private static final Instant AT = Instant.parse("2026-12-04T13:00:00Z");

    @Test
    void aStaticObservationNamesNodeStatesReasonIncarnationAndObserver() {
        Transition change = new Transition(
                NODE,
                Liveness.ALIVE,
                Liveness.SUSPECT,
                3,
                AT,
                Duration.ofMillis(2),
                null,
                10,
                3,
                Transition.Reason.PROBE_ROUND_FAILED);
        assertEquals(
                "node 10.0.0.7:7946 ALIVE -> SUSPECT (PROBE_ROUND_FAILED), incarnation 3, observed by 10.0.0.1:7946",
                StateChangeLog.describe(change, OBSERVER));
    }

    @Test
    void aClusterVerdictAlsoNamesTheAgreedConfiguration() {
        Transition dead = new Transition(
                NODE,
                Liveness.ALIVE,
                Liveness.DEAD,
                5,
                AT,
                null,
                null,
                0,
                0,
                Transition.Reason.UNREACHABLE,
                NodeId.parse("10.0.0.9:7946"),
                0,
                new ConfigRef(8, 0x00000000deadbeefL),
                Labels.of(java.util.Map.of("service", "billing")));
        assertEquals(
                "node 10.0.0.7:7946 ALIVE -> DEAD (UNREACHABLE), incarnation 5, agreed in configuration "
                        + "8/00000000deadbeef, observed by 10.0.0.1:7946",
                StateChangeLog.describe(dead, OBSERVER));
    }
}
