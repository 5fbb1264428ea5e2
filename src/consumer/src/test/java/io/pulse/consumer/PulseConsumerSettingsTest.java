package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.consumer.PulseConsumer.OffsetReset;
import io.pulse.consumer.PulseConsumer.Topic;
import io.pulse.events.FailureMessage;
import io.pulse.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PulseConsumerSettingsTest {

    @Test
    void requiresBootstrapServersAndGroup() {
        assertEquals(
                "bootstrapServers is required",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PulseConsumer.builder().groupId("g").build())
                        .getMessage());
        assertEquals(
                "groupId is required",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PulseConsumer.builder()
                                        .bootstrapServers("localhost:9092")
                                        .build())
                        .getMessage());
    }

    @Test
    void schemaLookupTimeoutIsBoundedAndReachesTheSettings() {
        assertEquals(
                "schemaLookupTimeout must be in 1 ms..60 s, got 0 ms",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PulseConsumer.builder().schemaLookupTimeout(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "schemaLookupTimeout must be in 1 ms..60 s, got 61000 ms",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ClusterView.builder().schemaLookupTimeout(Duration.ofSeconds(61)))
                        .getMessage());
        try (PulseConsumer consumer = PulseConsumer.builder()
                .bootstrapServers("localhost:9092")
                .groupId("g")
                .build()) {
            assertEquals(Duration.ofSeconds(5), consumer.settings().schemaLookupTimeout());
        }
        try (PulseConsumer consumer = PulseConsumer.builder()
                .bootstrapServers("localhost:9092")
                .groupId("g")
                .topicPrefix("p1")
                .schemaLookupTimeout(Duration.ofMillis(250))
                .build()) {
            assertEquals(Duration.ofMillis(250), consumer.settings().schemaLookupTimeout());
            try (var schemas = consumer.settings().writerSchemas()) {
                assertEquals("p1.schemas", schemas.topic());
            }
        }
    }

    @Test
    void refusesAutoCommit() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PulseConsumer.builder().property("enable.auto.commit", "true"));
        assertEquals(
                "enable.auto.commit must be false, got true: offsets are committed after the handler returns",
                e.getMessage());
    }

    @Test
    void refusesRetriesThatWouldOutlastThePollInterval() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PulseConsumer.builder()
                        .bootstrapServers("localhost:9092")
                        .groupId("g")
                        .maxAttempts(10)
                        .retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60))
                        .build());
        // nine waits: 10 + 20 + 40 + 6 x 60 (capped) seconds
        assertEquals(
                "maxAttempts 10 with retryBackoff 10000 ms can wait 430000 ms on one record"
                        + " (expected: under half of max.poll.interval.ms=300000)",
                e.getMessage());
    }

    @Test
    void settersNameTheirArgument() {
        assertEquals(
                "maxAttempts must be in 1..100, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PulseConsumer.builder().maxAttempts(0))
                        .getMessage());
        assertEquals(
                "dedupCapacity must be >= 1, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PulseConsumer.builder().dedupCapacity(0))
                        .getMessage());
        assertEquals(
                "topic prefix must be 1..236 of [a-zA-Z0-9._-], got \"a b\"",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PulseConsumer.builder().topicPrefix("a b"))
                        .getMessage());
    }

    private static PulseConsumer.Builder builder() {
        return PulseConsumer.builder().bootstrapServers("127.0.0.1:9").groupId("g");
    }

    /** What {@code builder} resolves to; the consumer is closed unstarted. */
    private static ConsumerSettings built(PulseConsumer.Builder builder) {
        try (PulseConsumer consumer = builder.build()) {
            return consumer.settings();
        }
    }

    @Test
    void aBuilderChangedAfterBuildDoesNotChangeTheConsumerItBuilt() {
        Handler<FailureMessage> first = f -> {};
        PulseConsumer.Builder builder =
                builder().topicPrefix("p1").onFailure(first).maxAttempts(2).property("client.id", "one");
        try (PulseConsumer p1 = builder.build()) {
            builder.topicPrefix("p2")
                    .onFailure(f -> {})
                    .maxAttempts(5)
                    .property("client.id", "two")
                    .topics(Topic.STATUS)
                    .offsetReset(OffsetReset.EARLIEST);
            try (PulseConsumer p2 = builder.build()) {
                ConsumerSettings one = p1.settings();
                assertEquals(List.of("p1.failures", "p1.status"), one.subscription());
                assertEquals("p1.failures", one.failuresTopic());
                assertEquals(first, one.onFailure());
                assertEquals(2, one.maxAttempts());
                assertEquals("one", one.consumerProperties().get("client.id"));
                assertEquals("latest", one.consumerProperties().get("auto.offset.reset"));
                assertEquals(List.of("p2.status"), p2.settings().subscription());
                assertEquals("two", p2.settings().consumerProperties().get("client.id"));
            }
        }
    }

    @Test
    void aNewGroupStartsAtTheLatestRecordUnlessTold() {
        assertEquals("latest", built(builder()).consumerProperties().get("auto.offset.reset"));
        assertEquals(
                "earliest",
                built(builder().offsetReset(OffsetReset.EARLIEST))
                        .consumerProperties()
                        .get("auto.offset.reset"));
        // an explicit Kafka property wins, whatever the order
        assertEquals(
                "none",
                built(builder().property("auto.offset.reset", "none").offsetReset(OffsetReset.EARLIEST))
                        .consumerProperties()
                        .get("auto.offset.reset"));
    }

    @Test
    void topicsChooseTheSubscription() {
        assertEquals(List.of("pulse.failures", "pulse.status"), built(builder()).subscription());
        assertEquals(
                List.of("pulse.failures"),
                built(builder().topics(Topic.FAILURES)).subscription());
        assertEquals(
                List.of("pulse.status"), built(builder().topics(Topic.STATUS)).subscription());
        assertEquals(
                List.of("pulse.failures", "pulse.status"),
                built(builder().topics(Topic.STATUS, Topic.FAILURES)).subscription());
        assertEquals(
                Set.of(Topic.FAILURES),
                built(builder().topics(Topic.FAILURES, Topic.FAILURES)).topics());
        assertEquals(
                "topics",
                assertThrows(NullPointerException.class, () -> builder().topics(Topic.FAILURES, (Topic) null))
                        .getMessage());
    }

    @Test
    void topicNames() {
        assertEquals("pulse.failures", Topics.failures("pulse"));
        assertEquals("prod.pulse.status", Topics.status("prod.pulse"));
        assertEquals("pulse.failures-dlt", Topics.deadLetter(Topics.failures(Topics.DEFAULT_PREFIX)));
    }

    @Test
    void recentIdsForgetTheOldestFirst() {
        RecentIds ids = new RecentIds(3);
        assertTrue(ids.firstSighting("a"));
        assertTrue(ids.firstSighting("b"));
        assertTrue(ids.firstSighting("c"));
        assertFalse(ids.firstSighting("a")); // seen; now the most recent
        assertTrue(ids.firstSighting("d")); // evicts b, the least recently seen
        assertEquals(3, ids.size());
        assertTrue(ids.firstSighting("b"));
        assertFalse(ids.firstSighting("a"));
    }

    @Test
    void theDeadLetterProducerWaitsForMetadataTenSecondsUnlessTold() {
        assertEquals(10_000L, DeadLetters.producerProperties(Map.of()).get("max.block.ms"));
        assertEquals(
                1_000,
                DeadLetters.producerProperties(Map.of("max.block.ms", 1_000)).get("max.block.ms"));
    }
}
