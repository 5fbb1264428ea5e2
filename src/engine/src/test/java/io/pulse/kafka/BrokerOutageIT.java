package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.events.EventCodec;
import io.pulse.testkit.Eventually;
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Kafka goes away for 30 s while Pulse keeps detecting: every event arrives once it is back. */
class BrokerOutageIT {
    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.childJvm();

    static final int EVENTS = 1_000;
    static final Duration OUTAGE = Duration.ofSeconds(30);
    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path outbox;

    /** Event i: node i % 50, incarnation i; even ones are status changes, odd ones failures. */
    static void emit(PulsePublisher publisher, int i) {
        NodeId node = NodeId.of("10.0.0." + (i % 50), 7946);
        if (i % 2 == 0) {
            assertTrue(publisher.publish(new Transition(
                    node,
                    Liveness.ALIVE,
                    Liveness.SUSPECT,
                    i,
                    T0.plusMillis(i),
                    null,
                    null,
                    i,
                    1,
                    Transition.Reason.PROBE_ROUND_FAILED)));
        } else {
            assertTrue(publisher.publish(new NodeFailure(
                    node, Liveness.DEAD, i, 2, List.of(), null, null, T0.plusMillis(i), null, null, i, 3)));
        }
    }

    @Test
    void eventsEmittedWhileTheBrokerIsDownArriveWhenItIsBack() throws Exception {
        try (PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .observer("10.0.0.1:7946")
                .topicPrefix("outage")
                .outboxDir(outbox)
                .property(PublisherConfig.TOPIC_PARTITIONS, 3)
                .build()) {
            kafka.broker().stop();
            long stoppedAt = System.nanoTime();
            long spacingNanos = OUTAGE.toNanos() * 8 / 10 / EVENTS;
            for (int i = 0; i < EVENTS; i++) {
                emit(publisher, i);
                long next = stoppedAt + (i + 1) * spacingNanos;
                while (System.nanoTime() < next) {
                    Thread.sleep(0, 200_000);
                }
            }
            assertEquals(EVENTS, publisher.stats().published());
            assertTrue(publisher.stats().pendingEvents() > 0, "Kafka was down: events wait in the outbox");
            Thread.sleep(Math.max(0, (stoppedAt + OUTAGE.toNanos() - System.nanoTime()) / 1_000_000));
            kafka.broker().start();
            assertTrue(
                    publisher.awaitDelivery(Duration.ofSeconds(90)), () -> "outbox not drained: " + publisher.stats());
        }

        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.addAll(
                TopicReader.readAtLeast(kafka.bootstrapServers(), "outage.status", EVENTS / 2, Duration.ofSeconds(30)));
        records.addAll(TopicReader.readAtLeast(
                kafka.bootstrapServers(), "outage.failures", EVENTS / 2, Duration.ofSeconds(30)));
        Set<String> eventIds = new HashSet<>();
        Set<Long> incarnations = new TreeSet<>();
        Map<String, Long> lastIncarnationPerNode = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String eventId = new String(record.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8);
            if (!eventIds.add(eventId)) {
                continue;
            }
            String topic = record.topic();
            long incarnation = topic.endsWith(".status")
                    ? EventCodec.decodeStatusChange(record.value()).getIncarnation()
                    : EventCodec.decodeFailure(record.value()).getIncarnation();
            incarnations.add(incarnation);
            String node = topic + "/" + new String(record.key(), StandardCharsets.UTF_8);
            Long last = lastIncarnationPerNode.put(node, incarnation);
            assertTrue(last == null || last < incarnation, () -> node + ": " + incarnation + " after " + last);
        }
        assertEquals(EVENTS, eventIds.size());
        assertEquals(LongStream.range(0, EVENTS).boxed().toList(), new ArrayList<>(incarnations));
    }

    @Test
    void eventsWhoseDeliveryTimedOutAreSentAgainWhenTheBrokerIsBack() throws Exception {
        try (PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .observer("10.0.0.1:7946")
                .topicPrefix("expired")
                .outboxDir(outbox)
                .property("delivery.timeout.ms", 2_000)
                .property("request.timeout.ms", 1_000)
                .property("max.block.ms", 1_000)
                .property(PublisherConfig.RETRY_BACKOFF_MS, 200)
                .build()) {
            emit(publisher, 0);
            assertTrue(publisher.awaitDelivery(Duration.ofSeconds(30)));
            kafka.broker().stop();
            for (int i = 1; i < 100; i++) {
                emit(publisher, i);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (publisher.stats().failedSends() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(publisher.stats().failedSends() > 0, () -> "no send failed: " + publisher.stats());
            kafka.broker().start();
            assertTrue(
                    publisher.awaitDelivery(Duration.ofSeconds(60)), () -> "outbox not drained: " + publisher.stats());
        }

        Set<Long> incarnations = new TreeSet<>();
        for (String topic : List.of("expired.status", "expired.failures")) {
            for (ConsumerRecord<byte[], byte[]> record :
                    TopicReader.readAtLeast(kafka.bootstrapServers(), topic, 50, Duration.ofSeconds(30))) {
                incarnations.add(
                        topic.endsWith(".status")
                                ? EventCodec.decodeStatusChange(record.value()).getIncarnation()
                                : EventCodec.decodeFailure(record.value()).getIncarnation());
            }
        }
        assertEquals(LongStream.range(0, 100).boxed().toList(), new ArrayList<>(incarnations));
    }

    /**
     * A stop with every broker gone keeps to its bound: the heartbeat tombstone does not wait for
     * metadata as long as max.block.ms (60 s), which held `pulse run` processes for a minute after SIGTERM.
     */
    @Test
    void aStopWithKafkaGoneKeepsToItsCloseTimeout() throws Exception {
        PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .observer("10.0.0.1:7946")
                .topicPrefix("gone")
                .outboxDir(outbox)
                .property(PublisherConfig.HEARTBEAT_INTERVAL_MS, 100)
                .property(PublisherConfig.CLOSE_TIMEOUT_MS, 1_000)
                .build();
        try {
            Eventually.await("a heartbeat sent", () -> publisher.stats().heartbeatsSent(), n -> n > 0, WAIT);
            kafka.broker().stop();
            Thread.sleep(3_000); // the producer finds every broker gone and starts over from the bootstrap list
            long start = System.nanoTime();
            publisher.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "close took " + took);
        } finally {
            publisher.close();
            kafka.broker().start();
        }
    }

    /** Heartbeats while Kafka is down are dropped and counted, never journaled; they resume with Kafka. */
    @Test
    void heartbeatsWhileTheBrokerIsDownAreDroppedNotJournaled() throws Exception {
        try (PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .observer("10.0.0.1:7946")
                .topicPrefix("beating")
                .outboxDir(outbox)
                .property(PublisherConfig.HEARTBEAT_INTERVAL_MS, 100)
                .property("delivery.timeout.ms", 2_000)
                .property("request.timeout.ms", 1_000)
                .property("max.block.ms", 1_000)
                .build()) {
            Eventually.await("a heartbeat sent", () -> publisher.stats().heartbeatsSent(), n -> n > 0, WAIT);
            kafka.broker().stop();
            long dropped = publisher.stats().heartbeatsDropped();
            Eventually.await(
                    "heartbeats dropped while Kafka is down",
                    () -> publisher.stats().heartbeatsDropped(),
                    n -> n >= dropped + 10,
                    WAIT);
            assertEquals(0, publisher.stats().published(), "no heartbeat is journaled");
            assertEquals(0, publisher.stats().pendingEvents(), "the outbox holds no heartbeat");
            kafka.broker().start();
            long sent = publisher.stats().heartbeatsSent();
            Eventually.await(
                    "heartbeats again once Kafka is back",
                    () -> publisher.stats().heartbeatsSent(),
                    n -> n > sent,
                    Duration.ofSeconds(60));
        }
    }
}
