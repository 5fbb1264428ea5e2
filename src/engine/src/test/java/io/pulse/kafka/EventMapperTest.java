package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.events.ChangeReason;
import io.pulse.events.EventCodec;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

public class EventMapperTest {
    private static final NodeId NODE = NodeId.parse("10.0.0.7:7946");
    private static final Instant AT = Instant.parse("2024-05-01T12:00:00.123456789Z");
    private final EventMapper mapper = new EventMapper("10.0.0.1:7946", "prod-eu");

    public static Transition change(Instant at) {
        return new Transition(
                NODE,
                Liveness.ALIVE,
                Liveness.SUSPECT,
                3,
                at,
                Duration.ofNanos(1_234_567),
                Duration.ofMillis(-2).minusNanos(500_000),
                40,
                7,
                Transition.Reason.PROBE_ROUND_FAILED);
    }

    public static NodeFailure failure(Instant detectedAt) {
        return new NodeFailure(
                NODE,
                Liveness.DEAD,
                3,
                2,
                List.of(NodeId.parse("10.0.0.2:7946"), NodeId.parse("[::1]:7946")),
                Instant.parse("2024-05-01T11:00:00Z"),
                Instant.parse("2024-05-01T11:59:58.5Z"),
                detectedAt,
                Duration.ofMillis(3),
                null,
                100,
                9);
    }

    @Test
    void mapsStatusChangeFieldByField() {
        StatusChange expected = StatusChange.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(("io.pulse.StatusChange|10.0.0.1:7946|10.0.0.7:7946|3|"
                                + "2024-05-01T12:00:00.123456789Z|ALIVE>SUSPECT:PROBE_ROUND_FAILED")
                        .getBytes(StandardCharsets.UTF_8)))
                .setObserver("10.0.0.1:7946")
                .setCluster("prod-eu")
                .setNodeId("10.0.0.7:7946")
                .setPrevious(NodeState.ALIVE)
                .setCurrent(NodeState.SUSPECT)
                .setIncarnation(3L)
                .setAt(Instant.parse("2024-05-01T12:00:00.123Z"))
                .setSrttMicros(1_234L)
                .setTotalProbes(40L)
                .setLostProbes(7L)
                .setClockOffsetMicros(-2_500L)
                .setReason(ChangeReason.PROBE_ROUND_FAILED)
                .build();

        assertEquals(expected, mapper.statusChange(change(AT)));
    }

    @Test
    void mapsFailureFieldByField() {
        FailureMessage expected = FailureMessage.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(("io.pulse.FailureMessage|10.0.0.1:7946|10.0.0.7:7946|3|"
                                + "2024-05-01T12:00:00.123456789Z|DEAD")
                        .getBytes(StandardCharsets.UTF_8)))
                .setObserver("10.0.0.1:7946")
                .setCluster("prod-eu")
                .setNodeId("10.0.0.7:7946")
                .setState(NodeState.DEAD)
                .setIncarnation(3L)
                .setRetryAttempts(2)
                .setIndirectPeers(List.of("10.0.0.2:7946", "[::1]:7946"))
                .setInitialConnect(Instant.parse("2024-05-01T11:00:00Z"))
                .setLastConnected(Instant.parse("2024-05-01T11:59:58.5Z"))
                .setDetectedAt(Instant.parse("2024-05-01T12:00:00.123Z"))
                .setSrttMicros(3_000L)
                .setClockOffsetMicros(null)
                .setTotalProbes(100L)
                .setLostProbes(9L)
                .build();

        assertEquals(expected, mapper.failure(failure(AT)));
    }

    @Test
    void sameDecisionGetsSameEventIdAndAnotherDecisionAnother() {
        assertEquals(
                mapper.statusChange(change(AT)).getEventId(),
                mapper.statusChange(change(AT)).getEventId());
        assertNotEquals(
                mapper.statusChange(change(AT)).getEventId(),
                mapper.statusChange(change(AT.plusNanos(1))).getEventId());
        assertNotEquals(
                mapper.failure(failure(AT)).getEventId(),
                new EventMapper("10.0.0.9:7946", null).failure(failure(AT)).getEventId());
    }

    @Test
    void neverMeasuredAndNeverContactedStayNull() {
        NodeFailure silent = new NodeFailure(NODE, Liveness.DEAD, 0, 3, List.of(), null, null, AT, null, null, 4, 4);

        FailureMessage message = new EventMapper("obs", null).failure(silent);

        assertEquals(null, message.getInitialConnect());
        assertEquals(null, message.getLastConnected());
        assertEquals(null, message.getSrttMicros());
        assertEquals(null, message.getCluster());
        assertEquals(List.of(), message.getIndirectPeers());
    }

    @Test
    void rejectsEmptyObserver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EventMapper("", null));
        assertEquals("observer must not be empty", e.getMessage());
    }

    @Test
    void clusterVerdictsShareTheirIdWhoeverPublishesThem() {
        NodeId declarer = NodeId.parse("10.0.0.2:7946");
        NodeFailure verdict =
                new NodeFailure(NODE, Liveness.DEAD, 42, 0, List.of(), null, null, AT, null, null, 0, 0, declarer, 2);
        NodeFailure sameLater = new NodeFailure(
                NODE,
                Liveness.DEAD,
                42,
                1,
                List.of(),
                null,
                null,
                AT.plusSeconds(1),
                null,
                null,
                3,
                1,
                NodeId.parse("10.0.0.3:7946"),
                3);
        FailureMessage a = new EventMapper("10.0.0.1:7946", "prod-eu").failure(verdict);
        FailureMessage b = new EventMapper("10.0.0.5:7946", "prod-eu").failure(sameLater);
        assertEquals(a.getEventId(), b.getEventId(), "one verdict, one id: (cluster, node, incarnation, state)");
        assertEquals("10.0.0.2:7946", a.getDeclaredBy());
        assertEquals(2, a.getConfirmations());
        assertNotEquals(
                a.getEventId(),
                new EventMapper("10.0.0.1:7946", "prod-us").failure(verdict).getEventId(),
                "another cluster, another verdict");

        Transition left = new Transition(
                NODE, Liveness.ALIVE, Liveness.LEFT, 42, AT, null, null, 0, 0, Transition.Reason.LEFT, NODE, 0);
        StatusChange record = mapper.statusChange(left);
        assertEquals(NodeState.LEFT, record.getCurrent());
        assertEquals(ChangeReason.LEFT, record.getReason());
        assertEquals(NODE.toString(), record.getDeclaredBy());
        assertEquals(record, EventCodec.decodeStatusChange(EventCodec.encode(record)));
    }
}
