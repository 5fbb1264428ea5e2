package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pulse.core.ManualClock;
import io.pulse.events.EventCodec;
import io.pulse.events.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The heartbeat on a producer that answers when the test says: at most one in flight, the rest dropped. */
class HeartbeatsTest {
    private final ManualClock clock =
            new ManualClock(0, Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1_000_000);
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final AtomicBoolean schemasWritten = new AtomicBoolean(true);
    private final AtomicBoolean topicReady = new AtomicBoolean(true);
    private final AtomicInteger topicChecks = new AtomicInteger();
    private final PublisherConfig config = PublisherConfig.parse(Map.of(
            "bootstrap.servers",
            "unused:9092",
            PublisherConfig.OBSERVER,
            "10.0.0.1:7946",
            PublisherConfig.CLUSTER,
            "prod",
            PublisherConfig.TOPIC_PREFIX,
            "hb",
            PublisherConfig.OUTBOX_DIR,
            "unused",
            PublisherConfig.HEARTBEAT_INTERVAL_MS,
            2_000));
    private final Heartbeats heartbeats = new Heartbeats(
            config, clock, producer, schemasWritten::get, () -> new Watching(7, 42L), "1.2.3", null, () -> {
                topicChecks.incrementAndGet();
                return topicReady.get();
            });

    @Test
    void aHeartbeatSaysWhoWhenAndWhatItWatches() {
        clock.advance(Duration.ofSeconds(5));
        heartbeats.beat();

        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertEquals("hb.heartbeats", record.topic());
        assertArrayEquals("10.0.0.1:7946".getBytes(StandardCharsets.UTF_8), record.key());
        Heartbeat heartbeat = EventCodec.decodeHeartbeat(record.value());
        assertEquals("10.0.0.1:7946", heartbeat.getObserver());
        assertEquals("prod", heartbeat.getCluster());
        assertEquals(Instant.parse("2026-01-01T00:00:05Z"), heartbeat.getSentAt());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), heartbeat.getStartedAt());
        assertEquals(1, heartbeat.getSequence());
        assertEquals(2_000, heartbeat.getIntervalMillis());
        assertEquals(7, heartbeat.getWatchedNodes());
        assertEquals(42L, heartbeat.getConfigurationEpoch());
        assertEquals("1.2.3", heartbeat.getVersion());
        assertEquals(
                "io.pulse.Heartbeat",
                new String(record.headers().lastHeader("event-type").value(), StandardCharsets.UTF_8));
        assertEquals(
                heartbeat.getEventId().toString(),
                new String(record.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8));
    }

    @Test
    void whileKafkaHasNotTakenOneTheNextAreDroppedNotQueued() {
        heartbeats.beat();
        heartbeats.beat();
        heartbeats.beat();
        assertEquals(1, producer.history().size());
        assertEquals(0, heartbeats.sent());
        assertEquals(2, heartbeats.dropped());

        producer.errorNext(new TimeoutException("Kafka is down"));
        assertEquals(1, heartbeats.dropped() - 2);
        heartbeats.beat();
        producer.completeNext();

        assertEquals(2, producer.history().size());
        assertEquals(1, heartbeats.sent());
        assertEquals(3, heartbeats.dropped());
        assertEquals(
                4, EventCodec.decodeHeartbeat(producer.history().get(1).value()).getSequence());
    }

    @Test
    void noHeartbeatBeforeTheSchemasAndTheTopicAreThere() {
        schemasWritten.set(false);
        heartbeats.beat();
        schemasWritten.set(true);
        topicReady.set(false);
        heartbeats.beat();
        topicReady.set(true);
        heartbeats.beat();
        heartbeats.beat(); // the topic is checked once

        assertEquals(1, producer.history().size());
        assertEquals(2, topicChecks.get());
        assertEquals(3, heartbeats.dropped()); // two not ready, one while the first is in flight
    }

    @Test
    void closingAfterHeartbeatsLeavesATombstone() {
        heartbeats.beat();
        producer.completeNext();
        heartbeats.close();

        ProducerRecord<byte[], byte[]> tombstone = producer.history().get(1);
        assertEquals("hb.heartbeats", tombstone.topic());
        assertArrayEquals("10.0.0.1:7946".getBytes(StandardCharsets.UTF_8), tombstone.key());
        assertNull(tombstone.value());
    }
}
