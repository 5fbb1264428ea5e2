package io.pulse.sidecar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.ChangeReason;
import io.pulse.events.FailureMessage;
import io.pulse.events.Heartbeat;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.sidecar.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DashboardModelTest {
    static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    static final String A = "10.0.0.1:7946";
    static final String B = "10.0.0.2:7946";

    final MutableClock clock = new MutableClock(T0);
    final DashboardModel model = new DashboardModel(new HistoryLimits(Duration.ofMinutes(10), 5), clock);

    static StatusChange change(String node, NodeState from, NodeState to, Instant at) {
        return StatusChange.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((node + from + to + at).getBytes(StandardCharsets.UTF_8)))
                .setObserver("10.0.0.9:7946")
                .setNodeId(node)
                .setPrevious(from)
                .setCurrent(to)
                .setIncarnation(3)
                .setAt(at)
                .setSrttMicros(1_500L)
                .setTotalProbes(10)
                .setLostProbes(3)
                .setReason(ChangeReason.SUSPICION_TIMEOUT)
                .build();
    }

    static FailureMessage failure(String node, Instant at) {
        return FailureMessage.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((node + at).getBytes(StandardCharsets.UTF_8)))
                .setObserver("10.0.0.9:7946")
                .setNodeId(node)
                .setState(NodeState.DEAD)
                .setIncarnation(3)
                .setRetryAttempts(2)
                .setIndirectPeers(List.of("10.0.0.3:7946", "10.0.0.4:7946"))
                .setLastConnected(at.minusSeconds(3))
                .setDetectedAt(at)
                .setSrttMicros(1_250L)
                .setClockOffsetMicros(-420L)
                .setTotalProbes(12)
                .setLostProbes(6)
                .setDeclaredBy("10.0.0.5:7946")
                .setConfirmations(2)
                .setLabels(Map.of("service", "checkout", "zone", "eu-west-1a"))
                .build();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(byte[] bytes) {
        return Json.object(new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void aNodeTakesItsLatestStateAndTheCountsFollow() {
        model.status(change(A, NodeState.PENDING, NodeState.ALIVE, T0.minusSeconds(60)));
        model.status(change(B, NodeState.PENDING, NodeState.ALIVE, T0.minusSeconds(60)));
        model.status(change(A, NodeState.ALIVE, NodeState.SUSPECT, T0.minusSeconds(2)));
        assertEquals(Map.of("ALIVE", 1, "SUSPECT", 1), model.counts());

        model.status(change(A, NodeState.PENDING, NodeState.ALIVE, T0.minusSeconds(90))); // older: read late, no effect
        assertEquals("SUSPECT", model.node(A).state());

        model.removed(B);
        assertEquals(Map.of("SUSPECT", 1), model.counts());
        assertNull(model.node(B));
    }

    /** A FailureMessage turns the node DEAD even before its status change arrives; a later recovery wins over it. */
    @Test
    void aFailureTurnsTheNodeDeadUntilANewerChange() {
        model.status(change(A, NodeState.ALIVE, NodeState.SUSPECT, T0.minusSeconds(2)));
        model.failure(failure(A, T0.minusSeconds(1)));
        NodeRow row = model.node(A);
        assertEquals(
                new NodeRow(
                        A,
                        "DEAD",
                        T0.minusSeconds(1).toEpochMilli(),
                        null,
                        "FAILURE",
                        "10.0.0.9:7946",
                        3,
                        "10.0.0.5:7946",
                        2,
                        Map.of("service", "checkout", "zone", "eu-west-1a")),
                row);
        assertEquals(Map.of("DEAD", 1), model.counts());

        model.status(change(A, NodeState.SUSPECT, NodeState.DEAD, T0.minusSeconds(1))); // the same verdict: its details
        assertEquals("SUSPECTDEAD", model.node(A).previous() + model.node(A).state());
        model.status(change(A, NodeState.DEAD, NodeState.ALIVE, T0));
        model.failure(failure(A, T0.minusMillis(500))); // an older failure read late
        assertEquals("ALIVE", model.node(A).state());
        assertEquals(Map.of("ALIVE", 1), model.counts());
    }

    @Test
    void historyKeepsTheWindowAndAtMostMaxEventsAndEachEventOnce() {
        model.status(
                change(A, NodeState.PENDING, NodeState.ALIVE, T0.minus(Duration.ofMinutes(11)))); // before the window
        assertEquals(0, model.historySize());
        assertEquals("ALIVE", model.node(A).state(), "an old change still says where the node is");

        StatusChange suspect = change(A, NodeState.ALIVE, NodeState.SUSPECT, T0.minusSeconds(5));
        model.status(suspect);
        model.status(suspect); // read twice (the status view started again)
        assertEquals(1, model.historySize());

        for (int i = 0; i < 6; i++) {
            model.failure(failure(B, T0.plusSeconds(i)));
        }
        assertEquals(5, model.historySize(), "maxEvents");
        clock.advance(Duration.ofMinutes(10).plusSeconds(3));
        assertEquals(3, ((List<?>) json(model.nodeJson(B)).get("events")).size(), "the window moved past T0 + 3 s");
        assertEquals(3, model.historySize());
    }

    @Test
    void aNodesHistoryCarriesTheEvidenceOfItsLatestFailure() {
        model.status(change(A, NodeState.ALIVE, NodeState.SUSPECT, T0.minusSeconds(2)));
        model.failure(failure(A, T0.minusSeconds(1)));
        Map<String, Object> node = json(model.nodeJson(A));
        assertEquals(A, node.get("id"));
        assertEquals("DEAD", ((Map<?, ?>) node.get("node")).get("state"));
        assertEquals(Map.of("service", "checkout", "zone", "eu-west-1a"), ((Map<?, ?>) node.get("node")).get("labels"));
        assertEquals(2, ((List<?>) node.get("events")).size());
        Map<?, ?> evidence = (Map<?, ?>) node.get("failure");
        assertEquals("failure", evidence.get("kind"));
        assertEquals("10.0.0.5:7946", evidence.get("declaredBy"));
        assertEquals(2L, evidence.get("confirmations"));
        assertEquals(2L, evidence.get("retries"));
        assertEquals(List.of("10.0.0.3:7946", "10.0.0.4:7946"), evidence.get("indirectPeers"));
        assertEquals(T0.minusSeconds(4).toEpochMilli(), evidence.get("lastContact"));
        assertEquals(1_250L, evidence.get("srttMicros"));
        assertEquals(-420L, evidence.get("clockOffsetMicros"));
        assertEquals(6L, evidence.get("lostProbes"));
        assertEquals(12L, evidence.get("totalProbes"));
        assertNull(json(model.nodeJson(B)).get("node"));
    }

    @Test
    void aBatchCarriesWhatChangedOnceThenNothing() {
        model.drainJson();
        assertNull(model.drainJson());
        model.status(change(A, NodeState.PENDING, NodeState.ALIVE, T0.minusSeconds(3)));
        model.status(change(A, NodeState.ALIVE, NodeState.SUSPECT, T0.minusSeconds(2)));
        model.status(change(B, NodeState.PENDING, NodeState.ALIVE, T0.minusSeconds(1)));
        model.removed(B);
        Map<String, Object> batch = json(model.drainJson());
        assertEquals("batch", batch.get("type"));
        assertEquals(
                List.of(A),
                ((List<?>) batch.get("nodes"))
                        .stream().map(n -> ((Map<?, ?>) n).get("id")).toList(),
                "one row per node, its latest");
        assertEquals(List.of(B), batch.get("removed"));
        assertEquals(Map.of("SUSPECT", 1L), batch.get("counts"));
        assertEquals(
                List.of("status", "status", "status", "removed"),
                ((List<?>) batch.get("events"))
                        .stream().map(e -> ((Map<?, ?>) e).get("kind")).toList());
        assertEquals(4L, batch.get("seq"));
        assertNull(model.drainJson());
    }

    @Test
    void kafkaDownKeepsTheStateAndSaysSinceWhen() {
        model.status(change(A, NodeState.PENDING, NodeState.ALIVE, T0));
        model.kafkaUp(7);
        clock.advance(Duration.ofSeconds(5));
        model.kafkaDown("TimeoutException: no answer");
        clock.advance(Duration.ofSeconds(5));
        model.kafkaDown("TimeoutException: no answer");
        Map<?, ?> connection = (Map<?, ?>) json(model.snapshotJson()).get("connection");
        assertEquals("down", connection.get("kafka"));
        assertEquals(T0.plusSeconds(5).toEpochMilli(), connection.get("since"), "since the first failed check");
        assertEquals("TimeoutException: no answer", connection.get("error"));
        assertEquals(7L, connection.get("lag"), "the last known lag");
        assertEquals(T0.toEpochMilli(), connection.get("lastEventAt"));
        assertEquals(1, ((List<?>) json(model.snapshotJson()).get("nodes")).size(), "the last known state stays");

        model.kafkaUp(0);
        connection = (Map<?, ?>) json(model.snapshotJson()).get("connection");
        assertEquals("up", connection.get("kafka"));
        assertNull(connection.get("error"));
        assertEquals(T0.plusSeconds(10).toEpochMilli(), connection.get("since"));
    }

    @Test
    void undecodableRecordsAreCountedWithTheLatestSampleEscaped() {
        model.undecodableFailure("skipped pulse.failures-0@17: got 3 bytes \"<script>\"\n");
        model.undecodableStatus(2, "pulse.status-1@4: a record without a key (expected: the node id)");
        model.undecodableStatus(2, "the same tally again: no news");
        assertEquals(3, model.undecodable());
        Map<?, ?> connection = (Map<?, ?>) json(model.snapshotJson()).get("connection");
        assertEquals(3L, connection.get("undecodable"));
        assertEquals(
                "pulse.status-1@4: a record without a key (expected: the node id)",
                connection.get("undecodableSample"));
        model.undecodableFailure("skipped pulse.failures-0@18: got \"<b>\"\n");
        String raw = new String(model.snapshotJson(), StandardCharsets.UTF_8);
        assertTrue(raw.contains("\"undecodableSample\":\"skipped pulse.failures-0@18: got \\\"<b>\\\"\\n\""), raw);
    }

    @Test
    void theSnapshotHoldsTheHistogramOfTheWindow() {
        model.status(change(A, NodeState.ALIVE, NodeState.SUSPECT, T0.minusSeconds(30)));
        model.failure(failure(A, T0.minusSeconds(20)));
        model.status(change(A, NodeState.SUSPECT, NodeState.DEAD, T0.minusSeconds(20)));
        Map<String, Object> snapshot = json(model.snapshotJson());
        Map<?, ?> histogram = (Map<?, ?>) snapshot.get("histogram");
        assertEquals(10_000L, histogram.get("bucketMillis"), "10 min in 60 bars");
        long start = (Long) histogram.get("start");
        assertEquals(T0.toEpochMilli() + 10_000 - 600_000, start);
        Map<?, ?> kinds = (Map<?, ?>) histogram.get("kinds");
        assertEquals(1L, ((List<?>) kinds.get("SUSPECT")).get(56));
        assertEquals(1L, ((List<?>) kinds.get("DEAD")).get(57));
        assertEquals(1L, ((List<?>) kinds.get("FAILURE")).get(57));
        assertEquals(3, ((List<?>) snapshot.get("events")).size());
    }

    @Test
    void limitsAreCheckedWithTheirNames() {
        assertEquals(
                "window: got PT0.5S (expected: 1s to 7d)",
                assertThrows(IllegalArgumentException.class, () -> new HistoryLimits(Duration.ofMillis(500), 10))
                        .getMessage());
        assertEquals(
                "maxEvents: got 0 (expected: 1 to 10000000)",
                assertThrows(IllegalArgumentException.class, () -> new HistoryLimits(Duration.ofHours(1), 0))
                        .getMessage());
        assertEquals(new HistoryLimits(Duration.ofHours(1), 100_000), HistoryLimits.defaults());
    }

    static Heartbeat heartbeat(String observer, Instant sentAt) {
        return Heartbeat.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((observer + sentAt).getBytes(StandardCharsets.UTF_8)))
                .setObserver(observer)
                .setSentAt(sentAt)
                .setStartedAt(T0)
                .setSequence(1)
                .setIntervalMillis(10_000)
                .setWatchedNodes(4)
                .setVersion("1.0")
                .build();
    }

    /** Pulse is live while one observer's heartbeat is younger than 3 of its intervals, silent when none is. */
    @Test
    void pulseIsLiveThenSilentFromTheHeartbeatsAges() {
        assertEquals("none", model.pulseState());
        assertEquals(
                Map.of("state", "none", "observers", List.of()),
                json(model.snapshotJson()).get("pulse"));

        model.heartbeats(Map.of(A, heartbeat(A, T0), B, heartbeat(B, T0.minusSeconds(25))));
        clock.advance(Duration.ofSeconds(10));
        assertEquals("live", model.pulseState());
        Map<?, ?> pulse = (Map<?, ?>) json(model.drainJson()).get("pulse");
        assertEquals("live", pulse.get("state"));
        List<?> observers = (List<?>) pulse.get("observers");
        Map<?, ?> a = (Map<?, ?>) observers.get(0);
        assertEquals(A, a.get("observer"));
        assertEquals(T0.toEpochMilli(), ((Number) a.get("sentAt")).longValue());
        assertEquals(10_000L, ((Number) a.get("ageMillis")).longValue());
        assertEquals(false, a.get("silent"));
        assertEquals(4, ((Number) a.get("watchedNodes")).intValue());
        assertNull(a.get("configurationEpoch"));
        assertEquals("1.0", a.get("version"));
        assertEquals(true, ((Map<?, ?>) observers.get(1)).get("silent"));

        clock.advance(Duration.ofSeconds(20)); // A's heartbeat is 30 s old: 3 intervals, not more
        assertEquals("live", model.pulseState());
        clock.advance(Duration.ofMillis(1));
        assertEquals("silent", model.pulseState());
    }
}
