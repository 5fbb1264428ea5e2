package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.Topics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PulseConsumerSettingsTest {

    @Test
    void requiresBootstrapServersAndGroup() {
        assertEquals("bootstrapServers is required",
                assertThrows(IllegalArgumentException.class, () -> PulseConsumer.builder().groupId("g").build()).getMessage());
        assertEquals("groupId is required", assertThrows(IllegalArgumentException.class,
                () -> PulseConsumer.builder().bootstrapServers("localhost:9092").build()).getMessage());
    }

    @Test
    void refusesAutoCommit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PulseConsumer.builder().property("enable.auto.commit", "true"));
        assertEquals("enable.auto.commit must be false, got true: offsets are committed after the handler returns",
                e.getMessage());
    }

    @Test
    void refusesRetriesThatWouldOutlastThePollInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PulseConsumer.builder()
                .bootstrapServers("localhost:9092").groupId("g").maxAttempts(10)
                .retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60)).build());
        // nine waits: 10 + 20 + 40 + 6 x 60 (capped) seconds
        assertEquals("maxAttempts 10 with retryBackoff 10000 ms can wait 430000 ms on one record"
                + " (expected: under half of max.poll.interval.ms=300000)", e.getMessage());
    }

    @Test
    void settersNameTheirArgument() {
        assertEquals("maxAttempts must be in 1..100, got 0",
                assertThrows(IllegalArgumentException.class, () -> PulseConsumer.builder().maxAttempts(0)).getMessage());
        assertEquals("dedupCapacity must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> PulseConsumer.builder().dedupCapacity(0)).getMessage());
        assertEquals("topic prefix must be non-empty and use only [a-zA-Z0-9._-], got \"a b\"",
                assertThrows(IllegalArgumentException.class, () -> PulseConsumer.builder().topicPrefix("a b")).getMessage());
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
        assertEquals(10_000L, DeadLetters.producerProperties(java.util.Map.of()).get("max.block.ms"));
        assertEquals(1_000, DeadLetters.producerProperties(java.util.Map.of("max.block.ms", 1_000)).get("max.block.ms"));
    }
}
